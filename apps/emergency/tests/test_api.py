"""REST endpoints of /emergency/: raising, the permission matrix, bad input, idempotency."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.emergency.models import EmergencyRequest, EmergencyUpdate
from apps.notifications.models import Notification
from apps.users.models import ActivityAction, ActivityLog
from core.testing import page_queries

from .factories import EmergencyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/emergency/"
FIRE = {
    "emergency_type": "fire",
    "description": "রান্নাঘরে আগুন লেগেছে, ধোঁয়ায় সিঁড়ি ভরে গেছে।",
    "location": "বাড়ি ১২, রোড ৩, বাসাবো",
    "latitude": 23.73954,
    "longitude": 90.42811,
}
ROLES = ["anonymous", "citizen", "other_citizen", "ward_admin", "other_admin", "provider",
         "super_admin"]  # fmt: skip
SEE = {"citizen", "ward_admin", "super_admin"}
MANAGE = {"ward_admin", "super_admin"}


def client_for(api, api_as, person):
    return api if person is None else api_as(person)


# ---------------------------------------------------------------------------------------------
# Raising
# ---------------------------------------------------------------------------------------------
def test_priority_is_high_whatever_is_sent_and_the_hotline_is_shown(api_as, citizen):
    response = api_as(citizen).post(URL, {**FIRE, "priority": "নিম্ন"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["priority"], body["hotline"], body["status_code"]) == ("উচ্চ", "999", "submitted")
    assert body["emergency_type"] == "অগ্নিকাণ্ড"
    assert body["ward_number"] == "5"  # the nearest ward centre to the point
    assert [step["new_status_code"] for step in body["history"]] == ["submitted"]
    assert Notification.objects.filter(user=citizen, kind="emergency.received").count() == 1


def test_no_hotline_for_other_emergencies(api_as, citizen):
    body = api_as(citizen).post(URL, {**FIRE, "emergency_type": "other"}, format="json").json()
    assert body["hotline"] is None


def test_without_a_point_the_ward_given_or_the_citizens_own_is_used(api_as, citizen):
    client = api_as(citizen)
    given = {key: FIRE[key] for key in ("emergency_type", "description", "location")}
    assert (
        client.post(URL, {**given, "ward_number": "০৭"}, format="json").json()["ward_number"] == "7"
    )
    assert client.post(URL, given, format="json").json()["ward_number"] == "5"


def test_an_idempotent_retry_creates_nothing_new(api_as, citizen):
    client = api_as(citizen)
    first = client.post(URL, FIRE, format="json", HTTP_IDEMPOTENCY_KEY="sos-1")
    retry = client.post(URL, FIRE, format="json", HTTP_IDEMPOTENCY_KEY="sos-1")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert first.json()["id"] == retry.json()["id"]
    assert EmergencyRequest.objects.count() == 1


def test_a_citizen_cannot_flood_the_staff(api_as, citizen, settings):
    settings.EMERGENCY_CREATE_LIMIT = 2
    client = api_as(citizen)
    codes = [client.post(URL, FIRE, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert EmergencyRequest.objects.count() == 2
    refused = client.post(URL, FIRE, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "999" in refused["error"]


def test_mistakes_and_retries_do_not_count_against_the_limit(api_as, citizen, settings):
    settings.EMERGENCY_CREATE_LIMIT = 1
    client = api_as(citizen)
    for _ in range(5):
        assert client.post(URL, {**FIRE, "description": ""}, format="json").status_code == 400
    first = client.post(URL, FIRE, format="json", HTTP_IDEMPOTENCY_KEY="sos-9")
    retry = client.post(URL, FIRE, format="json", HTTP_IDEMPOTENCY_KEY="sos-9")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert EmergencyRequest.objects.count() == 1


def test_booleans_are_not_coordinates(api_as, citizen):
    response = api_as(citizen).post(
        URL, {**FIRE, "latitude": True, "longitude": False}, format="json"
    )
    assert response.status_code == 400
    assert EmergencyRequest.objects.count() == 0


def test_someone_elses_emergency_is_not_taken_from_them(api_as, emergency, provider, super_admin):
    from .conftest import emergency_admin

    neighbour = emergency_admin(["4"])
    emergency.assigned_to = provider
    emergency.save(update_fields=["assigned_to"])
    EmergencyDispatch = emergency.dispatches.model
    EmergencyDispatch.objects.create(emergency=emergency, staff=neighbour)
    taken = api_as(neighbour).post(
        f"{URL}{emergency.pk}/assign/", {"assigned_to": str(neighbour.pk)}, format="json"
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "already_assigned")
    handed = api_as(super_admin).post(
        f"{URL}{emergency.pk}/assign/", {"assigned_to": str(super_admin.pk)}, format="json"
    )
    assert handed.status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"emergency_type": "flood"}, "emergency_type"),
        ({"emergency_type": 7}, "emergency_type"),
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"location": None}, "location"),
        ({"latitude": 91}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"latitude": None}, "latitude"),
        ({"ward_number": "999"}, "ward_number"),
    ],
)
def test_bad_input_is_400_and_stores_nothing(api_as, citizen, change, field):
    response = api_as(citizen).post(URL, {**FIRE, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["details"]
    assert EmergencyRequest.objects.count() == 0
    assert Notification.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# The permission matrix
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ROLES)
class TestMatrix:
    def test_raise(self, api, api_as, people, who):
        response = client_for(api, api_as, people[who]).post(URL, FIRE, format="json")
        expected = (
            401 if who == "anonymous" else 201 if who in ("citizen", "other_citizen") else 403
        )
        assert response.status_code == expected

    def test_list_and_detail(self, api, api_as, people, emergency, who):
        client = client_for(api, api_as, people[who])
        listing, detail = client.get(URL), client.get(f"{URL}{emergency.pk}/")
        if who == "anonymous":
            assert (listing.status_code, detail.status_code) == (401, 401)
            return
        ids = [row["id"] for row in listing.json()["results"]]
        assert ids == ([str(emergency.pk)] if who in SEE else [])
        assert detail.status_code == (200 if who in SEE else 404)

    def test_assign(self, api, api_as, people, emergency, who):
        person = people[who]
        body = {"assigned_to": str((person or people["ward_admin"]).pk)}
        response = client_for(api, api_as, person).post(
            f"{URL}{emergency.pk}/assign/", body, format="json"
        )
        if who == "anonymous":
            expected = 401
        elif who in ("citizen", "other_citizen"):
            expected = 403
        else:
            expected = 200 if who in MANAGE else 404
        assert response.status_code == expected
        emergency.refresh_from_db()
        assert (emergency.assigned_to_id is not None) == (expected == 200)

    def test_status(self, api, api_as, people, emergency, who):
        response = client_for(api, api_as, people[who]).post(
            f"{URL}{emergency.pk}/status/", {"status": "in_progress"}, format="json"
        )
        if who == "anonymous":
            expected = 401
        elif who in ("citizen", "other_citizen"):
            expected = 403
        else:
            expected = 201 if who in MANAGE else 404
        assert response.status_code == expected
        emergency.refresh_from_db()
        assert (emergency.status == "প্রক্রিয়াধীন") == (expected == 201)


def test_a_provider_sees_and_moves_what_is_assigned_to_them(
    api_as, emergency, ward_admin, provider
):
    api_as(ward_admin).post(
        f"{URL}{emergency.pk}/assign/", {"assigned_to": str(provider.pk)}, format="json"
    )
    client = api_as(provider)
    assert [row["id"] for row in client.get(URL).json()["results"]] == [str(emergency.pk)]
    assert client.post(f"{URL}{emergency.pk}/status/", {"status": "resolved"}).status_code == 201


# ---------------------------------------------------------------------------------------------
# Staff actions
# ---------------------------------------------------------------------------------------------
def test_the_first_staff_action_sets_responded_at_and_the_citizen_hears_each_step(
    api_as, emergency, citizen, ward_admin
):
    client = api_as(ward_admin)
    taken = client.post(
        f"{URL}{emergency.pk}/assign/", {"assigned_to": str(ward_admin.pk)}, format="json"
    ).json()
    assert taken["assigned_to_name"] == ward_admin.name
    responded = taken["responded_at"]
    assert responded
    client.post(f"{URL}{emergency.pk}/status/", {"status": "in_progress", "comment": "আসছি"})
    detail = api_as(citizen).get(f"{URL}{emergency.pk}/").json()
    assert detail["responded_at"] == responded
    steps = [(s["new_status_code"], s["assigned_to_name"]) for s in detail["history"]]
    assert steps == [("submitted", ward_admin.name), ("in_progress", ward_admin.name)]
    kinds = list(
        Notification.objects.filter(user=citizen)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )
    assert kinds == ["emergency.taken", "emergency.status_changed"]
    assert set(ActivityLog.objects.filter(user=ward_admin).values_list("action", flat=True)) == {
        ActivityAction.EMERGENCY_ASSIGNED,
        ActivityAction.EMERGENCY_STATUS_CHANGED,
    }


def test_staff_acting_on_an_unassigned_emergency_take_it(api_as, emergency, ward_admin):
    api_as(ward_admin).post(f"{URL}{emergency.pk}/status/", {"status": "in_progress"})
    emergency.refresh_from_db()
    assert emergency.assigned_to == ward_admin


@pytest.mark.parametrize(
    ("moves", "last_status"),
    [(["resolved", "in_progress"], 409), (["in_progress", "submitted"], 409)],
)
def test_only_forward_moves(api_as, emergency, ward_admin, moves, last_status):
    client = api_as(ward_admin)
    codes = [
        client.post(f"{URL}{emergency.pk}/status/", {"status": move}).status_code for move in moves
    ]
    assert codes == [201, last_status]
    assert EmergencyUpdate.objects.filter(emergency=emergency).count() == 1  # the move made


def test_a_resolved_emergency_cannot_be_assigned(api_as, emergency, ward_admin, provider):
    client = api_as(ward_admin)
    client.post(f"{URL}{emergency.pk}/status/", {"status": "resolved"})
    response = client.post(
        f"{URL}{emergency.pk}/assign/", {"assigned_to": str(provider.pk)}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "emergency_closed")


def test_an_emergency_cannot_go_to_a_citizen(api_as, emergency, ward_admin, other_citizen):
    response = api_as(ward_admin).post(
        f"{URL}{emergency.pk}/assign/", {"assigned_to": str(other_citizen.pk)}, format="json"
    )
    assert response.status_code == 400
    emergency.refresh_from_db()
    assert emergency.assigned_to is None


def test_a_huge_ward_filter_is_not_a_500(api_as, super_admin):
    response = api_as(super_admin).get(f"{URL}?ward_number={'1' * 5000}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_filters(api_as, super_admin):
    EmergencyFactory(ward_number="5")
    EmergencyFactory(ward_number="12", emergency_type="পুলিশ")
    client = api_as(super_admin)
    assert client.get(f"{URL}?emergency_type=police").json()["count"] == 1
    assert client.get(f"{URL}?ward_number=05").json()["count"] == 1
    assert client.get(f"{URL}?status=submitted").json()["count"] == 2
    assert client.get(f"{URL}?status=lost").status_code == 400


def test_the_list_reads_only_what_it_shows_of_people(api_as, ward_admin, provider):
    emergency = EmergencyFactory(assigned_to=provider)
    client = api_as(ward_admin)
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        row = client.get(URL).json()["results"][0]
    assert (row["user_name"], row["user_phone"]) == (emergency.user.name, emergency.user.phone)
    assert row["assigned_to_name"] == provider.name
    page = next(query["sql"] for query in captured if "ORDER BY" in query["sql"])
    for column in ("password", "nid", "address"):
        assert f'"{column}"' not in page


def test_the_list_query_count_does_not_grow_with_the_page(api_as, ward_admin, provider):
    for _ in range(6):
        EmergencyFactory(assigned_to=provider)
    client = api_as(ward_admin)
    client.get(URL)
    assert page_queries(client, URL, 2) == page_queries(client, URL, 6)
