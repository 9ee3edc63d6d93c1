"""PostgreSQL and Redis only: the median is percentile_cont inside the one aggregate, it agrees
with the portable middle-rows read, and the version counter works on Redis."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.dashboard.cache import VERSION_KEY, dashboard_cached, dashboard_touch, dashboard_version
from apps.dashboard.selectors import kpi, service_time
from apps.dashboard.selectors.complaints import complaints_in, median_by_offset
from apps.users.policy import ALL_WARDS

from . import expected

pytestmark = [pytest.mark.services, pytest.mark.django_db]


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
def test_the_median_is_percentile_cont_in_one_query(city, wards, median):
    scope = ALL_WARDS if wards is None else wards
    with CaptureQueriesContext(connection) as queries:
        figure = service_time(wards=scope)
    assert len(queries) == 1
    assert "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY" in queries[0]["sql"]
    wanted = expected.service_time(city.complaints, wards)
    assert wanted["median_hours"] == median
    assert figure == {
        key: Decimal(value) if isinstance(value, str) else value for key, value in wanted.items()
    }


def test_the_portable_median_agrees_with_postgresql(city):
    for wards in (ALL_WARDS, {"1", "2", "3"}, {"5"}, {"10"}):
        count = len(expected.resolved(expected.in_scope(city.complaints, wards)))
        portable = median_by_offset(complaints_in(wards), count)
        database = service_time(wards=wards)["median_hours"]
        assert expected.two_places(expected.hours(portable)) == str(database)


def test_kpi_reads_the_complaints_once(city):
    with CaptureQueriesContext(connection) as queries:
        kpi(wards=ALL_WARDS)
    complaint_scans = [q for q in queries if 'FROM "complaints"' in q["sql"]]
    assert len(complaint_scans) == 2  # the one aggregate (median included) and the ward ranking
    assert len(queries) == 3  # plus the user counts


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
