"""Three demo transfer stations with a week of readings, which `seed_demo` loads once; the ward 5
one stands above 80 % today, so the demo ward admin has a warning and the dashboard a red bar."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.users.models import User, UserType

from .models import TransferStation
from .station_services import station_create, station_reading_record

DEMO_OPERATOR = "+8801700000001"  # the demo super admin adds the stations and weighs them
# (name, ward, capacity in tons, coordinates, loads: 08:00 and 18:00 of the six days before
# today, oldest first, then today's reading of a few minutes ago)
DEMO_STATIONS = [
    (
        "মাতুয়াইল এসটিএস (ডেমো)",
        "5",
        "40",
        ("23.71520000", "90.45210000"),
        ["12", "21", "14", "24", "13", "26", "15", "27", "16", "29", "18", "31", "34.5"],
    ),
    (
        "কমলাপুর এসটিএস (ডেমো)",
        "1",
        "30",
        ("23.73220000", "90.42580000"),
        ["8", "15", "9", "16", "7", "14", "9", "17", "8", "15", "10", "18", "13.5"],
    ),
    (
        "মিরপুর ১০ এসটিএস (ডেমো)",
        "12",
        "50",
        ("23.80690000", "90.36870000"),
        ["15", "27", "14", "26", "16", "28", "15", "25", "17", "29", "16", "27", "22"],
    ),
]
READING_HOURS = (8, 18)


def _moments(now: datetime) -> list[datetime]:
    today = timezone.localdate(now)
    moments = [
        timezone.make_aware(datetime.combine(today - timedelta(days=back), time(hour)))
        for back in range(6, 0, -1)
        for hour in READING_HOURS
    ]
    midnight = timezone.make_aware(datetime.combine(today, time()))
    return [*moments, max(now - timedelta(minutes=10), midnight)]  # today's, whatever the hour


def demo_stations_load() -> list[TransferStation]:
    """Add the demo stations that are missing (by name) with their week of readings, through
    the services as the demo super admin; nothing happens without that account."""
    operator = User.objects.filter(
        phone=DEMO_OPERATOR, user_type=UserType.SUPER_ADMIN, is_active=True
    ).first()
    if operator is None:
        return []
    created = []
    moments = _moments(timezone.now())
    for name, ward, capacity, (latitude, longitude), loads in DEMO_STATIONS:
        if TransferStation.objects.filter(name=name).exists():
            continue
        with transaction.atomic():
            station = station_create(
                actor=operator,
                data={
                    "name": name,
                    "ward_number": ward,
                    "capacity_tons": Decimal(capacity),
                    "latitude": Decimal(latitude),
                    "longitude": Decimal(longitude),
                },
            )
            for load, moment in zip(loads, moments, strict=True):
                station_reading_record(
                    station=station, load_tons=Decimal(load), at=moment, actor=operator
                )
        created.append(station)
    return created
