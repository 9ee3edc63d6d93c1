"""The dashboard's cache: a second read costs no query, and every write shows on the next read."""

import time
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.complaints.models import Complaint
from apps.complaints.services import complaint_create
from apps.dashboard.cache import VERSION_KEY, dashboard_cached, dashboard_touch, dashboard_version
from apps.dashboard.selectors import FIGURES, dashboard_figure
from apps.dashboard.views import KpiView
from apps.payments.models import PayableService, Payment
from apps.users.services import user_deactivate
from apps.users.tests.factories import AdminPermissionFactory, UserFactory
from core.testing import in_threads

from . import expected

pytestmark = pytest.mark.django_db

KPI = "/api/v1/dashboard/kpi/"
HOME = "/api/v1/dashboard/stats/"
FINANCIAL = "/api/v1/dashboard/financial/"
FIELDS = {"title": "Bin", "description": "Not emptied for days", "category": "বর্জ্য ব্যবস্থাপনা",
          "priority": "মধ্যম", "location": "Road 4", "ward_number": "1"}  # fmt: skip


@pytest.mark.parametrize("figure", sorted(FIGURES))
def test_the_second_read_of_every_figure_comes_from_the_cache(city, figure):
    for viewer in (city.super_admin, city.ward_admin):
        first = dashboard_figure(viewer=viewer, figure=figure)
        dashboard_figure(viewer=viewer, figure=figure)  # a ward admin's rights kept by now
        with CaptureQueriesContext(connection) as queries:
            again = dashboard_figure(viewer=viewer, figure=figure)
        assert again == first
        # Not even the ward admin's permission rows: they are kept with the account
        # (core.accounts.account_fact).
        assert len(queries) == 0, [q["sql"] for q in queries]


def test_a_cached_answer_costs_no_query_over_http(api_as, city):
    """The figures and the caller's account (core/accounts.py) both come from the cache."""
    boss = api_as(city.super_admin)
    first = boss.get(KPI).json()
    with CaptureQueriesContext(connection) as queries:
        assert boss.get(KPI).json() == first
    assert len(queries) == 0


def test_a_cached_answer_is_not_rendered_again_until_a_write_retires_it(
    api_as, city, monkeypatch, django_capture_on_commit_callbacks
):
    rendered = []
    render = KpiView.render.__func__

    def counted(cls, figure):
        rendered.append(figure["complaint_stats"]["total"])
        return render(cls, figure)

    monkeypatch.setattr(KpiView, "render", classmethod(counted))
    boss, admin = api_as(city.super_admin), api_as(city.ward_admin)
    first = boss.get(KPI).json()
    assert boss.get(KPI).json() == first
    wards = admin.get(KPI).json()
    assert admin.get(KPI).json() == wards
    total = first["complaint_stats"]["total"]
    assert rendered == [total, wards["complaint_stats"]["total"]]  # once for each scope
    # The same complaint wards with emergency rights too: the KPI's other part, another scope.
    twin = UserFactory(user_type="admin")
    AdminPermissionFactory(admin=twin, ward_numbers=["1", "2"])
    AdminPermissionFactory(admin=twin, permission_type="emergency", ward_numbers=["1"])
    assert api_as(twin).get(KPI).json()["complaint_stats"] == wards["complaint_stats"]
    assert len(rendered) == 3
    rendered.pop()
    with django_capture_on_commit_callbacks(execute=True):
        complaint_create(user=city.citizen, data=dict(FIELDS))  # its commit retires them
    assert boss.get(KPI).json()["complaint_stats"]["total"] == total + 1
    assert rendered[2:] == [total + 1]


# Uncached HTTP reads by a super admin: the figure's own queries (the caller's account comes
# from the cache once the token has been used); the median is a read of the middle rows after
# the counts (PostgreSQL: the tally, then the hour tally, which says where the middle rows are).
QUERIES = {
    "kpi": (6, 7),  # + the emergency aggregate and its count by type
    "complaints-stats": (1, 1),
    "user-stats": (1, 1),
    "ward-performance": (1, 1),
    "satisfaction": (1, 1),
    "service-time": (2, 3),
    "sts-overview": (1, 1),  # the stations (none here: no readings to read)
    "recent-complaints": (2, 2),
    "categories": (1, 1),
    "financial": (3, 3),
    "stats": (2, 2),
}


@pytest.mark.parametrize("endpoint", sorted(QUERIES))
def test_uncached_reads_take_a_fixed_number_of_queries(api_as, city, endpoint):
    sqlite, postgresql = QUERIES[endpoint]
    # The ward admin's emergency rights cover the same wards, so kpi/'s emergency part is read
    # for them as for the super admin.
    AdminPermissionFactory(
        admin=city.ward_admin, permission_type="emergency", ward_numbers=["1", "2"]
    )
    # And their waste rights, so sts-overview/ reads the stations of those wards too.
    AdminPermissionFactory(admin=city.ward_admin, permission_type="waste", ward_numbers=["1", "2"])
    client = api_as(city.super_admin)
    ward_admin = api_as(city.ward_admin)
    for signed_in in (client, ward_admin):  # a token's first use asks the revocation table
        # and stores the account (core/accounts.py)
        assert signed_in.get("/api/v1/auth/me/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/dashboard/{endpoint}/").status_code == 200
    assert len(queries) == (postgresql if connection.vendor == "postgresql" else sqlite)
    with CaptureQueriesContext(connection) as ward_admin_queries:  # + its permission rows
        assert ward_admin.get(f"/api/v1/dashboard/{endpoint}/").status_code == 200
    scoped = endpoint != "stats"  # stats/ is city-wide, and already cached
    scopes = 1  # the permission rows, read once and kept for every resource (core.accounts)
    # The hour tally places the city's median; a few wards' durations are read whole.
    city_only = sum('"dashboard_service_time_tally"' in q["sql"] for q in queries)
    assert len(ward_admin_queries) == (len(queries) - city_only + scopes if scoped else 0)


def test_a_kpi_read_right_after_a_new_complaint_includes_it(api_as, city):
    boss, ward_boss = api_as(city.super_admin), api_as(city.ward_admin)
    before = boss.get(KPI).json()
    ward_before = ward_boss.get(KPI).json()
    filed = api_as(city.citizen).post("/api/v1/complaints/", FIELDS, format="json")
    assert filed.status_code == 201, filed.content
    new = [*city.complaints, Complaint.objects.get(pk=filed.json()["id"])]
    after = boss.get(KPI).json()
    assert after["complaint_stats"]["total"] == before["complaint_stats"]["total"] + 1
    assert after == expected.kpi(new, city.users, city.now)
    ward_after = ward_boss.get(KPI).json()
    assert ward_after["complaint_stats"]["total"] == ward_before["complaint_stats"]["total"] + 1
    assert ward_after == expected.kpi(new, city.users, city.now, {"1", "2"})


def test_an_open311_filing_shows_at_once(api, api_as, city):
    from apps.open311.services import open311_api_key_create

    boss = api_as(city.super_admin)
    before = boss.get(KPI).json()["complaint_stats"]["total"]
    issued = open311_api_key_create(name="Fixit")
    form = {"api_key": issued.secret, "service_code": "waste", "lat": "23.7104",
            "long": "90.4074", "description": "Garbage not collected for a week."}  # fmt: skip
    filed = api.generic(
        "POST", "/open311/v2/requests.json", urlencode(form),
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )  # fmt: skip
    assert filed.status_code == 201, filed.content
    assert boss.get(KPI).json()["complaint_stats"]["total"] == before + 1


def test_a_payment_shows_at_once_when_opened_and_when_settled(api, api_as, city):
    from apps.payments.tests.test_flow import come_back, pay, start

    PayableService.objects.filter(code="waste_collection_fee").update(fixed_fee=Decimal("150.00"))
    boss = api_as(city.super_admin)
    before = boss.get(FINANCIAL).json()
    started = start(api_as(city.citizen), "bkash")
    assert started.status_code == 201, started.content
    opened = boss.get(FINANCIAL).json()
    assert Decimal(opened["pending_amount"]) == Decimal(before["pending_amount"]) + 150
    come_back(api, pay(api, started.json()["payment_url"]))
    assert Payment.objects.get(pk=started.json()["payment_id"]).status == "completed"
    settled = boss.get(FINANCIAL).json()
    assert Decimal(settled["total_revenue"]) == Decimal(before["total_revenue"]) + 150
    assert settled["pending_amount"] == before["pending_amount"]
    assert settled == expected.financial(
        [*city.payments, Payment.objects.get(pk=started.json()["payment_id"])],
        city.donations,
        city.now,
    )
    # The ward admin reads payments of ward 1, where this citizen lives.
    ward_view = api_as(city.ward_admin).get(FINANCIAL).json()
    assert ward_view["completed_count"] == 5


def test_a_rolled_back_write_leaves_the_cached_answers_alone(
    city, django_capture_on_commit_callbacks
):
    cached = dashboard_figure(viewer=city.super_admin, figure="kpi")
    version = dashboard_version()

    def file_then_fail():
        with transaction.atomic():
            complaint_create(user=city.citizen, data=dict(FIELDS))
            raise RuntimeError("the request failed after filing")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        file_then_fail()
    assert callbacks == []
    assert dashboard_version() == version
    with CaptureQueriesContext(connection) as queries:
        assert dashboard_figure(viewer=city.super_admin, figure="kpi") == cached
    assert len(queries) == 0


def test_the_version_is_bumped_only_once_the_write_commits(
    city, django_capture_on_commit_callbacks
):
    version = dashboard_version()
    with django_capture_on_commit_callbacks(execute=True):
        complaint_create(user=city.citizen, data=dict(FIELDS))
        assert dashboard_version() == version  # not yet: a reader now must see the old data
    assert dashboard_version() == version + 1


def test_a_touch_retires_every_cached_answer(city):
    calls = []
    assert dashboard_cached(figure="x", scope="all", compute=lambda: calls.append(1) or 1) == 1
    assert dashboard_cached(figure="x", scope="all", compute=lambda: calls.append(2) or 2) == 1
    dashboard_touch()
    assert dashboard_cached(figure="x", scope="all", compute=lambda: calls.append(3) or 3) == 3
    assert calls == [1, 3]


def test_a_lost_version_key_never_revives_old_answers():
    dashboard_touch()  # no key yet: it starts somewhere fresh
    first = dashboard_version()
    dashboard_cached(figure="x", scope="all", compute=lambda: "old")
    cache.delete(VERSION_KEY)  # evicted
    assert dashboard_version() != first
    assert dashboard_cached(figure="x", scope="all", compute=lambda: "new") == "new"
    cache.delete(VERSION_KEY)
    dashboard_touch()  # a touch with the key gone also starts afresh
    assert dashboard_version() not in (first, None)


def test_answers_expire_after_the_configured_time(city, settings, monkeypatch):
    settings.DASHBOARD_CACHE_SECONDS = 7
    seen = {}
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: seen.update({key: timeout}))
    dashboard_figure(viewer=city.super_admin, figure="stats")
    assert seen  # the home screen, and the citizens count it carries (accounts_cached)
    assert set(seen.values()) == {7}


def test_a_partial_refund_shows_at_once(api, api_as, city):
    from apps.payments.tests.test_flow import come_back, pay, start

    PayableService.objects.filter(code="waste_collection_fee").update(fixed_fee=Decimal("150.00"))
    started = start(api_as(city.citizen), "bkash").json()
    come_back(api, pay(api, started["payment_url"]))
    boss = api_as(city.super_admin)
    before = boss.get(FINANCIAL).json()
    refunded = boss.post(
        "/api/v1/payments/refund/",
        {"payment_id": started["payment_id"], "reason": "Charged twice", "amount": "50.00"},
        format="json",
    )
    assert refunded.status_code == 201, refunded.content
    assert refunded.json()["status"] == "completed"
    after = boss.get(FINANCIAL).json()
    assert Decimal(after["refunded_amount"]) == Decimal(before["refunded_amount"]) + 50
    assert Decimal(after["total_revenue"]) == Decimal(before["total_revenue"]) - 50


def test_many_requests_missing_one_answer_compute_it_once(city):
    computed = []

    def compute():
        computed.append(1)
        time.sleep(0.3)  # long enough for every other request to miss it meanwhile
        return {"total": len(computed)}

    answers = in_threads(12, lambda: dashboard_cached(figure="x", scope="all", compute=compute))
    assert computed == [1]
    assert answers == [{"total": 1}] * 12
    dashboard_touch()  # the next change: computed once more, again for everyone
    answers = in_threads(12, lambda: dashboard_cached(figure="x", scope="all", compute=compute))
    assert computed == [1, 1]
    assert answers == [{"total": 2}] * 12


def test_kpi_and_the_home_screen_are_exact_right_after_a_status_change(api_as, city):
    # The tally moves the complaint between groups in the same transaction as the change.
    boss = api_as(city.super_admin)
    filed = complaint_create(user=city.citizen, data=dict(FIELDS))
    submitted = boss.get(KPI).json()["complaint_stats"]["by_status"][0]
    assert (submitted["code"], submitted["count"]) == ("submitted", 7)
    moved = boss.post(
        f"/api/v1/complaints/{filed.pk}/updates/", {"new_status": "in_progress"}, format="json"
    )
    assert moved.status_code in (200, 201), moved.content
    new = [*city.complaints, Complaint.objects.get(pk=filed.pk)]
    assert boss.get(KPI).json() == expected.kpi(new, city.users, city.now)
    home = api_as(city.citizen).get("/api/v1/dashboard/stats/").json()
    assert home == expected.home_stats(new, city.users)


def test_the_home_screen_counts_citizens_again_only_when_an_account_changes(
    api_as, city, django_capture_on_commit_callbacks
):
    home = api_as(city.citizen)
    before = home.get(HOME).json()
    with django_capture_on_commit_callbacks(execute=True):
        complaint_create(user=city.citizen, data=dict(FIELDS))
    with CaptureQueriesContext(connection) as queries:
        after_filing = home.get(HOME).json()
    assert after_filing["total_complaints"] == before["total_complaints"] + 1
    assert not [q for q in queries if '"users"' in q["sql"]], "citizens counted again"
    assert after_filing["total_citizens"] == before["total_citizens"]
    with django_capture_on_commit_callbacks(execute=True):  # core.figures.accounts_touch
        user_deactivate(actor=city.super_admin, user=city.citizens["c2"])
    after_leaving = home.get(HOME).json()
    assert after_leaving["total_citizens"] == before["total_citizens"] - 1
    assert after_leaving["total_complaints"] == after_filing["total_complaints"]


def test_when_the_computing_request_fails_a_waiting_one_takes_over(city):
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.1)
        if len(calls) == 1:
            raise RuntimeError("the first computation failed")
        return "answer"

    answers = in_threads(6, lambda: dashboard_cached(figure="x", scope="all", compute=compute))
    failed = [answer for answer in answers if isinstance(answer, RuntimeError)]
    assert [str(error) for error in failed] == ["the first computation failed"]
    assert [answer for answer in answers if answer not in failed] == ["answer"] * 5
    assert calls == [1, 1]


def test_a_stuck_computation_is_not_waited_on_for_longer_than_the_limit(city, settings):
    settings.DASHBOARD_WAIT_SECONDS = 0.2
    key = f"dashboard:v{dashboard_version()}:x:all"
    cache.add(f"{key}:computing", True, timeout=60)  # a request that died while computing
    began = time.monotonic()
    assert dashboard_cached(figure="x", scope="all", compute=lambda: "mine") == "mine"
    assert 0.2 <= time.monotonic() - began < 2
    assert cache.get(key) == "mine"
