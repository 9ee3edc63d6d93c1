"""notification_send end to end: one row in the user's language, then SMS, push and WebSocket."""

import datetime
import logging
import uuid

import pytest
from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.test import TestCase
from kombu.exceptions import OperationalError

from apps.notifications.models import DeliveryStatus, DeviceToken, Notification
from apps.notifications.services import (
    NOTIFICATIONS_MAX_DEVICES,
    device_register,
    notification_event,
    notification_push_deliver,
    notification_send,
    notification_send_test,
    sms_csms_id,
)
from apps.notifications.services import TEST_BODY as BODY
from apps.notifications.services import TEST_TITLE as TITLE
from apps.notifications.tasks import PUSH_MAX_RETRIES, push_deliver
from apps.sandbox.backends import SandboxPushBackend
from apps.sandbox.models import SandboxPush, SandboxSms
from apps.users.tests.factories import UserFactory

from .factories import DeviceTokenFactory

pytestmark = pytest.mark.django_db

RENDERED = {
    "en": ("Test notification", "Hello Rahima, notifications from Clean Care reach this phone."),
    "bn": (
        "পরীক্ষামূলক বিজ্ঞপ্তি",
        "হ্যালো Rahima, ক্লিন কেয়ারের বিজ্ঞপ্তি এই ফোনে পৌঁছাচ্ছে।",
    ),
}


def send(user, **overrides):
    """notification_send as a request would do it: its on-commit work runs at the end."""
    options = {
        "user": user,
        "kind": "complaint.status_changed",
        "title": TITLE,
        "body": BODY,
        "params": {"name": user.name},
        "data": {"complaint_id": "c0ffee", "tracking_number": "CC202611230001"},
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notification_send(**{**options, **overrides})


@pytest.mark.parametrize("language", ["bn", "en"])
def test_send_stores_one_row_in_the_users_language_and_delivers_each_channel_once(language, listen):
    user = UserFactory(name="Rahima", language=language)
    phone_a = DeviceTokenFactory(user=user, platform="android")
    phone_b = DeviceTokenFactory(user=user, platform="ios")
    DeviceTokenFactory(user=user, is_active=False)
    title, body = RENDERED[language]

    notification, events = listen(user, lambda: send(user))

    notification.refresh_from_db()
    assert Notification.objects.get() == notification
    assert (notification.title, notification.body) == (title, body)
    assert notification.data == {"complaint_id": "c0ffee", "tracking_number": "CC202611230001"}
    assert (notification.is_read, notification.in_app) == (False, True)
    # exactly one SMS, with an id the gateway deduplicates on
    [sms] = SandboxSms.objects.all()
    assert (sms.phone, sms.text, sms.csms_id) == (
        user.phone,
        f"{title}\n{body}",
        sms_csms_id(notification),
    )
    assert sms.csms_id == "ntf" + notification.id.hex[:17]
    assert notification.sms_status == DeliveryStatus.SENT
    assert notification.sms_sent_at is not None
    # exactly one push per active device
    pushes = SandboxPush.objects.order_by("token")
    assert sorted(p.token for p in pushes) == sorted([phone_a.token, phone_b.token])
    for push in pushes:
        assert (push.title, push.body) == (title, body)
        assert push.data == {
            "complaint_id": "c0ffee",
            "tracking_number": "CC202611230001",
            "notification_id": str(notification.id),
            "kind": "complaint.status_changed",
        }
    assert notification.push_status == DeliveryStatus.SENT
    assert notification.push_sent_at is not None
    # exactly one WebSocket event, shaped for UserEventsConsumer
    assert events == [{"type": "user.event", "payload": notification_event(notification)}]
    assert events[0]["payload"]["type"] == "notification"
    assert events[0]["payload"]["title"] == title


def test_the_same_dedupe_key_twice_returns_the_first_and_sends_nothing_more(listen):
    user = UserFactory()
    DeviceTokenFactory(user=user)
    first = send(user, dedupe_key="complaint:1:status:in_progress")

    again, events = listen(
        user,
        lambda: send(user, dedupe_key="complaint:1:status:in_progress", body="A different body"),
    )

    assert again == first
    assert Notification.objects.count() == 1
    assert SandboxSms.objects.count() == 1
    assert SandboxPush.objects.count() == 1
    assert events == []


def test_data_with_ids_and_dates_is_stored_as_plain_json():
    user = UserFactory()
    complaint_id = uuid.UUID("6c9a1f0e-8d3b-4c55-9a61-0b7f2d4e9c11")

    notification = send(
        user, data={"complaint_id": complaint_id, "due": datetime.date(2026, 12, 1), "n": 3}
    )

    notification.refresh_from_db()
    assert notification.data == {"complaint_id": str(complaint_id), "due": "2026-12-01", "n": 3}


def test_the_dedupe_key_is_per_user():
    one, two = UserFactory(), UserFactory()

    send(one, dedupe_key="notice:7")
    send(two, dedupe_key="notice:7")

    assert Notification.objects.filter(dedupe_key="notice:7").count() == 2


def test_nothing_is_sent_when_the_callers_transaction_rolls_back(listen):
    user = UserFactory()
    DeviceTokenFactory(user=user)

    def failing_request():
        with TestCase.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    notification_send(
                        user=user, kind="k", title=TITLE, body=BODY, params={"name": "x"}
                    )
                    raise RuntimeError("the complaint update failed")
            except RuntimeError:
                pass

    _result, events = listen(user, failing_request)

    assert not Notification.objects.exists()
    assert not SandboxSms.objects.exists()
    assert not SandboxPush.objects.exists()
    assert events == []


def test_channels_choose_what_goes_out(listen):
    user = UserFactory()
    DeviceTokenFactory(user=user)

    notification, events = listen(user, lambda: send(user, channels=("in_app",)))

    notification.refresh_from_db()
    assert (notification.sms_status, notification.push_status) == ("skipped", "skipped")
    assert not SandboxSms.objects.exists()
    assert not SandboxPush.objects.exists()
    assert len(events) == 1


def test_without_in_app_the_row_is_kept_out_of_the_inbox_and_the_socket(listen):
    user = UserFactory()

    notification, events = listen(user, lambda: send(user, channels=("sms",)))

    assert notification.in_app is False
    assert SandboxSms.objects.count() == 1
    assert events == []


def test_without_an_active_device_push_is_skipped_and_not_queued():
    user = UserFactory()
    DeviceTokenFactory(user=user, is_active=False)

    notification = send(user)

    notification.refresh_from_db()
    assert notification.push_status == DeliveryStatus.SKIPPED
    assert not SandboxPush.objects.exists()


def test_a_deactivated_account_gets_the_row_but_no_sms_or_push():
    user = UserFactory(is_active=False)
    DeviceTokenFactory(user=user)

    notification = send(user)

    notification.refresh_from_db()
    assert (notification.sms_status, notification.push_status) == ("skipped", "skipped")
    assert not SandboxSms.objects.exists()
    assert not SandboxPush.objects.exists()


def test_an_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError, match="carrier_pigeon"):
        notification_send(
            user=UserFactory(), kind="k", title=TITLE, body=BODY, channels=("carrier_pigeon",)
        )
    assert not Notification.objects.exists()


def test_a_broker_outage_marks_the_deliveries_failed_instead_of_pending(monkeypatch, caplog):
    from apps.notifications.tasks import sms_deliver

    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(sms_deliver, "delay", broker_down)
    monkeypatch.setattr(push_deliver, "delay", broker_down)
    user = UserFactory()
    DeviceTokenFactory(user=user)

    notification = send(user)

    notification.refresh_from_db()
    assert (notification.sms_status, notification.push_status) == ("failed", "failed")
    assert caplog.text.count("could not be queued") == 2


# ---------------------------------------------------------------------------------------------
# Push delivery: dead tokens, transient failures, idempotency
# ---------------------------------------------------------------------------------------------
def test_an_unregistered_token_is_deactivated_and_the_others_still_get_it():
    user = UserFactory()
    dead = DeviceTokenFactory(user=user, token="unregistered-old-install")
    alive = DeviceTokenFactory(user=user)

    notification = send(user)

    notification.refresh_from_db()
    dead.refresh_from_db()
    assert dead.is_active is False
    assert DeviceToken.objects.get(pk=alive.pk).is_active is True
    assert list(SandboxPush.objects.values_list("token", flat=True)) == [alive.token]
    assert notification.push_status == DeliveryStatus.SENT


def test_when_every_token_is_dead_the_push_failed():
    user = UserFactory()
    DeviceTokenFactory(user=user, token="unregistered-a")
    DeviceTokenFactory(user=user, token="invalid-b")

    notification = send(user)

    notification.refresh_from_db()
    assert notification.push_status == DeliveryStatus.FAILED
    assert notification.push_sent_at is None
    assert not DeviceToken.objects.filter(is_active=True).exists()


@pytest.fixture
def eager_retries(monkeypatch):
    """Let eager Celery chain a task's retries inline, as a worker would run them over time."""
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)


@pytest.mark.usefixtures("eager_retries")
def test_transient_failures_retry_only_the_failing_device(caplog):
    caplog.set_level(logging.WARNING, logger="clean_care.push")
    user = UserFactory()
    flaky = DeviceTokenFactory(user=user, token="unavailable-tablet")
    healthy = DeviceTokenFactory(user=user)

    notification = send(user)

    notification.refresh_from_db()
    assert list(SandboxPush.objects.values_list("token", flat=True)) == [healthy.token]
    attempts = [r for r in caplog.records if "code=UNAVAILABLE" in r.getMessage()]
    assert len(attempts) == 1 + PUSH_MAX_RETRIES
    flaky.refresh_from_db()
    assert flaky.is_active is True  # a transient failure says nothing about the token
    assert notification.push_status == DeliveryStatus.SENT


@pytest.mark.usefixtures("eager_retries")
def test_a_push_that_never_got_through_ends_failed_after_the_last_retry():
    user = UserFactory()
    DeviceTokenFactory(user=user, token="quota-only-device")

    notification = send(user)

    notification.refresh_from_db()
    assert notification.push_status == DeliveryStatus.FAILED


def test_a_retry_is_a_plan_not_a_resend():
    user = UserFactory()
    flaky = DeviceTokenFactory(user=user, token="internal-x")
    DeviceTokenFactory(user=user)
    notification = send(user, channels=("in_app",))
    Notification.objects.filter(pk=notification.pk).update(push_status=DeliveryStatus.PENDING)

    outcome = notification_push_deliver(notification_id=notification.pk)

    assert outcome.retry_token_ids == [str(flaky.pk)]
    notification.refresh_from_db()
    assert notification.push_status == DeliveryStatus.PENDING  # settled by the last attempt
    assert notification.push_sent_at is not None
    assert SandboxPush.objects.count() == 1


def test_push_deliver_is_idempotent_once_sent():
    user = UserFactory()
    DeviceTokenFactory(user=user)
    notification = send(user)

    push_deliver.delay(notification_id=str(notification.pk))
    push_deliver.delay(notification_id="00000000-0000-0000-0000-000000000000")

    assert SandboxPush.objects.count() == 1


def test_a_broken_service_account_fails_the_push_and_logs_why_without_the_key(settings, caplog):
    settings.PUSH_BACKEND = "fcm"
    settings.FCM_SERVICE_ACCOUNT_JSON = (
        '{"client_email": "push@p.iam.gserviceaccount.com", "project_id": "p", '
        '"private_key": "KEYMATERIAL-not-a-pem"}'
    )
    user = UserFactory()
    DeviceTokenFactory(user=user)

    notification = send(user)

    notification.refresh_from_db()
    assert notification.push_status == DeliveryStatus.FAILED
    assert not SandboxPush.objects.exists()
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "private_key is not a PEM private key" in record.getMessage()
    assert "KEYMATERIAL" not in caplog.text


def _devices_pushed() -> list[str]:
    return list(SandboxPush.objects.order_by("created_at").values_list("token", flat=True))


@pytest.mark.usefixtures("eager_retries")
def test_out_of_time_it_retries_and_skips_the_devices_already_reached(monkeypatch):
    user = UserFactory()
    now = datetime.datetime.now(tz=datetime.UTC)
    first = DeviceTokenFactory(user=user, last_seen_at=now)
    slow = DeviceTokenFactory(user=user, last_seen_at=now - datetime.timedelta(hours=1))
    send_for_real, timed_out = SandboxPushBackend.send, []

    def send_slowly(backend, *, token, **message):
        if token == slow.token and not timed_out:
            timed_out.append(token)
            raise SoftTimeLimitExceeded()
        return send_for_real(backend, token=token, **message)

    monkeypatch.setattr(SandboxPushBackend, "send", send_slowly)

    notification = send(user)

    notification.refresh_from_db()
    assert _devices_pushed() == [first.token, slow.token]  # the first one once, not twice
    assert notification.push_status == DeliveryStatus.SENT
    assert sorted(notification.push_reached) == sorted([str(first.pk), str(slow.pk)])


@pytest.mark.usefixtures("eager_retries")
def test_always_out_of_time_it_ends_failed_after_the_last_retry(monkeypatch):
    attempts = []

    def never_in_time(backend, **message):
        attempts.append(message["token"])
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(SandboxPushBackend, "send", never_in_time)
    user = UserFactory()
    DeviceTokenFactory(user=user)

    notification = send(user)

    notification.refresh_from_db()
    assert len(attempts) == 1 + PUSH_MAX_RETRIES
    assert notification.push_status == DeliveryStatus.FAILED


def test_a_device_already_reached_is_not_pushed_again():
    user = UserFactory()
    reached, other = DeviceTokenFactory(user=user), DeviceTokenFactory(user=user)
    notification = send(user, channels=("in_app",))
    Notification.objects.filter(pk=notification.pk).update(
        push_status=DeliveryStatus.PENDING, push_reached=[str(reached.pk)]
    )

    notification_push_deliver(notification_id=notification.pk)

    assert _devices_pushed() == [other.token]
    notification.refresh_from_db()
    assert notification.push_status == DeliveryStatus.SENT
    assert notification.push_reached == [str(reached.pk), str(other.pk)]


# ---------------------------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------------------------
def test_one_more_device_than_the_cap_switches_off_the_least_recently_registered():
    user = UserFactory()
    tokens = [f"fcm-cap-{n:02d}:APA91b" for n in range(NOTIFICATIONS_MAX_DEVICES + 1)]
    for token in tokens:
        device_register(user=user, token=token, platform="android")

    active = set(DeviceToken.objects.filter(is_active=True).values_list("token", flat=True))
    assert active == set(tokens[1:])
    assert DeviceToken.objects.get(token=tokens[0]).is_active is False

    device_register(user=user, token=tokens[0], platform="android")  # that phone comes back

    active = set(DeviceToken.objects.filter(is_active=True).values_list("token", flat=True))
    assert active == {tokens[0], *tokens[2:]}


def test_the_cap_counts_each_persons_devices_apart():
    user, other = UserFactory(), UserFactory()
    for n in range(NOTIFICATIONS_MAX_DEVICES):
        DeviceTokenFactory(user=other)
        device_register(user=user, token=f"fcm-own-{n:02d}:APA91b", platform="ios")

    assert DeviceToken.objects.filter(user=user, is_active=True).count() == 10
    assert DeviceToken.objects.filter(user=other, is_active=True).count() == 10


def test_a_push_goes_to_at_most_the_cap_of_devices():
    user = UserFactory()
    DeviceTokenFactory.create_batch(NOTIFICATIONS_MAX_DEVICES + 2, user=user)  # older data

    send(user)

    assert SandboxPush.objects.count() == NOTIFICATIONS_MAX_DEVICES


def test_registering_a_known_token_moves_it_to_the_new_user_and_reactivates_it():
    old_owner, new_owner = UserFactory(), UserFactory()
    device = DeviceTokenFactory(user=old_owner, is_active=False, platform="android")

    moved = device_register(user=new_owner, token=device.token, platform="ios")

    assert moved.pk == device.pk
    device.refresh_from_db()
    assert (device.user, device.is_active, device.platform) == (new_owner, True, "ios")
    assert DeviceToken.objects.count() == 1


def test_a_token_moved_from_another_account_is_in_the_audit_trail_naming_both(caplog):
    from apps.users.models import ActivityLog

    old_owner, new_owner = UserFactory(), UserFactory()
    device = DeviceTokenFactory(user=old_owner, platform="android")

    device_register(user=new_owner, token=device.token, platform="android")
    device_register(user=new_owner, token=device.token, platform="android")  # its own: no move

    move = ActivityLog.objects.get(action="notifications.device_moved")
    assert (move.user, move.resource_type, move.resource_id) == (new_owner, "user", old_owner.pk)
    assert move.details == {"device": str(device.pk), "platform": "android"}
    assert device.token not in caplog.text  # the log names the device, never its token


def test_the_test_notification_reaches_the_devices_but_sends_no_sms():
    user = UserFactory(name="Karim", language="en")
    DeviceTokenFactory(user=user)

    with TestCase.captureOnCommitCallbacks(execute=True):
        notification = notification_send_test(user=user)

    assert notification.body == "Hello Karim, notifications from Clean Care reach this phone."
    assert SandboxPush.objects.count() == 1
    assert not SandboxSms.objects.exists()
