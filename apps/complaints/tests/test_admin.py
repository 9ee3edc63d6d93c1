"""Django admin for complaints: status moves and edits go through the services."""

import pytest

from apps.complaints.models import Complaint, ComplaintUpdate
from apps.users.models import ActivityLog

from .factories import ComplaintFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, cast):
    client.force_login(cast.super_admin)
    return client


INLINES = {
    "images-TOTAL_FORMS": "0",
    "images-INITIAL_FORMS": "0",
    "updates-TOTAL_FORMS": "0",
    "updates-INITIAL_FORMS": "0",
}


def change_url(complaint):
    return f"/admin/complaints/complaint/{complaint.pk}/change/"


def test_list_and_change_pages_render(operator, complaint):
    assert (
        operator.get("/admin/complaints/complaint/?status__exact=জমা+দেওয়া+হয়েছে").status_code == 200
    )
    page = operator.get(change_url(complaint))
    assert page.status_code == 200
    assert complaint.tracking_number in page.content.decode()
    assert operator.get("/admin/complaints/complaint/add/").status_code == 403


def test_status_actions_go_through_the_workflow(operator, cast):
    submitted = ComplaintFactory(user=cast.owner)
    response = operator.post(
        "/admin/complaints/complaint/",
        {"action": "move_to_সমাধান হয়েছে", "_selected_action": [str(submitted.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == "জমা দেওয়া হয়েছে"  # submitted → resolved is not a move
    assert not ComplaintUpdate.objects.exists()

    operator.post(
        "/admin/complaints/complaint/",
        {"action": "move_to_প্রক্রিয়াধীন", "_selected_action": [str(submitted.pk)]},
    )
    submitted.refresh_from_db()
    assert submitted.status == "প্রক্রিয়াধীন"
    update = ComplaintUpdate.objects.get()
    assert update.updated_by == cast.super_admin
    assert ActivityLog.objects.filter(action="complaints.status_changed").count() == 1


def test_edits_are_validated_on_the_form_and_audited(operator, cast, complaint):
    bad = operator.post(
        change_url(complaint),
        {"priority": "উচ্চ", "ward_number": "abc", "assigned_to": "", **INLINES},
    )
    assert bad.status_code == 200  # the form again, with the error
    assert "ward_number" in bad.context["adminform"].form.errors
    complaint.refresh_from_db()
    assert complaint.priority == "মধ্যম"

    citizen_as_assignee = operator.post(
        change_url(complaint),
        {
            "priority": "উচ্চ",
            "ward_number": "5",
            "assigned_to": str(cast.other_citizen.pk),
            **INLINES,
        },
    )
    assert "assigned_to" in citizen_as_assignee.context["adminform"].form.errors

    good = operator.post(
        change_url(complaint),
        {"priority": "উচ্চ", "ward_number": "৬", "assigned_to": str(cast.ward_admin.pk), **INLINES},
    )
    assert good.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.priority, complaint.ward_number) == ("উচ্চ", "6")
    assert complaint.assigned_to == cast.ward_admin
    assert ActivityLog.objects.filter(action="complaints.updated").count() == 1
    assert ActivityLog.objects.filter(action="complaints.assigned").count() == 1
    assert Complaint.objects.count() == 1
