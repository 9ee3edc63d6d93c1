"""dashboard/sts-overview/ and the reports: the stations of the viewer's `waste` wards with
numbers equal to the readings (each Dhaka day's last reading), through the dashboard's cache."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase

from apps.dashboard.reports.tables import report_sections
from apps.dashboard.selectors.common import Period
from apps.dashboard.selectors.report import report_figures
from apps.users.policy import ALL_WARDS
from apps.waste_management.station_services import station_reading_record

from .station_fixtures import *  # noqa: F403
from .station_fixtures import station_make, waste_admin

pytestmark = pytest.mark.django_db

DHAKA = ZoneInfo("Asia/Dhaka")
NOW = datetime(2025, 3, 15, 12, 0, tzinfo=DHAKA)  # a Saturday noon in Dhaka
TODAY = date(2025, 3, 15)
OVERVIEW = "/api/v1/dashboard/sts-overview/"


@contextmanager
def frozen(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def at(days_ago: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour, minute, second), DHAKA)


def weigh(station, load, moment, by):
    with TestCase.captureOnCommitCallbacks(execute=True):
        station_reading_record(station=station, load_tons=load, at=moment, actor=by)


@pytest.fixture
def stations(super_admin):
    """Matuail (ward 5, 50 t) with a week of readings; ward 12's (30 t) with none; a station
    out of service, which nobody's overview shows."""
    with frozen(NOW):
        matuail = station_make()
        quiet = station_make(ward="12", name="Ward 12 STS", capacity="30")
        station_make(name="Closed STS", is_active=False)
        for load, moment in [
            ("45", at(8, 10)),  # before the window
            ("10", at(6, 9)),
            ("12.5", at(6, 18)),  # day -6's last
            ("40", at(3, 23, 59, 59)),  # day -3's last, a second before midnight
            ("7", at(2, 0, 0, 0)),  # day -2's first second
            ("33.33", at(0, 8)),
            ("42.25", at(0, 11, 59)),  # today's last: the current load
        ]:
            weigh(matuail, load, moment, super_admin)
        weigh(matuail, "49", at(1, 6), super_admin)  # late, older: day -1, not current
    return matuail, quiet


def day(days_ago, load=None, percent=None):
    return {
        "date": (TODAY - timedelta(days=days_ago)).isoformat(),
        "load_tons": load,
        "utilization_percent": percent,
    }


def matuail_expected(station):
    return {
        "id": str(station.pk),
        "name": "Matuail STS",
        "ward_number": "5",
        "capacity_tons": "50.00",
        "current_load_tons": "42.25",
        "utilization_percent": "84.50",
        "last_reading_at": "2025-03-15T11:59:00+06:00",
        "alert_level": 80,
        "trend": [
            day(6, "12.50", "25.00"),
            day(5),
            day(4),
            day(3, "40.00", "80.00"),
            day(2, "7.00", "14.00"),
            day(1, "49.00", "98.00"),
            day(0, "42.25", "84.50"),
        ],
    }


def quiet_expected(station):
    return {
        "id": str(station.pk),
        "name": "Ward 12 STS",
        "ward_number": "12",
        "capacity_tons": "30.00",
        "current_load_tons": None,
        "utilization_percent": None,
        "last_reading_at": None,
        "alert_level": 0,
        "trend": [day(back) for back in range(6, -1, -1)],
    }


def test_the_super_admin_sees_every_station_with_the_readings_numbers(
    api_as, super_admin, stations
):
    matuail, quiet = stations
    with frozen(NOW):
        client = api_as(super_admin)
        first = client.get(OVERVIEW)
        assert first.status_code == 200, first.content
        assert first.json() == [matuail_expected(matuail), quiet_expected(quiet)]
        assert client.get(OVERVIEW).json() == first.json()  # the cached answer is the same


def test_ward_admins_see_the_stations_of_their_waste_wards(
    api_as, ward_admin, other_admin, stations
):
    matuail, quiet = stations
    elsewhere = waste_admin(["7"])
    with frozen(NOW):
        assert api_as(ward_admin).get(OVERVIEW).json() == [matuail_expected(matuail)]
        assert api_as(other_admin).get(OVERVIEW).json() == [quiet_expected(quiet)]
        assert api_as(elsewhere).get(OVERVIEW).json() == []


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("citizen", 403), ("provider", 403), ("other_citizen", 403)],
)
def test_others_are_refused(api, api_as, people, role, status):
    client = api if people[role] is None else api_as(people[role])
    assert client.get(OVERVIEW).status_code == status


def test_a_new_reading_shows_on_the_next_read(api_as, super_admin, stations):
    matuail, _quiet = stations
    with frozen(NOW):
        client = api_as(super_admin)
        assert client.get(OVERVIEW).json()[0]["utilization_percent"] == "84.50"
        response = client.post(
            f"/api/v1/waste/sts/{matuail.pk}/readings/", {"load_tons": "50"}, format="json"
        )
        assert response.status_code == 201, response.content
        answer = client.get(OVERVIEW).json()[0]
        assert (answer["utilization_percent"], answer["alert_level"]) == ("100.00", 100)
        assert answer["trend"][-1] == day(0, "50.00", "100.00")


def test_the_trend_moves_with_the_dhaka_day(api_as, super_admin, stations):
    _matuail, _quiet = stations
    tomorrow = NOW + timedelta(hours=12, minutes=1)  # 00:01 the next day in Dhaka
    with frozen(tomorrow):
        answer = api_as(super_admin).get(OVERVIEW).json()[0]
    assert [point["date"] for point in answer["trend"]] == [
        (TODAY - timedelta(days=back)).isoformat() for back in range(5, -2, -1)
    ]
    assert answer["trend"][0] == day(5)
    assert answer["trend"][-1] == day(-1)
    assert answer["trend"][-2] == day(0, "42.25", "84.50")


def test_the_reports_show_the_stations_of_the_period(stations):
    matuail, quiet = stations
    period = Period(since=at(3, 0), until=at(1, 0))  # days -3 and -2
    with frozen(NOW):
        figures = report_figures(
            wards=ALL_WARDS, payment_wards=ALL_WARDS, emergency_wards=ALL_WARDS, period=period
        )
    assert figures["stations"] == [
        {
            "id": matuail.pk,
            "name": "Matuail STS",
            "ward_number": "5",
            "capacity_tons": Decimal("50.00"),
            "readings": 2,
            "peak_load_tons": Decimal("40.00"),
            "peak_percent": Decimal("80.00"),
            "closing_load_tons": Decimal("7.00"),
            "closing_percent": Decimal("14.00"),
        },
        {
            "id": quiet.pk,
            "name": "Ward 12 STS",
            "ward_number": "12",
            "capacity_tons": Decimal("30.00"),
            "readings": 0,
            "peak_load_tons": None,
            "peak_percent": None,
            "closing_load_tons": None,
            "closing_percent": None,
        },
    ]
    section = next(s for s in report_sections(figures) if s.sheet == "Transfer stations")
    assert section.rows[0] == [
        "Matuail STS",
        "5",
        Decimal("50.00"),
        2,
        Decimal("40.00"),
        Decimal("80.00"),
        Decimal("7.00"),
        Decimal("14.00"),
    ]
    ward_12 = report_figures(
        wards={"12"}, payment_wards=set(), emergency_wards=set(), period=period
    )
    assert ward_12["stations"] == figures["stations"][1:]
