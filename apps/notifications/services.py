"""Writes of notifications: send one (row now; SMS, push and WebSocket after commit), read, devices.

``notification_send`` is the one way any app tells a person something. It stores the in-app row
inside the caller's transaction, rendered in the person's language, and only once the transaction
commits queues the SMS (``sms_deliver``) and the push (``push_deliver``) and publishes the row to
the person's WebSocket group, so nothing is announced that a rollback would take back.
``sms_queue`` is the same after-commit path for a bare text that is no notification (an OTP).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from apps.users.models import ActivityAction, User
from apps.users.services import activity_record
from core.crypto import seal
from core.exceptions import NotFound
from core.lists import list_touch
from core.phone import is_mobile_number
from core.websocket import STAFF_ALL_GROUP, staff_ward_group, user_group

from . import pages
from .models import TITLE_MAX_LENGTH, DeliveryStatus, DeviceToken, Notification
from .push import PushBackend, PushError, get_push_backend
from .push.base import token_ref

logger = logging.getLogger(__name__)

CHANNELS = frozenset({"in_app", "sms", "push"})
SMS_MAX_CHARS = 1000  # ISMS refuses longer texts
SMS_CSMS_ID_MAX = 20  # and longer idempotency ids
NOTIFICATION_NOT_FOUND = _("Notification not found.")
TEST_TITLE = _("Test notification")
TEST_BODY = _("Hello %(name)s, notifications from Clean Care reach this phone.")
DEVICE_NOT_FOUND = _("This device is not registered to your account.")
# Active device tokens per person: bounds a push's fan-out (one FCM call per device). Registering
# one more switches off the one least recently registered.
NOTIFICATIONS_MAX_DEVICES = 10


# ---------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------
def notification_send(
    *,
    user: User,
    kind: str,
    title,
    body,
    params: dict | None = None,
    data: dict | None = None,
    channels: tuple[str, ...] = ("in_app", "sms", "push"),
    dedupe_key: str | None = None,
) -> Notification:
    """Tell ``user`` something on the given channels; returns the stored notification.

    ``title`` and ``body`` are gettext_lazy strings with ``%(name)s`` placeholders filled from
    ``params``, rendered in ``user.language``. With a ``dedupe_key`` the call is idempotent per
    user: a repeat returns the first notification and sends nothing. Deliveries happen after the
    caller's transaction commits; nothing is sent if it rolls back.
    """
    unknown = set(channels) - CHANNELS
    if unknown:
        raise ValueError(f"Unknown notification channels: {', '.join(sorted(unknown))}.")
    if dedupe_key:
        existing = Notification.objects.filter(user=user, dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    rendered_title = _render(title, params, user.language)[:TITLE_MAX_LENGTH]
    rendered_body = _render(body, params, user.language)
    # Integration accounts (Open311 clients) hold no real phone number: nothing to text.
    wants_sms = "sms" in channels and user.is_active and is_mobile_number(user.phone)
    wants_push = (
        "push" in channels
        and user.is_active
        and DeviceToken.objects.filter(user=user, is_active=True).exists()
    )
    try:
        with transaction.atomic():  # a savepoint: a lost dedupe race leaves the caller usable
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                title=rendered_title,
                body=rendered_body,
                data=_plain_json(data or {}),
                dedupe_key=dedupe_key or None,
                in_app="in_app" in channels,
                sms_status=DeliveryStatus.PENDING if wants_sms else DeliveryStatus.SKIPPED,
                push_status=DeliveryStatus.PENDING if wants_push else DeliveryStatus.SKIPPED,
            )
    except IntegrityError:
        existing = (
            Notification.objects.filter(user=user, dedupe_key=dedupe_key).first()
            if dedupe_key
            else None
        )
        if existing is None:
            raise
        return existing

    if wants_sms:
        text = f"{rendered_title}\n{rendered_body}"[:SMS_MAX_CHARS]
        transaction.on_commit(
            lambda: _queue_sms(notification, phone=user.phone, text=text), robust=True
        )
    if wants_push:
        transaction.on_commit(lambda: _queue_push(notification), robust=True)
    if notification.in_app:
        transaction.on_commit(lambda: _publish(notification), robust=True)
    return notification


def _plain_json(data: dict) -> dict:
    """UUIDs, dates and decimals become strings, as every channel (JSON, msgpack, FCM) needs."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _render(text, params: dict | None, language: str) -> str:
    with translation.override(language):
        rendered = str(text)
        return rendered % params if params else rendered


def sms_csms_id(notification: Notification) -> str:
    """The gateway's idempotency id (≤20 chars): stable, so a retried task never texts twice."""
    return f"ntf{notification.id.hex[:17]}"


def sms_queue(*, phone: str, text: str, csms_id: str) -> None:
    """Text ``phone`` once the caller's transaction commits; nothing is sent if it rolls back.

    The text is sealed now (core.crypto), so the broker never holds it (an OTP) in the clear.
    ``csms_id`` is the gateway's idempotency id: at most 20 characters, the same on every retry.
    """
    from .tasks import sms_deliver

    if len(csms_id) > SMS_CSMS_ID_MAX:
        raise ValueError(f"csms_id {csms_id!r} is longer than {SMS_CSMS_ID_MAX} characters.")
    sealed = seal(text)
    transaction.on_commit(
        lambda: sms_deliver.delay(phone=phone, sealed_text=sealed, csms_id=csms_id)
    )


def _queue_sms(notification: Notification, *, phone: str, text: str) -> None:
    from .tasks import sms_deliver

    pending = Notification.objects.filter(pk=notification.pk, sms_status=DeliveryStatus.PENDING)
    try:
        sms_deliver.delay(phone=phone, sealed_text=seal(text), csms_id=sms_csms_id(notification))
    except BrokerUnavailable:  # say so on the row instead of leaving it pending for ever
        logger.exception("SMS of notification %s could not be queued", notification.pk)
        pending.update(sms_status=DeliveryStatus.FAILED)
        return
    # The SMS task retries by itself; from here on it is the gateway's to deliver.
    pending.update(sms_status=DeliveryStatus.SENT, sms_sent_at=timezone.now())


def _queue_push(notification: Notification) -> None:
    from .tasks import push_deliver

    try:
        push_deliver.delay(notification_id=str(notification.pk))
    except BrokerUnavailable:
        logger.exception("push of notification %s could not be queued", notification.pk)
        Notification.objects.filter(pk=notification.pk, push_status=DeliveryStatus.PENDING).update(
            push_status=DeliveryStatus.FAILED
        )


def notification_event(notification: Notification) -> dict[str, Any]:
    """The WebSocket payload: the notification as the REST API shows it, tagged by type."""
    return {
        "type": "notification",
        "id": str(notification.id),
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "data": notification.data,
        "is_read": notification.is_read,
        "read_at": _iso(notification.read_at),
        "created_at": _iso(notification.created_at),
    }


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _publish(notification: Notification) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(
        user_group(notification.user_id),
        {"type": "user.event", "payload": notification_event(notification)},
    )


def staff_feed_publish(*, resource: str, ward_number: str | None, payload: dict) -> None:
    """Put an event on the staff live feed (`/ws/staff/`) once the caller's transaction commits.

    It goes to the ward's group and the city-wide one; each socket passes on only the events of
    the resources its staff member holds rights for in that ward (apps.notifications.consumers).
    """
    groups = [STAFF_ALL_GROUP]
    if ward_number:
        groups.append(staff_ward_group(ward_number))
    event = {
        "type": "staff.event",
        "resource": resource,
        "ward_number": ward_number,
        "payload": _plain_json(payload),
    }

    def send():
        layer = get_channel_layer()
        if layer is None:
            return
        for group in groups:
            async_to_sync(layer.group_send)(group, event)

    transaction.on_commit(send, robust=True)


def notification_send_test(*, user: User) -> Notification:
    """A harmless notification an operator sends to check that a person's devices get pushes."""
    return notification_send(
        user=user,
        kind="system.test",
        title=TEST_TITLE,
        body=TEST_BODY,
        params={"name": user.name},
        channels=("in_app", "push"),
    )


# ---------------------------------------------------------------------------------------------
# Push delivery (run by the push_deliver task)
# ---------------------------------------------------------------------------------------------
@dataclass
class PushOutcome:
    """What a delivery attempt left to do: device tokens to try again, and when at the earliest."""

    retry_token_ids: list[str] = field(default_factory=list)
    retry_after: float | None = None


def notification_push_deliver(
    *, notification_id, token_ids: list[str] | None = None, final_attempt: bool = False
) -> PushOutcome:
    """Push one notification to the user's active devices (or only ``token_ids``, on a retry).

    Idempotent: a notification whose push is no longer pending is left alone, and a device FCM
    already accepted it for (``push_reached``) is not sent it again. A device whose token FCM
    calls invalid is deactivated; devices that failed transiently are returned for a retry, and
    on the final attempt the push is settled as sent (some device got it) or failed. A backend
    that is misconfigured (no or a broken service account) settles it at once: no retry can
    mend that.
    """
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.push_status != DeliveryStatus.PENDING:
        return PushOutcome()
    devices = DeviceToken.objects.filter(user_id=notification.user_id, is_active=True).exclude(
        pk__in=notification.push_reached
    )
    if token_ids is not None:
        devices = devices.filter(pk__in=token_ids)
    devices = list(devices.order_by("-last_seen_at")[:NOTIFICATIONS_MAX_DEVICES])
    if not devices and token_ids is None and not notification.push_reached:
        _push_settle(notification, DeliveryStatus.SKIPPED)
        return PushOutcome()

    outcome = PushOutcome()
    if devices:
        try:
            outcome = _push_to_devices(get_push_backend(), notification, devices)
        except ImproperlyConfigured as exc:
            # Its message names the setting at fault and never carries the key itself.
            logger.error("push of notification %s failed: %s", notification.pk, exc)
            notification_push_finish(notification_id=notification.pk)
            return PushOutcome()
    if outcome.retry_token_ids and not final_attempt:
        return outcome
    notification_push_finish(notification_id=notification.pk)
    return PushOutcome()


def _push_to_devices(
    backend: PushBackend, notification: Notification, devices: list[DeviceToken]
) -> PushOutcome:
    payload = _push_data(notification)
    outcome = PushOutcome()
    for device in devices:
        try:
            backend.send(
                token=device.token, title=notification.title, body=notification.body, data=payload
            )
        except PushError as exc:
            if exc.token_invalid:
                DeviceToken.objects.filter(pk=device.pk).update(is_active=False)
            elif exc.transient:
                outcome.retry_token_ids.append(str(device.pk))
                outcome.retry_after = max(outcome.retry_after or 0, exc.retry_after or 0) or None
            continue
        _push_reached(notification.pk, device)
    return outcome


@transaction.atomic
def _push_reached(notification_id, device: DeviceToken) -> None:
    """Note that FCM accepted the push for ``device`` (right after the call: FCM has no
    idempotency key, so this list is what keeps a retry from pushing it twice)."""
    notification = (
        Notification.objects.select_for_update()
        .only("push_reached", "push_sent_at")
        .get(pk=notification_id)
    )
    reached = [*notification.push_reached, str(device.pk)]
    Notification.objects.filter(pk=notification_id).update(
        push_reached=reached, push_sent_at=notification.push_sent_at or timezone.now()
    )


def notification_push_finish(*, notification_id) -> None:
    """Settle a pending push for good: sent if any device got it, otherwise failed."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return
    delivered = notification.push_sent_at is not None
    _push_settle(notification, DeliveryStatus.SENT if delivered else DeliveryStatus.FAILED)


def _push_settle(notification: Notification, status: str) -> None:
    Notification.objects.filter(pk=notification.pk, push_status=DeliveryStatus.PENDING).update(
        push_status=status
    )


def _push_data(notification: Notification) -> dict[str, str]:
    """FCM data values are strings; the app routes on notification_id and kind."""
    values = {key: _push_value(value) for key, value in (notification.data or {}).items()}
    return {**values, "notification_id": str(notification.id), "kind": notification.kind}


def _push_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def notification_mark_read(*, user: User, notification_id) -> Notification:
    """Mark one of the user's own notifications read (again is fine); another's is 404."""
    try:
        notification = Notification.objects.get(pk=notification_id, user=user, in_app=True)
    except (Notification.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound(NOTIFICATION_NOT_FOUND) from exc
    if not notification.is_read:
        Notification.objects.filter(pk=notification.pk, is_read=False).update(
            is_read=True, read_at=timezone.now()
        )
        list_touch([pages.inbox(user.pk)])  # update() sends no signal
        notification.refresh_from_db(fields=["is_read", "read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    updated = Notification.objects.filter(user=user, in_app=True, is_read=False).update(
        is_read=True, read_at=timezone.now()
    )
    if updated:
        list_touch([pages.inbox(user.pk)])  # update() sends no signal
    return updated


# ---------------------------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def device_register(*, user: User, token: str, platform: str) -> DeviceToken:
    """Register an app install's FCM token for ``user``.

    A token already known (the phone changed hands, or someone else signed in on it) moves to
    this user and is reactivated: a device receives only the notifications of who uses it now.
    FCM gives no way to prove that a caller holds the install a token names, so a move from
    another account is written to the audit trail naming both accounts (docs/decisions.md,
    Notifications): the previous owner's registration ends, and the move can be traced.
    A person keeps at most NOTIFICATIONS_MAX_DEVICES active tokens; the least recently registered
    ones beyond that are switched off (they come back when that install registers again).
    """
    # Concurrent registrations of one person take turns, so none can slip past the cap.
    User.objects.select_for_update().only("pk").get(pk=user.pk)
    previous = (
        DeviceToken.objects.select_for_update()
        .filter(token=token)
        .exclude(user=user)
        .select_related("user")
        .first()
    )
    device, _created = DeviceToken.objects.update_or_create(
        token=token,
        defaults={
            "user": user,
            "platform": platform,
            "is_active": True,
            "last_seen_at": timezone.now(),
        },
    )
    surplus = DeviceToken.objects.filter(user=user, is_active=True).order_by(
        "-last_seen_at", "-created_at"
    )[NOTIFICATIONS_MAX_DEVICES:]
    DeviceToken.objects.filter(pk__in=list(surplus.values_list("pk", flat=True))).update(
        is_active=False
    )
    if previous is not None:
        activity_record(
            action=ActivityAction.DEVICE_MOVED,
            actor=user,
            resource=previous.user,  # the account the phone's notifications went to until now
            details={"device": str(device.pk), "platform": platform},
        )
        logger.info(
            "device %s (%s) moved from user %s to user %s",
            device.pk,
            token_ref(token),
            previous.user.pk,
            user.pk,
        )
    return device


def device_unregister(*, user: User, token: str) -> None:
    """Forget one of the user's device tokens (on sign-out); someone else's token is 404."""
    deleted, _detail = DeviceToken.objects.filter(user=user, token=token).delete()
    if not deleted:
        raise NotFound(DEVICE_NOT_FOUND)
