"""/notifications/ as a permission matrix: anonymous 401, the owner, another user 404."""

import pytest

from apps.notifications.models import DeviceToken, Notification
from apps.users.tests.factories import UserFactory

from .factories import DeviceTokenFactory, NotificationFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications/"


@pytest.fixture
def owner(citizen):
    return citizen


@pytest.fixture
def stranger(db):
    return UserFactory()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", BASE),
        ("get", f"{BASE}unread-count/"),
        ("post", f"{BASE}read-all/"),
        ("post", f"{BASE}00000000-0000-0000-0000-000000000001/read/"),
        ("post", f"{BASE}devices/"),
        ("delete", f"{BASE}devices/some-token/"),
    ],
)
def test_anonymous_callers_get_401(api, method, path):
    response = getattr(api, method)(path, {}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# ---------------------------------------------------------------------------------------------
# Listing
# ---------------------------------------------------------------------------------------------
def test_the_list_is_own_only_newest_first_and_paginated(api_as, owner, stranger, super_admin):
    older = NotificationFactory(user=owner, title="older")
    newer = NotificationFactory(user=owner, title="newer", data={"complaint_id": "c1"})
    Notification.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2025))
    NotificationFactory(user=stranger)
    NotificationFactory(user=owner, in_app=False)  # an SMS-only record is not in the inbox

    body = api_as(owner).get(BASE).json()

    assert body["count"] == 2
    assert (body["next"], body["previous"]) == (None, None)
    assert [n["id"] for n in body["results"]] == [str(newer.id), str(older.id)]
    assert set(body["results"][0]) == {
        "id",
        "kind",
        "title",
        "body",
        "data",
        "is_read",
        "read_at",
        "created_at",
    }
    assert body["results"][0]["data"] == {"complaint_id": "c1"}
    # nobody sees another person's notifications, whatever their role
    assert api_as(stranger).get(BASE).json()["count"] == 1
    assert api_as(super_admin).get(BASE).json()["count"] == 0


def test_the_list_pages(api_as, owner):
    NotificationFactory.create_batch(3, user=owner)

    body = api_as(owner).get(BASE, {"page_size": 2}).json()

    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"].endswith("page=2&page_size=2")


@pytest.mark.parametrize(("value", "expected"), [("true", ["unread"]), ("false", ["read"])])
def test_the_unread_filter(api_as, owner, value, expected):
    NotificationFactory(user=owner, title="unread")
    NotificationFactory(user=owner, title="read", is_read=True, read_at="2026-11-20T10:00:00Z")

    body = api_as(owner).get(BASE, {"unread": value}).json()

    assert [n["title"] for n in body["results"]] == expected


def test_a_nonsense_unread_filter_is_400(api_as, owner):
    response = api_as(owner).get(BASE, {"unread": "perhaps"})

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "unread" in response.json()["details"]


def test_unread_count_is_the_badge(api_as, owner, stranger):
    NotificationFactory.create_batch(2, user=owner)
    NotificationFactory(user=owner, is_read=True, read_at="2026-11-20T10:00:00Z")
    NotificationFactory(user=stranger)

    assert api_as(owner).get(f"{BASE}unread-count/").json() == {"unread": 2}


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def test_the_owner_marks_a_notification_read_and_again_changes_nothing(api_as, owner):
    notification = NotificationFactory(user=owner)
    client = api_as(owner)

    first = client.post(f"{BASE}{notification.id}/read/")
    second = client.post(f"{BASE}{notification.id}/read/")

    assert first.status_code == second.status_code == 200
    assert first.json()["is_read"] is True
    assert first.json()["read_at"] is not None
    assert second.json()["read_at"] == first.json()["read_at"]


def test_another_users_notification_is_404_and_stays_unread(api_as, owner, stranger):
    notification = NotificationFactory(user=owner)

    response = api_as(stranger).post(f"{BASE}{notification.id}/read/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    notification.refresh_from_db()
    assert (notification.is_read, notification.read_at) == (False, None)


def test_a_bengali_404_for_a_bengali_client(api_as, stranger):
    response = api_as(stranger).post(
        f"{BASE}00000000-0000-0000-0000-000000000001/read/", HTTP_ACCEPT_LANGUAGE="bn"
    )

    assert response.status_code == 404
    assert response.json()["error"] == "বিজ্ঞপ্তিটি পাওয়া যায়নি।"


def test_read_all_marks_only_the_callers_unread_and_counts_them(api_as, owner, stranger):
    NotificationFactory.create_batch(3, user=owner)
    NotificationFactory(user=owner, is_read=True, read_at="2026-11-20T10:00:00Z")
    theirs = NotificationFactory(user=stranger)
    client = api_as(owner)

    assert client.post(f"{BASE}read-all/").json() == {"updated": 3}
    assert client.post(f"{BASE}read-all/").json() == {"updated": 0}
    assert not Notification.objects.filter(user=owner, is_read=False).exists()
    assert not Notification.objects.filter(user=owner, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.is_read is False


def test_the_mobile_alias_prefix_serves_the_same_routes(api_as, owner):
    NotificationFactory(user=owner)

    assert api_as(owner).get("/api/notifications/").json()["count"] == 1


# ---------------------------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------------------------
def test_registering_a_device(api_as, owner):
    response = api_as(owner).post(
        f"{BASE}devices/", {"token": "fcm:APA91bE-abc_123", "platform": "android"}, format="json"
    )

    assert response.status_code == 201
    device = DeviceToken.objects.get()
    assert (device.user, device.token, device.platform, device.is_active) == (
        owner,
        "fcm:APA91bE-abc_123",
        "android",
        True,
    )
    assert response.json()["id"] == str(device.id)


def test_re_registering_moves_the_token_to_whoever_signed_in_and_reactivates_it(
    api_as, owner, stranger
):
    device = DeviceTokenFactory(user=stranger, is_active=False)

    response = api_as(owner).post(
        f"{BASE}devices/", {"token": device.token, "platform": "ios"}, format="json"
    )

    assert response.status_code == 201
    device.refresh_from_db()
    assert (device.user, device.platform, device.is_active) == (owner, "ios", True)
    assert DeviceToken.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"platform": "android"}, "token"),
        ({"token": "", "platform": "android"}, "token"),
        ({"token": "has space", "platform": "android"}, "token"),
        ({"token": "x" * 513, "platform": "android"}, "token"),
        ({"token": "fcm-token"}, "platform"),
        ({"token": "fcm-token", "platform": "blackberry"}, "platform"),
    ],
)
def test_bad_device_registrations_are_400_and_store_nothing(api_as, owner, payload, field):
    response = api_as(owner).post(f"{BASE}devices/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["details"]
    assert not DeviceToken.objects.exists()


def test_unregistering_own_device_is_204(api_as, owner):
    device = DeviceTokenFactory(user=owner, token="fcm:APA91b-own")

    response = api_as(owner).delete(f"{BASE}devices/{device.token}/")

    assert response.status_code == 204
    assert not DeviceToken.objects.exists()


@pytest.mark.parametrize("whose", ["someone else's", "unknown"])
def test_unregistering_a_token_that_is_not_yours_is_404_and_keeps_it(
    api_as, owner, stranger, whose
):
    device = DeviceTokenFactory(user=stranger)
    token = device.token if whose == "someone else's" else "never-registered"

    response = api_as(owner).delete(f"{BASE}devices/{token}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert DeviceToken.objects.filter(pk=device.pk, user=stranger, is_active=True).exists()
