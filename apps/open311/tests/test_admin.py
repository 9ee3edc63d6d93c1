"""Django admin: a key is shown once when issued, then only its prefix; rotate and revoke."""

import re

import pytest
from django.test import Client

from apps.complaints.models import Complaint
from apps.open311.keys import api_key_digest
from apps.open311.models import Open311ApiKey
from apps.users.models import ActivityLog

from .conftest import post_form

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/open311/open311apikey/"
SECRET = re.compile(r"o311_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def admin_client(super_admin):
    client = Client()
    client.force_login(super_admin)
    return client


def secrets_in(response) -> list[str]:
    return SECRET.findall(response.content.decode())


def filed_with(api, secret) -> int:
    return post_form(
        api, {"api_key": secret, "service_code": "other", "address_string": "Motijheel"}
    ).status_code


def test_adding_a_key_shows_the_secret_once_and_stores_only_its_hash(
    admin_client, api, super_admin
):
    page = admin_client.post(f"{CHANGELIST}add/", {"name": "Dhaka Fixit App"}, follow=True)

    assert page.status_code == 200
    (secret,) = secrets_in(page)
    key = Open311ApiKey.objects.get()
    assert key.key_hash == api_key_digest(secret)
    assert secret.startswith(key.key_prefix)
    assert secret not in str(Open311ApiKey.objects.values().get())
    assert key.owner.name == "Dhaka Fixit App"
    assert not key.owner.has_usable_password()
    assert secrets_in(admin_client.get(CHANGELIST)) == []
    change = admin_client.get(f"{CHANGELIST}{key.pk}/change/")
    assert change.status_code == 200
    assert secrets_in(change) == []
    assert key.key_prefix in change.content.decode()
    assert ActivityLog.objects.filter(action="open311.key_created", user=super_admin).exists()
    assert filed_with(api, secret) == 201


def test_revoking_a_key_stops_it_at_once(admin_client, api, issued):
    response = admin_client.post(
        CHANGELIST, {"action": "revoke_keys", "_selected_action": [issued.api_key.pk]}
    )

    assert response.status_code == 302
    issued.api_key.refresh_from_db()
    assert not issued.api_key.is_active
    assert filed_with(api, issued.secret) == 403
    assert not Complaint.objects.exists()
    assert ActivityLog.objects.filter(action="open311.key_revoked").count() == 1


def test_rotating_a_key_shows_the_new_secret_once_and_the_old_one_stops(admin_client, api, issued):
    page = admin_client.post(
        CHANGELIST,
        {"action": "rotate_keys", "_selected_action": [issued.api_key.pk]},
        follow=True,
    )

    (new_secret,) = secrets_in(page)
    assert new_secret != issued.secret
    assert filed_with(api, issued.secret) == 403
    assert filed_with(api, new_secret) == 201
    assert Complaint.objects.get().user == issued.api_key.owner


def test_keys_cannot_be_deleted(admin_client, issued):
    response = admin_client.get(f"{CHANGELIST}{issued.api_key.pk}/delete/")
    assert response.status_code == 403


def test_open311_requests_are_readable_by_staff(admin_client, api, issued):
    filed_with(api, issued.secret)
    page = admin_client.get("/admin/open311/open311request/")
    assert page.status_code == 200
    assert Complaint.objects.get().tracking_number in page.content.decode()
