"""Fixtures of the transfer-station tests: the people of the permission matrix around ward 5's
station, and a weighbridge key for it. Test modules import them with ``from .station_fixtures
import *`` (kept out of conftest.py, which the schedules' tests own)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.users.tests.factories import UserFactory, staff_with_rights
from apps.waste_management.models import StationReading, TransferStation
from apps.waste_management.station_services import station_device_key_create

ALL_RIGHTS = {"can_create": True, "can_read": True, "can_update": True, "can_delete": True}


def waste_admin(wards, **rights):
    """A ward admin holding every `waste` right for ``wards`` unless ``rights`` says not."""
    return staff_with_rights("waste", wards, **{**ALL_RIGHTS, **rights})


def station_make(ward="5", capacity="50.00", name="Matuail STS", **fields) -> TransferStation:
    return TransferStation.objects.create(
        name=name, ward_number=ward, capacity_tons=Decimal(capacity), **fields
    )


def reading_make(station, load, *, at=None, **fields) -> StationReading:
    """A stored reading, without the service (history for the selectors)."""
    return StationReading.objects.create(
        station=station, load_tons=Decimal(load), at=at or timezone.now(), **fields
    )


def ago(**delta):
    return timezone.now() - timedelta(**delta)


@pytest.fixture
def other_citizen(db):
    return UserFactory(ward_number="12")


@pytest.fixture
def ward_admin(db):
    """Every `waste` right for ward 5 (the station's)."""
    return waste_admin(["5"])


@pytest.fixture
def other_admin(db):
    """Every `waste` right for ward 12 only."""
    return waste_admin(["12"])


@pytest.fixture
def provider(db):
    return UserFactory(user_type="service_provider", ward_number="5")


@pytest.fixture
def station(db):
    return station_make()


@pytest.fixture
def other_station(db):
    return station_make(ward="12", name="Ward 12 STS")


@pytest.fixture
def device(station, super_admin):
    """(key row, secret) of ward 5's station's weighbridge."""
    issued = station_device_key_create(station=station, name="Gate scale", actor=super_admin)
    return issued.key, issued.secret


ROLES = ["anonymous", "citizen", "other_citizen", "ward_admin", "other_admin", "provider",
         "super_admin"]  # fmt: skip

__all__ = [
    "ROLES",
    "ago",
    "device",
    "other_admin",
    "other_citizen",
    "other_station",
    "provider",
    "reading_make",
    "station",
    "station_make",
    "ward_admin",
    "waste_admin",
]
