"""/waste/sts/: who may list, add, change and weigh transfer stations, and what bad input gets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.users.models import ActivityLog
from apps.waste_management.models import StationDeviceKey, StationReading, TransferStation
from apps.waste_management.station_services import station_device_key_revoke

from .station_fixtures import *  # noqa: F403
from .station_fixtures import ROLES, ago, reading_make, waste_admin

pytestmark = pytest.mark.django_db

BASE = "/api/v1/waste/sts/"


def client_for(api, api_as, people, role):
    person = people[role]
    return api if person is None else api_as(person)


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "code", "details"}
    assert body["code"] == code
    return body


# ---------------------------------------------------------------------------------------------
# Permission matrices
# ---------------------------------------------------------------------------------------------
LIST = {
    "anonymous": (401, None),
    "citizen": (403, None),
    "other_citizen": (403, None),
    "ward_admin": (200, ["Matuail STS"]),
    "other_admin": (200, ["Ward 12 STS"]),
    "provider": (403, None),
    "super_admin": (200, ["Matuail STS", "Ward 12 STS"]),
}


@pytest.mark.parametrize("role", ROLES)
def test_list_matrix(api, api_as, people, station, other_station, role):
    status, names = LIST[role]
    response = client_for(api, api_as, people, role).get(BASE)
    assert response.status_code == status, response.content
    if names is not None:
        body = response.json()
        assert body["count"] == len(names)
        assert [row["name"] for row in body["results"]] == names


CREATE = {
    "anonymous": 401,
    "citizen": 403,
    "other_citizen": 403,
    "ward_admin": 201,
    "other_admin": 403,
    "provider": 403,
    "super_admin": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix(api, api_as, people, role):
    body = {"name": "Jatrabari STS", "ward_number": "০৫", "capacity_tons": "30"}
    response = client_for(api, api_as, people, role).post(BASE, body, format="json")
    assert response.status_code == CREATE[role], response.content
    if CREATE[role] == 201:
        station = TransferStation.objects.get()
        assert response.json() == {
            "id": str(station.pk),
            "name": "Jatrabari STS",
            "ward_number": "5",
            "capacity_tons": "30.00",
            "latitude": None,
            "longitude": None,
            "current_load_tons": None,
            "utilization_percent": None,
            "last_reading_at": None,
        }
        log = ActivityLog.objects.get(action="waste.station_created")
        assert log.user == people[role]
        assert log.resource_id == station.pk
    else:
        assert not TransferStation.objects.exists()


def test_create_needs_the_create_right(api_as):
    reader = waste_admin(["5"], can_create=False)
    response = api_as(reader).post(
        BASE, {"name": "X", "ward_number": "5", "capacity_tons": "3"}, format="json"
    )
    _error(response, 403, "permission_denied")
    assert not TransferStation.objects.exists()


DETAIL = {
    "anonymous": 401,
    "citizen": 403,
    "other_citizen": 403,
    "ward_admin": 200,
    "other_admin": 404,
    "provider": 403,
    "super_admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_detail_matrix(api, api_as, people, station, role):
    reading_make(station, "10")
    station.current_load_tons, station.last_reading_at = Decimal("41.00"), ago(hours=1)
    station.save()
    response = client_for(api, api_as, people, role).get(f"{BASE}{station.pk}/")
    assert response.status_code == DETAIL[role], response.content
    if DETAIL[role] == 200:
        body = response.json()
        assert body["current_load_tons"] == "41.00"
        assert body["utilization_percent"] == "82.00"


@pytest.mark.parametrize("role", ROLES)
def test_patch_matrix(api, api_as, people, station, role):
    response = client_for(api, api_as, people, role).patch(
        f"{BASE}{station.pk}/", {"capacity_tons": "60.5"}, format="json"
    )
    assert response.status_code == DETAIL[role], response.content
    station.refresh_from_db()
    if DETAIL[role] == 200:
        assert response.json()["capacity_tons"] == "60.50"
        assert station.capacity_tons == Decimal("60.50")
        log = ActivityLog.objects.get(action="waste.station_updated")
        assert log.details == {"fields": ["capacity_tons"]}
    else:
        assert station.capacity_tons == Decimal("50.00")
        assert not ActivityLog.objects.filter(action="waste.station_updated").exists()


def test_patch_needs_the_update_right_and_both_wards_to_move(api_as, station):
    reader = waste_admin(["5"], can_update=False)
    response = api_as(reader).patch(f"{BASE}{station.pk}/", {"name": "New"}, format="json")
    _error(response, 403, "permission_denied")
    response = api_as(waste_admin(["5"])).patch(
        f"{BASE}{station.pk}/", {"ward_number": "12"}, format="json"
    )
    _error(response, 403, "permission_denied")
    station.refresh_from_db()
    assert (station.name, station.ward_number) == ("Matuail STS", "5")


READ_READINGS = DETAIL


@pytest.mark.parametrize("role", ROLES)
def test_reading_list_matrix(api, api_as, people, station, role):
    reading_make(station, "10", at=ago(hours=2))
    reading_make(station, "12.5", at=ago(hours=1))
    response = client_for(api, api_as, people, role).get(f"{BASE}{station.pk}/readings/")
    assert response.status_code == READ_READINGS[role], response.content
    if READ_READINGS[role] == 200:
        body = response.json()
        assert body["count"] == 2
        assert [r["load_tons"] for r in body["results"]] == ["12.50", "10.00"]
        assert [r["utilization_percent"] for r in body["results"]] == ["25.00", "20.00"]


RECORD = {
    "anonymous": 401,
    "citizen": 403,
    "other_citizen": 403,
    "ward_admin": 201,
    "other_admin": 404,
    "provider": 403,
    "super_admin": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_record_matrix(api, api_as, people, station, role):
    response = client_for(api, api_as, people, role).post(
        f"{BASE}{station.pk}/readings/", {"load_tons": "20.5"}, format="json"
    )
    assert response.status_code == RECORD[role], response.content
    station.refresh_from_db()
    if RECORD[role] == 201:
        reading = StationReading.objects.get()
        body = response.json()
        assert body["id"] == str(reading.pk)
        assert body["load_tons"] == "20.50"
        assert body["utilization_percent"] == "41.00"
        assert body["source"] == "staff"
        assert body["recorded_by_name"] == people[role].name
        assert reading.recorded_by == people[role]
        assert station.current_load_tons == Decimal("20.50")
        assert station.last_reading_at == reading.at
    else:
        assert not StationReading.objects.exists()
        assert station.current_load_tons is None


def test_recording_needs_the_update_right(api_as, station):
    reader = waste_admin(["5"], can_update=False)
    response = api_as(reader).post(
        f"{BASE}{station.pk}/readings/", {"load_tons": "1"}, format="json"
    )
    _error(response, 403, "permission_denied")
    assert not StationReading.objects.exists()


# ---------------------------------------------------------------------------------------------
# Weighbridge keys
# ---------------------------------------------------------------------------------------------
def test_the_stations_weighbridge_records_with_its_key(api, station, device):
    key, secret = device
    assert key.key_hash != secret
    assert secret.startswith(key.key_prefix)
    at = ago(minutes=5)
    response = api.post(
        f"{BASE}{station.pk}/readings/",
        {"load_tons": "44", "at": at.isoformat()},
        format="json",
        HTTP_X_DEVICE_KEY=secret,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"], body["device_name"], body["recorded_by_name"]) == (
        "weighbridge",
        "Gate scale",
        None,
    )
    reading = StationReading.objects.get()
    assert (reading.device, reading.recorded_by, reading.at) == (key, None, at)
    key.refresh_from_db()
    assert key.last_used_at is not None
    station.refresh_from_db()
    assert station.current_load_tons == Decimal("44.00")


def test_a_key_works_for_its_own_station_only(api, station, other_station, device):
    _key, secret = device
    response = api.post(
        f"{BASE}{other_station.pk}/readings/",
        {"load_tons": "4"},
        format="json",
        HTTP_X_DEVICE_KEY=secret,
    )
    _error(response, 403, "permission_denied")
    assert not StationReading.objects.exists()


def test_a_key_cannot_read_or_change_stations(api, station, device):
    _key, secret = device
    readings = api.get(f"{BASE}{station.pk}/readings/", HTTP_X_DEVICE_KEY=secret)
    _error(readings, 403, "permission_denied")
    stations = api.get(BASE, HTTP_X_DEVICE_KEY=secret)
    assert stations.status_code == 401  # the key means nothing outside the readings route


@pytest.mark.parametrize("which", ["revoked", "unknown"])
def test_a_revoked_or_unknown_key_is_refused(api, station, device, super_admin, which):
    key, secret = device
    if which == "revoked":
        assert station_device_key_revoke(key=key, actor=super_admin) is True
        assert station_device_key_revoke(key=key, actor=super_admin) is False
    else:
        secret = secret[:-4] + "abcd"
    response = api.post(
        f"{BASE}{station.pk}/readings/",
        {"load_tons": "4"},
        format="json",
        HTTP_X_DEVICE_KEY=secret,
    )
    _error(response, 401, "authentication_failed")
    assert not StationReading.objects.exists()
    assert StationDeviceKey.objects.get().last_used_at is None
    assert ActivityLog.objects.filter(action="waste.station_key_created").count() == 1
    revoked = ActivityLog.objects.filter(action="waste.station_key_revoked").count()
    assert revoked == (1 if which == "revoked" else 0)


# ---------------------------------------------------------------------------------------------
# Bad input: 400, nothing stored
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"load_tons": "-0.01"}, "load_tons"),
        ({"load_tons": "abc"}, "load_tons"),
        ({}, "load_tons"),
        ({"load_tons": "1.234"}, "load_tons"),
        ({"load_tons": "1", "at": "tomorrow"}, "at"),
    ],
)
def test_bad_readings(api_as, super_admin, station, body, field):
    response = api_as(super_admin).post(f"{BASE}{station.pk}/readings/", body, format="json")
    assert _error(response, 400, "validation_error")["details"].keys() == {field}
    assert not StationReading.objects.exists()
    station.refresh_from_db()
    assert station.current_load_tons is None


def test_a_reading_in_the_future_is_refused(api_as, super_admin, station):
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    response = api_as(super_admin).post(
        f"{BASE}{station.pk}/readings/", {"load_tons": "3", "at": later}, format="json"
    )
    assert _error(response, 400, "validation_error")["details"].keys() == {"at"}
    assert not StationReading.objects.exists()


def test_a_negative_load_from_a_device_is_refused(api, station, device):
    response = api.post(
        f"{BASE}{station.pk}/readings/",
        {"load_tons": "-2"},
        format="json",
        HTTP_X_DEVICE_KEY=device[1],
    )
    assert _error(response, 400, "validation_error")["details"].keys() == {"load_tons"}
    assert not StationReading.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "A", "ward_number": "5", "capacity_tons": "0"}, "capacity_tons"),
        ({"name": "A", "ward_number": "5", "capacity_tons": "-3"}, "capacity_tons"),
        ({"name": "A", "ward_number": "999", "capacity_tons": "3"}, "ward_number"),
        ({"name": "A", "ward_number": "", "capacity_tons": "3"}, "ward_number"),
        ({"name": " ", "ward_number": "5", "capacity_tons": "3"}, "name"),
        ({"name": "A", "ward_number": "5"}, "capacity_tons"),
        ({"name": "A", "ward_number": "5", "capacity_tons": "3", "latitude": "23.7"}, "latitude"),
        ({"name": "A", "ward_number": "5", "capacity_tons": "3", "latitude": "91"}, "latitude"),
    ],
)
def test_bad_stations(api_as, super_admin, body, field):
    response = api_as(super_admin).post(BASE, body, format="json")
    assert _error(response, 400, "validation_error")["details"].keys() == {field}
    assert not TransferStation.objects.exists()
    assert not ActivityLog.objects.filter(action="waste.station_created").exists()


@pytest.mark.parametrize(
    "body", [{"capacity_tons": "0"}, {"ward_number": "999"}, {"name": ""}, {"latitude": "1"}]
)
def test_bad_changes_change_nothing(api_as, super_admin, station, body):
    response = api_as(super_admin).patch(f"{BASE}{station.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    fresh = TransferStation.objects.get(pk=station.pk)
    assert (fresh.name, fresh.ward_number, fresh.capacity_tons, fresh.latitude) == (
        "Matuail STS",
        "5",
        Decimal("50.00"),
        None,
    )


# ---------------------------------------------------------------------------------------------
# The newest reading is the current load
# ---------------------------------------------------------------------------------------------
def test_a_late_older_reading_is_stored_but_does_not_move_the_current_load(
    api_as, super_admin, station
):
    client = api_as(super_admin)
    newer, older = ago(minutes=10), ago(hours=3)
    url = f"{BASE}{station.pk}/readings/"
    assert (
        client.post(url, {"load_tons": "30", "at": newer.isoformat()}, format="json").status_code
        == 201
    )
    assert (
        client.post(url, {"load_tons": "45", "at": older.isoformat()}, format="json").status_code
        == 201
    )
    station.refresh_from_db()
    assert (station.current_load_tons, station.last_reading_at) == (Decimal("30.00"), newer)
    assert StationReading.objects.count() == 2
    listed = client.get(url).json()["results"]
    assert [r["load_tons"] for r in listed] == ["30.00", "45.00"]


def test_the_mobile_prefix_serves_the_same_routes(api_as, super_admin, station):
    assert api_as(super_admin).get("/api/waste/sts/").status_code == 200


def test_unknown_station_is_404(api_as, super_admin, station):
    missing = f"{BASE}00000000-0000-0000-0000-000000000000/"
    client = api_as(super_admin)
    _error(client.get(missing), 404, "not_found")
    _error(client.post(f"{missing}readings/", {"load_tons": "1"}, format="json"), 404, "not_found")
    assert not StationReading.objects.exists()


def test_each_weighbridge_has_its_own_rate_budget(api, station, device, super_admin):
    from unittest import mock

    from apps.waste_management.station_services import station_device_key_create
    from apps.waste_management.station_views import StationDeviceThrottle

    second = station_device_key_create(station=station, name="Exit scale", actor=super_admin)
    url = f"{BASE}{station.pk}/readings/"

    def send(secret):
        return api.post(url, {"load_tons": "1"}, format="json", HTTP_X_DEVICE_KEY=secret)

    with mock.patch.object(StationDeviceThrottle, "rate", "2/hour"):
        assert [send(device[1]).status_code for _ in range(3)] == [201, 201, 429]
        assert send(second.secret).status_code == 201
    assert StationReading.objects.count() == 3
