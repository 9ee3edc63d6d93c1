"""`seed_demo` adds three transfer stations with a week of readings once; one is above 80 %."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from apps.notifications.models import Notification
from apps.users.policy import ALL_WARDS
from apps.waste_management.models import StationReading, TransferStation
from apps.waste_management.station_selectors import station_overview

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_stations_are_loaded_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = seed()
        again = seed()
    assert TransferStation.objects.count() == 3
    assert StationReading.objects.count() == 3 * 13
    assert "Demo transfer stations:" in output
    assert "Demo transfer stations:" not in again
    overview = {row["ward_number"]: row for row in station_overview(wards=ALL_WARDS)}
    assert overview["5"]["utilization_percent"] == Decimal("86.25")
    assert overview["5"]["alert_level"] == 80
    assert all(row["utilization_percent"] < 80 for w, row in overview.items() if w != "5")
    assert all(
        all(day["load_tons"] is not None for day in row["trend"]) for row in overview.values()
    )
    # The demo ward admin (wards 1-10) heard of ward 5's station, once.
    told = Notification.objects.filter(kind="sts.warning")
    assert list(told.values_list("user__phone", flat=True)) == ["+8801700000002"]
