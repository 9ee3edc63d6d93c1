"""Kept pages of the emergency list (core/lists.py, pages.py): the super admin's and a citizen's
come from the cache when asked again, and every write of an emergency retires them at once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.emergency import services
from apps.users.models import User
from apps.users.tests.factories import UserFactory

from .factories import EmergencyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/emergency/"


def queries_of(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), response.json()


def kept(client) -> dict:
    """The page, once it is kept: the write that follows must retire it."""
    client.get(URL)
    queries, page = queries_of(client)
    assert queries == 0, "the page was not kept"
    return page


def test_the_city_and_the_citizen_see_a_new_call_and_its_moves_at_once(
    api_as, citizen, super_admin, ward_admin, emergency
):
    city, own = api_as(super_admin), api_as(citizen)
    assert kept(city)["count"] == kept(own)["count"] == 1
    raised = own.post(
        URL,
        {"emergency_type": "medical", "description": "Fainted", "location": "Road 3",
         "ward_number": "5"},
        format="json",
    )  # fmt: skip
    assert raised.status_code == 201, raised.content
    assert city.get(URL).json()["count"] == own.get(URL).json()["count"] == 2

    kept(city)
    kept(own)
    taken = api_as(ward_admin).post(
        f"{URL}{emergency.pk}/assign/", {"assigned_to": str(ward_admin.pk)}, format="json"
    )
    assert taken.status_code == 200, taken.content
    for client in (city, own):
        row = next(r for r in client.get(URL).json()["results"] if r["id"] == str(emergency.pk))
        assert row["assigned_to"] == str(ward_admin.pk)


def test_an_escalation_retires_the_pages(api_as, citizen, super_admin, emergency):
    city = api_as(super_admin)
    assert kept(city)["results"][0]["escalated_at"] is None
    later = emergency.created_at + timedelta(seconds=settings.EMERGENCY_ESCALATION_SECONDS)
    assert services.emergency_escalate(emergency_id=emergency.pk, now=later) is True
    assert city.get(URL).json()["results"][0]["escalated_at"] is not None


def test_staff_pages_follow_dispatches_and_are_not_kept(api_as, ward_admin, emergency):
    admin = api_as(ward_admin)
    admin.get(URL)
    admin.get(URL)
    assert queries_of(admin)[0] > 0


def test_another_citizens_call_is_not_on_the_page(api_as, citizen, other_citizen, emergency):
    own = api_as(citizen)
    kept(own)
    EmergencyFactory(user=other_citizen)
    assert own.get(URL).json()["count"] == 1
    assert queries_of(own)[0] == 0  # their call retired nothing of this citizen's


def test_deleting_the_assignee_retires_the_pages(api_as, citizen, super_admin, emergency):
    holder = UserFactory(user_type="super_admin")
    services.emergency_assign(emergency=emergency, actor=super_admin, assignee_id=holder.pk)
    city = api_as(super_admin)
    assert kept(city)["results"][0]["assigned_to"] == str(holder.pk)
    User.objects.filter(pk=holder.pk).get().delete()  # SET_NULL: an UPDATE, no signal
    assert city.get(URL).json()["results"][0]["assigned_to"] is None
