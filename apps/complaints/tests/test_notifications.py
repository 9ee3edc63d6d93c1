"""A status change reaches the citizen in-app, by SMS and by push — exactly once."""

import pytest

from apps.notifications.models import Notification
from apps.notifications.services import device_register
from apps.sandbox.models import SandboxPush, SandboxSms

pytestmark = pytest.mark.django_db


def test_status_change_notifies_the_citizen_once_on_every_channel(cast, complaint, api_as):
    device_register(user=cast.owner, token="phone-token-1", platform="android")
    admin = api_as(cast.ward_admin)

    response = admin.post(
        f"/api/v1/complaints/{complaint.pk}/updates/",
        {"status": "in_progress", "comment": "Crew on the way"},
        format="json",
    )
    assert response.status_code == 201

    notes = Notification.objects.filter(user=cast.owner, kind="complaint.status_changed")
    assert notes.count() == 1
    note = notes.get()
    assert complaint.tracking_number in note.title
    assert note.data["tracking_number"] == complaint.tracking_number
    sms = SandboxSms.objects.filter(phone=cast.owner.phone)
    assert sms.count() == 1
    assert complaint.tracking_number in sms.get().text
    pushes = SandboxPush.objects.filter(token="phone-token-1", title=note.title)
    assert pushes.count() == 1


def test_the_citizen_reads_it_in_their_language(cast, complaint, api_as):
    cast.owner.language = "en"
    cast.owner.save(update_fields=["language"])
    api_as(cast.ward_admin).post(
        f"/api/v1/complaints/{complaint.pk}/updates/", {"status": "in_progress"}, format="json"
    )
    note = Notification.objects.get(user=cast.owner, kind="complaint.status_changed")
    assert "In progress" in note.body
