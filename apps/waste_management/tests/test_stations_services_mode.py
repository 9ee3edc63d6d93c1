"""PostgreSQL-only: concurrent readings of one station under its row lock: every reading is kept,
the newest is the current load, and a crossing of 80 % warns once however many readings race."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from apps.notifications.models import Notification
from apps.waste_management.models import StationReading
from apps.waste_management.station_services import station_reading_record

from .station_fixtures import station_make, waste_admin

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


def together(count: int, work):
    """Run ``work(index)`` in ``count`` threads released at the same moment."""
    start = threading.Barrier(count)

    def run(index):
        try:
            start.wait()
            return work(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_racing_readings_keep_the_newest_and_warn_once(wards):
    staff = waste_admin(["5"])
    station = station_make()
    now = timezone.now()
    loads = [Decimal(40 + index) for index in range(8)]  # every one above 80 % of 50 t
    moments = [now - timedelta(minutes=8 - index) for index in range(8)]

    together(8, lambda i: station_reading_record(
        station=station, load_tons=loads[i], at=moments[i], actor=staff
    ))  # fmt: skip

    assert StationReading.objects.filter(station=station).count() == 8
    station.refresh_from_db()
    assert (station.current_load_tons, station.last_reading_at) == (loads[-1], moments[-1])
    assert station.alert_level == 80
    assert Notification.objects.filter(kind="sts.warning", user=staff).count() == 1
