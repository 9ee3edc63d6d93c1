"""Every dashboard figure, through the API, against the same figure worked out in plain Python
from the fixture city: for a super admin, a ward admin (scoped), one without permission rows, and
an empty database."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.dashboard.selectors.complaints import complaints_in, largest_remainder, median_by_offset
from apps.users.models import User
from apps.users.policy import ALL_WARDS

from . import expected

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/{}/"
WARDS_1_2 = {"1", "2"}  # the ward admin's complaints permission
WARD_1 = {"1"}  # and their payments permission


def get(api_as, user, name):
    response = api_as(user).get(URL.format(name))
    assert response.status_code == 200, response.content
    return response.json()


def _recent(body, before, after):
    """The answer without ``since`` once ``since`` is checked to be an hour before the request."""
    since = datetime.fromisoformat(body.pop("since"))
    assert before - timedelta(hours=1) <= since <= after - timedelta(hours=1)
    return body


def test_super_admin_sees_the_whole_city(api_as, city):
    c, who = city, city.super_admin
    assert get(api_as, who, "complaints-stats") == expected.complaint_stats(c.complaints)
    assert get(api_as, who, "categories") == expected.categories(c.complaints)
    assert get(api_as, who, "satisfaction") == expected.satisfaction(c.complaints)
    assert get(api_as, who, "service-time") == expected.service_time(c.complaints)
    assert get(api_as, who, "ward-performance") == expected.ward_performance(c.complaints)
    assert get(api_as, who, "user-stats") == expected.user_stats(c.users, c.now)
    assert get(api_as, who, "financial") == expected.financial(c.payments, c.donations, c.now)
    assert get(api_as, who, "kpi") == expected.kpi(c.complaints, c.users, c.now)
    assert get(api_as, who, "sts-overview") == []
    before = timezone.now()
    recent = get(api_as, who, "recent-complaints")
    assert _recent(recent, before, timezone.now()) == expected.recent_complaints(
        c.complaints, c.now
    )


def test_the_city_figures_are_the_ones_worked_out_by_hand(api_as, city):
    """The fixture's figures in plain numbers, so a shared mistake in both computations shows."""
    who = city.super_admin
    assert get(api_as, who, "service-time") == {
        "mean_hours": "6.18",  # (10+4+20+2+7.5+1.25+3+3+5+6) / 10 = 6.175
        "median_hours": "4.50",  # between 4 and 5
        "resolved_count": 10,
    }
    ranking = get(api_as, who, "ward-performance")
    assert [(row["ward_number"], row["resolution_rate"]) for row in ranking] == [
        ("4", "100.00"), ("10", "100.00"), ("3", "100.00"), ("5", "50.00"), ("1", "50.00"),
        ("2", "40.00"), ("6", "0.00"), ("7", "0.00"),
    ]  # fmt: skip
    assert ranking[3]["avg_service_hours"] == "4.38"  # (7.5 + 1.25) / 2, half up
    assert ranking[-1]["avg_service_hours"] is None
    shares = get(api_as, who, "categories")
    assert sum(int(row["percentage"].replace(".", "")) for row in shares) == 10000
    assert get(api_as, who, "satisfaction")["average_rating"] == "3.56"  # 32 / 9
    money = get(api_as, who, "financial")
    assert money["total_revenue"] == "2750.25"  # 150+800.25+150+1000+400+250
    assert money["pending_amount"] == "2850.00"  # 150 + 2500 + 200
    assert money["refunded_amount"] == "1100.25"
    assert [(p["project"], p["amount"]) for p in money["donations_by_project"]] == [
        ("trees", "1250.00"), ("canal", "400.00"),
    ]  # fmt: skip


def test_a_ward_admin_sees_their_wards_only(api_as, city):
    c, who = city, city.ward_admin
    scoped = WARDS_1_2
    assert get(api_as, who, "complaints-stats") == expected.complaint_stats(c.complaints, scoped)
    assert get(api_as, who, "categories") == expected.categories(c.complaints, scoped)
    assert get(api_as, who, "satisfaction") == expected.satisfaction(c.complaints, scoped)
    assert get(api_as, who, "service-time") == expected.service_time(c.complaints, scoped)
    assert get(api_as, who, "ward-performance") == expected.ward_performance(c.complaints, scoped)
    assert get(api_as, who, "user-stats") == expected.user_stats(c.users, c.now, scoped)
    assert get(api_as, who, "financial") == expected.financial(
        c.payments, c.donations, c.now, WARD_1
    )
    assert get(api_as, who, "kpi") == expected.kpi(c.complaints, c.users, c.now, scoped)
    before = timezone.now()
    recent = get(api_as, who, "recent-complaints")
    assert _recent(recent, before, timezone.now()) == expected.recent_complaints(
        c.complaints, c.now, scoped
    )
    # Spelled out: wards 1 and 2 only, their citizens only, ward 1's payers only.
    assert get(api_as, who, "complaints-stats")["total"] == 9
    assert get(api_as, who, "user-stats")["total"] == 4
    assert get(api_as, who, "financial")["total_revenue"] == "1500.25"


def test_another_ward_admin_gets_other_numbers_from_the_same_cache(api_as, city):
    c = city
    assert get(api_as, c.ward_admin, "kpi") == expected.kpi(c.complaints, c.users, c.now, WARDS_1_2)
    assert get(api_as, c.other_admin, "kpi") == expected.kpi(c.complaints, c.users, c.now, {"10"})
    assert get(api_as, c.other_admin, "financial") == expected.financial([], [], c.now)


def test_a_ward_admin_without_permission_rows_sees_zeros(api_as, city):
    c, who = city, city.bare_admin
    nothing = set()
    assert get(api_as, who, "kpi") == expected.kpi(c.complaints, c.users, c.now, nothing)
    assert get(api_as, who, "financial") == expected.financial([], [], c.now)
    assert get(api_as, who, "ward-performance") == []
    assert get(api_as, who, "categories") == [
        {"category": value, "code": code, "count": 0, "percentage": "0.00"}
        for value, code in expected.CATEGORIES
    ]
    recent = get(api_as, who, "recent-complaints")
    assert (recent["count"], recent["complaints"]) == (0, [])
    assert get(api_as, who, "user-stats")["total"] == 0


def test_an_empty_city(api_as, super_admin):
    now = timezone.now()
    users = [super_admin]
    assert get(api_as, super_admin, "kpi") == expected.kpi([], users, now)
    assert get(api_as, super_admin, "financial") == expected.financial([], [], now)
    assert get(api_as, super_admin, "satisfaction") == {
        "average_rating": None,
        "rated_count": 0,
        "distribution": [{"rating": n, "count": 0} for n in range(1, 6)],
    }
    assert get(api_as, super_admin, "service-time") == {
        "mean_hours": None,
        "median_hours": None,
        "resolved_count": 0,
    }
    assert get(api_as, super_admin, "categories") == expected.categories([])
    assert get(api_as, super_admin, "ward-performance") == []
    assert get(api_as, super_admin, "stats") == expected.home_stats([], users)
    recent = get(api_as, super_admin, "recent-complaints")
    assert (recent["count"], recent["complaints"]) == (0, [])


@pytest.mark.parametrize("viewer", ["citizen", "provider", "ward_admin", "super_admin"])
def test_the_home_screen_summary_is_city_wide_for_everyone(api_as, city, viewer):
    assert get(api_as, getattr(city, viewer), "stats") == expected.home_stats(
        city.complaints, city.users
    )


def test_recent_complaints_lists_the_latest_twenty(api_as, city):
    from apps.complaints.tests.factories import ComplaintFactory

    more = [ComplaintFactory(user=city.citizen, ward_number="1") for _ in range(20)]
    body = get(api_as, city.super_admin, "recent-complaints")
    body.pop("since")
    assert body == expected.recent_complaints(city.complaints + more, timezone.now())
    assert body["count"] == 24
    assert len(body["complaints"]) == 20
    assert body["complaints"][0]["tracking_number"] == more[-1].tracking_number
    assert set(body["complaints"][0]) == {
        "id", "tracking_number", "category", "category_code", "priority", "status",
        "status_code", "ward_number", "created_at",
    }  # fmt: skip


def test_new_this_month_counts_from_midnight_of_the_first_in_dhaka(api_as, super_admin):
    start = expected.dhaka_month_start(timezone.now())
    for offset in (-1, 1):
        user = User.objects.create_user(phone=f"+88017000000{offset + 2:02d}", name="x")
        User.objects.filter(pk=user.pk).update(created_at=start + timedelta(seconds=offset))
    assert get(api_as, super_admin, "user-stats")["new_this_month"] == 2  # the super admin too


@pytest.mark.parametrize(
    ("counts", "shares"),
    [
        ([1, 1, 1, 0, 0, 0], ["33.34", "33.33", "33.33", "0.00", "0.00", "0.00"]),
        ([2, 1, 0, 0, 0, 0], ["66.67", "33.33", "0.00", "0.00", "0.00", "0.00"]),
        ([1, 1, 1, 1, 1, 1], ["16.67", "16.67", "16.67", "16.67", "16.66", "16.66"]),
        ([1, 0, 0, 0, 0, 0], ["100.00", "0.00", "0.00", "0.00", "0.00", "0.00"]),
        ([0, 0, 0, 0, 0, 0], ["0.00", "0.00", "0.00", "0.00", "0.00", "0.00"]),
        ([7, 5, 3, 1, 1, 1], ["38.89", "27.78", "16.67", "5.56", "5.55", "5.55"]),
    ],
)
def test_category_shares_sum_to_exactly_one_hundred(counts, shares):
    assert [f"{share:.2f}" for share in largest_remainder(counts)] == shares


def test_largest_remainder_gives_leftovers_to_the_largest_remainders():
    # 3/7 = 42.857…, 2/7 = 28.571…, 2/7: floors 42.85+28.57+28.57 = 99.99; the largest
    # remainder (0.7… hundredths) is the first one.
    assert [f"{s:.2f}" for s in largest_remainder([3, 2, 2])] == ["42.86", "28.57", "28.57"]


def test_datetimes_are_written_in_dhaka_time(api_as, city):
    body = get(api_as, city.super_admin, "recent-complaints")
    assert body["complaints"][0]["created_at"].endswith("+06:00")
    assert isinstance(datetime.fromisoformat(body["since"]), datetime)


@pytest.mark.parametrize(
    ("wards", "count", "window", "median"),
    [
        (None, 10, "LIMIT 2 OFFSET 4", timedelta(hours=4, minutes=30)),
        ({"1", "2", "3"}, 5, "LIMIT 1 OFFSET 2", timedelta(hours=5)),
    ],
)
def test_the_portable_median_reads_only_the_middle_rows(city, wards, count, window, median):
    complaints = complaints_in(ALL_WARDS if wards is None else wards)
    with CaptureQueriesContext(connection) as queries:
        assert median_by_offset(complaints, count) == median
    assert len(queries) == 1
    assert window in queries[0]["sql"]
