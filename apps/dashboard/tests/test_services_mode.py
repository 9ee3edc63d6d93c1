"""PostgreSQL and Redis only: figures over all time come from the complaint tally the triggers
keep (exact after any write, recounted without a difference), the median from the middle rows
agrees with percentile_cont, and the version counter works on Redis."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from apps.complaints.models import Complaint
from apps.dashboard.cache import VERSION_KEY, dashboard_cached, dashboard_touch, dashboard_version
from apps.dashboard.models import ComplaintTally, ServiceTimeTally
from apps.dashboard.selectors import kpi, service_time
from apps.dashboard.selectors.complaints import complaints_in, service_time_aggregates
from apps.dashboard.services import complaint_tally_compact, complaint_tally_reconcile
from apps.users.policy import ALL_WARDS

from . import expected

pytestmark = [pytest.mark.services, pytest.mark.django_db]
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _needs_services(settings):
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache"), "and Redis"


@pytest.mark.parametrize(
    ("wards", "median"),
    [
        (None, "4.50"),  # ten resolved complaints: the mean of the 5th and 6th
        ({"1", "2", "3"}, "5.00"),  # five: the middle one
        ({"6"}, None),  # none resolved
    ],
)
def test_service_time_counts_from_the_tally_and_reads_only_the_middle_rows(city, wards, median):
    scope = ALL_WARDS if wards is None else wards
    with CaptureQueriesContext(connection) as queries:
        figure = service_time(wards=scope)
    assert 'FROM "dashboard_complaint_tally"' in queries[0]["sql"]
    reads = [q["sql"] for q in queries[1:]]
    if median is None:
        assert reads == []  # nothing resolved: no median to read
    elif wards is None:  # the city: the hour tally, then that hour's middle rows only
        assert len(reads) == 2
        assert 'FROM "dashboard_service_time_tally"' in reads[0]
        # the 5th and 6th of ten: the first two from the fourth hour on (four are shorter)
        assert reads[1].endswith("\"created_at\") >= '4:00:00'::interval) ORDER BY 1 ASC LIMIT 2")
    else:  # a few wards: their middle rows
        assert len(reads) == 1
        assert "LIMIT 1 OFFSET 2" in reads[0]
    wanted = expected.service_time(city.complaints, wards)
    assert wanted["median_hours"] == median
    assert figure == {
        key: Decimal(value) if isinstance(value, str) else value for key, value in wanted.items()
    }


def test_the_tally_agrees_with_percentile_cont(city):
    for wards in (ALL_WARDS, {"1", "2", "3"}, {"5"}, {"10"}):
        complaints = complaints_in(wards)
        row = complaints.aggregate(**service_time_aggregates(complaints))
        assert row["service_median"] is not None
        assert str(service_time(wards=wards)["median_hours"]) == str(
            expected.two_places(expected.hours(row["service_median"]))
        )


def test_kpi_reads_the_complaints_only_for_the_median(city):
    with CaptureQueriesContext(connection) as queries:
        kpi(wards=ALL_WARDS)
    complaint_reads = [q["sql"] for q in queries if 'FROM "complaints"' in q["sql"]]
    assert len(complaint_reads) == 1
    assert "LIMIT 2" in complaint_reads[0]  # the 5th and 6th of ten durations, from their hour
    assert len(queries) == 5  # the tally twice, the hour tally, the median, the user counts


def test_the_tally_follows_every_kind_of_write_and_a_recount_finds_nothing_to_correct(city):
    complaint = city.complaints[0]
    Complaint.objects.filter(pk=complaint.pk).update(ward_number="9", rating=None)
    Complaint.objects.filter(pk=city.complaints[1].pk).delete()
    Complaint.objects.filter(status="বাতিল").update(status="জমা দেওয়া হয়েছে")
    resolved = Complaint.objects.filter(status="সমাধান হয়েছে").order_by("created_at")
    Complaint.objects.filter(pk=resolved[0].pk).update(resolved_at=F("created_at") + HOUR * 90)
    Complaint.objects.filter(pk=resolved[1].pk).update(resolved_at=F("created_at") + HOUR / 4)
    assert complaint_tally_reconcile() == 0
    rows = complaint_tally_compact()
    assert ComplaintTally.objects.count() + ServiceTimeTally.objects.count() == rows
    assert complaint_tally_reconcile() == 0
    assert kpi(wards=ALL_WARDS)["complaint_stats"]["total"] == len(city.complaints) - 1
    everything = complaints_in(ALL_WARDS)
    wanted = everything.aggregate(**service_time_aggregates(everything))["service_median"]
    median = service_time(wards=ALL_WARDS)["median_hours"]
    assert str(median) == str(expected.two_places(expected.hours(wanted)))


def test_a_recount_corrects_a_tally_that_missed_a_write(city):
    with connection.cursor() as cursor:  # as a write with the triggers disabled would leave it
        cursor.execute("DELETE FROM dashboard_complaint_tally WHERE ward_number = '5'")
        cursor.execute("DELETE FROM dashboard_service_time_tally WHERE hours < 5")
    assert complaint_tally_reconcile() > 0
    assert complaint_tally_reconcile() == 0
    assert kpi(wards={"5"})["complaint_stats"]["total"] == 4
    assert service_time(wards=ALL_WARDS)["median_hours"] == Decimal("4.50")


def test_the_version_counter_on_redis():
    cache.delete(VERSION_KEY)
    dashboard_touch()  # no key: starts afresh
    start = dashboard_version()
    dashboard_touch()
    dashboard_touch()
    assert dashboard_version() == start + 2
    assert dashboard_cached(figure="t", scope="all", compute=lambda: [1]) == [1]
    assert dashboard_cached(figure="t", scope="all", compute=lambda: [2]) == [1]
    dashboard_touch()
    assert dashboard_cached(figure="t", scope="all", compute=lambda: [3]) == [3]
