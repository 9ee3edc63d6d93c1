"""Django admin: notifications are records (an action marks them read), device tokens masked."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from apps.notifications.models import Notification
from apps.notifications.push import token_ref
from apps.sandbox.models import SandboxPush

from .factories import DeviceTokenFactory, NotificationFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/admin/notifications/notification/"
DEVICES = "/admin/notifications/devicetoken/"


@pytest.fixture
def operator(client, super_admin):
    client.force_login(super_admin)
    return client


def test_notifications_list_and_filter_by_kind_read_and_channel_status(operator):
    NotificationFactory(kind="complaint.status_changed", title="status changed")
    NotificationFactory(kind="payment.completed", title="payment done", push_status="failed")

    everything = operator.get(NOTIFICATIONS)
    by_kind = operator.get(NOTIFICATIONS, {"kind": "payment.completed"})
    by_push = operator.get(NOTIFICATIONS, {"push_status__exact": "failed", "is_read__exact": "0"})

    assert everything.status_code == by_kind.status_code == by_push.status_code == 200
    assert "status changed" in everything.content.decode()
    assert "status changed" not in by_kind.content.decode()
    assert "payment done" in by_push.content.decode()
    assert operator.get(f"{NOTIFICATIONS}add/").status_code == 403


def test_the_change_form_changes_nothing_not_even_is_read(operator):
    notification = NotificationFactory(title="original", body="original body")

    response = operator.post(
        f"{NOTIFICATIONS}{notification.pk}/change/",
        {"is_read": "on", "title": "rewritten", "body": "rewritten", "sms_status": "sent"},
    )

    assert response.status_code == 302
    notification.refresh_from_db()
    assert (notification.is_read, notification.read_at, notification.title) == (
        False,
        None,
        "original",
    )
    assert (notification.body, notification.sms_status) == ("original body", "skipped")


def test_the_mark_read_action_marks_inbox_notifications_read_through_the_service(operator):
    unread = NotificationFactory()
    already = NotificationFactory(is_read=True, read_at=timezone.now() - timedelta(days=1))
    record_only = NotificationFactory(in_app=False)  # the app never shows it: nothing to read
    untouched = NotificationFactory()
    selected = [str(n.pk) for n in (unread, already, record_only)]

    response = operator.post(
        NOTIFICATIONS,
        {"action": "mark_read", "_selected_action": selected},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "1 notification marked read." in response.content.decode()
    states = {
        n.pk: (n.is_read, n.read_at is not None)
        for n in Notification.objects.filter(pk__in=[*selected, untouched.pk])
    }
    assert states == {
        unread.pk: (True, True),
        already.pk: (True, True),
        record_only.pk: (False, False),
        untouched.pk: (False, False),
    }
    assert Notification.objects.get(pk=already.pk).read_at == already.read_at  # not re-stamped


def test_device_tokens_list_shows_a_fingerprint_not_the_token(operator):
    device = DeviceTokenFactory()

    html = operator.get(DEVICES).content.decode()

    assert token_ref(device.token) in html
    assert device.token not in html


def test_the_test_notification_action_pushes_to_the_selected_devices_owners(operator):
    device = DeviceTokenFactory()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = operator.post(
            DEVICES, {"action": "send_test_notification", "_selected_action": [str(device.pk)]}
        )

    assert response.status_code == 302
    notification = Notification.objects.get(user=device.user)
    assert notification.kind == "system.test"
    assert list(SandboxPush.objects.values_list("token", flat=True)) == [device.token]
