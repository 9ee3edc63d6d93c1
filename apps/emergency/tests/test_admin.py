"""Django admin for emergencies: read-only records; take and move through the services."""

import pytest

from apps.emergency.models import EmergencyRequest
from apps.users.models import ActivityAction, ActivityLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, super_admin):
    client.force_login(super_admin)
    return client


def test_pages_render_and_nothing_is_added_or_deleted(operator, emergency):
    assert (
        operator.get("/admin/emergency/emergencyrequest/?status__exact=জমা+দেওয়া+হয়েছে").status_code
        == 200
    )
    page = operator.get(f"/admin/emergency/emergencyrequest/{emergency.pk}/change/")
    assert page.status_code == 200
    assert emergency.location in page.content.decode()
    assert operator.get("/admin/emergency/emergencyrequest/add/").status_code == 403
    operator.post(f"/admin/emergency/emergencyrequest/{emergency.pk}/delete/", {"post": "yes"})
    assert EmergencyRequest.objects.filter(pk=emergency.pk).exists()


def test_take_and_resolve_actions_go_through_the_services(operator, emergency, super_admin):
    url = "/admin/emergency/emergencyrequest/"
    operator.post(url, {"action": "take", "_selected_action": [str(emergency.pk)]}, follow=True)
    operator.post(
        url,
        {"action": "move_to_সমাধান হয়েছে", "_selected_action": [str(emergency.pk)]},
        follow=True,
    )
    emergency.refresh_from_db()
    assert (emergency.assigned_to, emergency.status) == (super_admin, "সমাধান হয়েছে")
    assert emergency.responded_at is not None
    actions = set(ActivityLog.objects.filter(user=super_admin).values_list("action", flat=True))
    assert {ActivityAction.EMERGENCY_ASSIGNED, ActivityAction.EMERGENCY_STATUS_CHANGED} <= actions
