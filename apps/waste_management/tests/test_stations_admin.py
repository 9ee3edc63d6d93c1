"""Django admin of transfer stations: stations through the services (audited), weighbridge keys
shown once and revoked, readings read-only."""

import hashlib
import re
from decimal import Decimal

import pytest
from django.test import Client

from apps.users.models import ActivityAction, ActivityLog
from apps.waste_management.models import StationDeviceKey, StationReading, TransferStation

from .station_fixtures import *  # noqa: F403
from .station_fixtures import reading_make

pytestmark = pytest.mark.django_db

STATIONS = "/admin/waste_management/transferstation/"
KEYS = "/admin/waste_management/stationdevicekey/"
READINGS = "/admin/waste_management/stationreading/"
SECRET = re.compile(r"sts_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def operator(super_admin):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(super_admin)
    return client


def station_form(**overrides) -> dict:
    return {
        "name": "Matuail STS",
        "ward_number": "৫",
        "capacity_tons": "40",
        "latitude": "",
        "longitude": "",
        "is_active": "on",
        **overrides,
    }


def test_pages_render(operator, station):
    reading_make(station, "12")
    assert operator.get(STATIONS).status_code == 200
    assert operator.get(f"{STATIONS}add/").status_code == 200
    assert operator.get(f"{STATIONS}{station.pk}/change/").status_code == 200
    assert operator.get(f"{STATIONS}{station.pk}/delete/").status_code == 403
    assert operator.get(READINGS).status_code == 200
    assert operator.get(KEYS).status_code == 200
    assert operator.get(f"{KEYS}add/").status_code == 200


def test_adding_and_editing_a_station_go_through_the_services(operator, super_admin):
    response = operator.post(f"{STATIONS}add/", station_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    station = TransferStation.objects.get()
    assert (station.ward_number, station.capacity_tons) == ("5", Decimal("40.00"))
    created = ActivityLog.objects.get(action=ActivityAction.STATION_CREATED)
    assert (created.user, created.resource_id) == (super_admin, station.pk)

    response = operator.post(f"{STATIONS}{station.pk}/change/", station_form(capacity_tons="45"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    station.refresh_from_db()
    assert station.capacity_tons == Decimal("45.00")
    updated = ActivityLog.objects.get(action=ActivityAction.STATION_UPDATED)
    assert updated.details == {"fields": ["capacity_tons"]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"capacity_tons": "0"}, "capacity_tons"), ({"ward_number": "999"}, "ward_number")],
)
def test_the_services_rules_show_on_the_form(operator, overrides, field):
    response = operator.post(f"{STATIONS}add/", station_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not TransferStation.objects.exists()


def test_a_key_is_shown_once_stored_hashed_and_works(operator, api, super_admin, station):
    page = operator.post(f"{KEYS}add/", {"station": station.pk, "name": "Gate scale"}, follow=True)
    assert page.status_code == 200
    (secret,) = SECRET.findall(page.content.decode())
    key = StationDeviceKey.objects.get()
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(key.key_prefix)
    assert secret not in str(StationDeviceKey.objects.values().get())
    assert SECRET.findall(operator.get(KEYS).content.decode()) == []
    assert SECRET.findall(operator.get(f"{KEYS}{key.pk}/change/").content.decode()) == []
    created = ActivityLog.objects.get(action=ActivityAction.STATION_KEY_CREATED)
    assert (created.user, created.resource_id) == (super_admin, key.pk)
    url = f"/api/v1/waste/sts/{station.pk}/readings/"
    sent = api.post(url, {"load_tons": "3"}, format="json", HTTP_X_DEVICE_KEY=secret)
    assert sent.status_code == 201


def test_revoking_a_key_stops_it_at_once(operator, api, station, device):
    key, secret = device
    response = operator.post(KEYS, {"action": "revoke_station_keys", "_selected_action": [key.pk]})
    assert response.status_code == 302
    key.refresh_from_db()
    assert not key.is_active
    assert ActivityLog.objects.filter(action=ActivityAction.STATION_KEY_REVOKED).count() == 1
    url = f"/api/v1/waste/sts/{station.pk}/readings/"
    refused = api.post(url, {"load_tons": "3"}, format="json", HTTP_X_DEVICE_KEY=secret)
    assert refused.status_code == 401
    assert not StationReading.objects.exists()
