"""Writes of notices: publishing, editing, withdrawing, counting readers, expiring, urgent pushes.

Every change retires the cached boards once its transaction commits (``notices_touch``). An
urgent notice is pushed once to every citizen of its wards: as soon as it is on the board (at
once, or at ``published_at`` through the every-minute sweep) ``notice_urgent_start`` claims it
with a conditional update and queues one ``notice_urgent_push`` task per batch of citizens; each
person is told through ``notification_send`` with a key per notice and person, so a retried or
doubled task tells nobody twice.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import notification_send
from apps.users.models import ActivityAction, User, UserType
from apps.users.policy import Action
from apps.users.services import activity_record, ward_number_normalize
from core.exceptions import Conflict, ErrorCode, PermissionDenied, ValidationFailed

from .attachments import PreparedAttachment, attachment_prepare
from .cache import notices_touch
from .enums import PREVIEW_CHARS, Priority, State
from .models import Notice, NoticeView, NoticeWard
from .policy import may_target, on_board, state_of
from .selectors import urgent_recipient_batches

TEXT_FIELDS = ("title", "content", "category")
EDITABLE = (*TEXT_FIELDS, "priority", "is_urgent", "published_at", "expires_at")

NOTICE_WITHDRAWN = _("This notice has been withdrawn; it cannot be changed.")
URGENT_TITLE = _("Urgent notice: %(title)s")
URGENT_BODY = _("%(preview)s")
_REFUSALS = {
    "create": _("You can only publish notices for wards you manage."),
    "update": _("You can only change notices of wards you manage."),
    "delete": _("You can only withdraw notices of wards you manage."),
}
CITY_WIDE_REFUSAL = _("Only a super admin can publish notices for the whole city.")


# ---------------------------------------------------------------------------------------------
# Checking what staff send
# ---------------------------------------------------------------------------------------------
def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


def _authorize(actor: User, wards: set[str], *, action: Action) -> None:
    """Ward admins act on notices of the wards their rows grant; city-wide ones are the super
    admins' alone."""
    if may_target(actor, wards, action=action):
        return
    message = _REFUSALS[action] if wards else CITY_WIDE_REFUSAL
    raise PermissionDenied(message, details={"target_wards": [message]})


def _wards_clean(values) -> list[str]:
    """Known wards, each once, in number order ('০৫' and '05' are ward 5)."""
    wards: list[str] = []
    for value in values:
        try:
            ward = ward_number_normalize(value)
        except ValidationFailed as exc:
            raise _invalid("target_wards", exc.message) from exc
        if ward is not None and ward not in wards:
            wards.append(ward)
    return sorted(wards, key=lambda ward: (not ward.isdigit(), ward.zfill(10)))


def _wards_of(notice: Notice) -> set[str]:
    return set(NoticeWard.objects.filter(notice=notice).values_list("ward_number", flat=True))


def _fields_clean(
    *, actor: User, data: dict, notice: Notice | None, action: Action, now: datetime
) -> tuple[dict, list[str] | None]:
    """The fields a create (``notice`` None) or an edit would write, and the new wards (None:
    unchanged). Raises 400 for bad values and 403 for wards the actor may not act on."""
    fields = {}
    for name in TEXT_FIELDS:
        if name in data or notice is None:
            value = (data.get(name) or "").strip()
            if not value:
                raise _invalid(name, _("This field may not be blank."))
            fields[name] = value
    if "priority" in data or notice is None:
        priority = data.get("priority") or Priority.NORMAL
        if priority not in Priority.values:
            raise _invalid("priority", _("“%(value)s” is not a priority.") % {"value": priority})
        fields["priority"] = priority
    if "is_urgent" in data or notice is None:
        fields["is_urgent"] = bool(data.get("is_urgent", False))

    wards = None
    if "target_wards" in data or notice is None:
        wards = _wards_clean(data.get("target_wards") or [])
        _authorize(actor, set(wards), action=action)
    if notice is not None and fields.get("is_urgent") and not notice.is_urgent:
        # Making a notice urgent pushes it to every phone of its wards: that is publishing anew.
        _authorize(actor, set(wards) if wards is not None else _wards_of(notice), action="create")

    # published_at: now by default; an edit without it (or with null) keeps the old one.
    if data.get("published_at") is not None:
        fields["published_at"] = data["published_at"]
    elif notice is None:
        fields["published_at"] = now
    published_at = fields.get("published_at", notice.published_at if notice else now)
    if "expires_at" in data:
        fields["expires_at"] = data["expires_at"]
        if data["expires_at"] is not None and data["expires_at"] <= now:
            raise _invalid("expires_at", _("This time has already passed."))
    expires_at = fields.get("expires_at", notice.expires_at if notice else None)
    if expires_at is not None and expires_at <= published_at:
        raise _invalid("expires_at", _("A notice must expire after it is published."))
    return fields, wards


def _attachment_of(data: dict) -> PreparedAttachment | None:
    upload = data.get("attachment")
    return attachment_prepare(upload) if upload is not None else None


def notice_input_check(*, actor: User, data: dict, notice: Notice | None = None) -> None:
    """Raise what publishing (or editing ``notice`` with) ``data`` would raise; write nothing.
    Django admin asks this first, so a refusal shows on its form."""
    if notice is not None:
        _editable(notice)
        _authorize(actor, _wards_of(notice), action="update")
    action = "create" if notice is None else "update"
    _fields_clean(actor=actor, data=data, notice=notice, action=action, now=timezone.now())
    _attachment_of(data)


def _editable(notice: Notice) -> None:
    if notice.withdrawn_at is not None:
        raise Conflict(NOTICE_WITHDRAWN, code=ErrorCode.NOTICE_WITHDRAWN)


# ---------------------------------------------------------------------------------------------
# Publishing, editing, withdrawing
# ---------------------------------------------------------------------------------------------
def notice_create(*, actor: User, data: dict, request=None) -> Notice:
    """Publish a notice now or at ``published_at``; an urgent one is pushed once it shows."""
    now = timezone.now()
    fields, wards = _fields_clean(actor=actor, data=data, notice=None, action="create", now=now)
    prepared = _attachment_of(data)
    saved: list[str] = []
    try:
        with transaction.atomic():
            notice = Notice(created_by=actor, **fields)
            _attachment_store(notice, prepared, saved)
            notice.save()
            NoticeWard.objects.bulk_create(NoticeWard(notice=notice, ward_number=w) for w in wards)
            activity_record(
                action=ActivityAction.NOTICE_CREATED,
                actor=actor,
                request=request,
                resource=notice,
                details={"target_wards": wards, "is_urgent": notice.is_urgent},
            )
            _announce(notice, now=now)
    except BaseException:
        _files_delete(saved)
        raise
    return notice


def notice_update(*, notice: Notice, actor: User, data: dict, request=None) -> Notice:
    """Change a notice of wards the actor manages (``attachment: None`` removes the file)."""
    prepared = _attachment_of(data)
    saved: list[str] = []
    try:
        with transaction.atomic():
            return _notice_change(notice, actor, data, prepared, saved, request)
    except BaseException:
        _files_delete(saved)
        raise


def _notice_change(notice, actor, data, prepared, saved, request) -> Notice:
    now = timezone.now()
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _editable(notice)
    current_wards = _wards_of(notice)
    _authorize(actor, current_wards, action="update")
    fields, wards = _fields_clean(actor=actor, data=data, notice=notice, action="update", now=now)
    changed = [name for name, value in fields.items() if getattr(notice, name) != value]
    for name in changed:
        setattr(notice, name, fields[name])
    if "attachment" in data and (prepared is not None or notice.attachment):
        old_file = notice.attachment.name
        if old_file:  # the replaced file goes once the change is committed, not before
            transaction.on_commit(lambda: _files_delete([old_file]), robust=True)
        notice.attachment, notice.attachment_name, notice.attachment_size = "", None, None
        _attachment_store(notice, prepared, saved)
        changed.append("attachment")
    if wards is not None and set(wards) != current_wards:
        NoticeWard.objects.filter(notice=notice).exclude(ward_number__in=wards).delete()
        NoticeWard.objects.bulk_create(
            NoticeWard(notice=notice, ward_number=w) for w in wards if w not in current_wards
        )
        changed.append("target_wards")
    if not changed:
        return notice
    # Back on the board if staff move the expiry of an expired notice forward.
    notice.is_active = state_of(notice, now=now) != State.EXPIRED
    notice.save()
    activity_record(
        action=ActivityAction.NOTICE_UPDATED,
        actor=actor,
        request=request,
        resource=notice,
        details={"fields": changed},
    )
    _announce(notice, now=now)
    return notice


@transaction.atomic
def notice_withdraw(*, notice: Notice, actor: User, request=None) -> Notice:
    """Take a notice off the board for good; the row stays for the record (again: no change)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _authorize(actor, _wards_of(notice), action="delete")
    if notice.withdrawn_at is not None:
        return notice
    notice.is_active = False
    notice.withdrawn_at = timezone.now()
    notice.save(update_fields=["is_active", "withdrawn_at", "updated_at"])
    activity_record(
        action=ActivityAction.NOTICE_WITHDRAWN, actor=actor, request=request, resource=notice
    )
    transaction.on_commit(notices_touch)
    return notice


def _announce(notice: Notice, *, now: datetime) -> None:
    """After commit: retire the cached boards; start an urgent notice's push if it shows now."""
    transaction.on_commit(notices_touch)
    if notice.is_urgent and notice.urgent_sent_at is None and notice.published_at <= now:
        notice_id = str(notice.pk)
        transaction.on_commit(lambda: _queue_urgent_start(notice_id), robust=True)


def _queue_urgent_start(notice_id: str) -> None:
    from .tasks import notice_urgent_start

    # If the broker is down, the every-minute sweep finds the notice unsent and starts it.
    notice_urgent_start.delay(notice_id=notice_id)


def _attachment_store(notice: Notice, prepared: PreparedAttachment | None, saved: list) -> None:
    if prepared is None:
        return
    notice.attachment.save(prepared.content.name, prepared.content, save=False)
    saved.append(notice.attachment.name)
    notice.attachment_name = prepared.original_name
    notice.attachment_size = prepared.content.size


def _files_delete(names: list[str]) -> None:
    storage = Notice._meta.get_field("attachment").storage
    for name in names:
        storage.delete(name)


# ---------------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------------
def notice_view_record(*, notice: Notice, reader: User) -> int:
    """Count ``reader`` once among the notice's readers (while it is on the board); returns the
    view count. Concurrent first visits of one reader meet the unique constraint, and only the
    one that inserted the row adds to the count, in the same transaction."""
    if reader.is_authenticated and state_of(notice, now=timezone.now()) == State.PUBLISHED:
        with transaction.atomic():
            _view, created = NoticeView.objects.get_or_create(notice_id=notice.pk, user=reader)
            if created:
                Notice.objects.filter(pk=notice.pk).update(view_count=F("view_count") + 1)
    return Notice.objects.values_list("view_count", flat=True).get(pk=notice.pk)


# ---------------------------------------------------------------------------------------------
# Time: expiry and urgent pushes (beat and Celery)
# ---------------------------------------------------------------------------------------------
def notices_expire() -> int:
    """Mark notices past ``expires_at`` inactive (for the record: boards already hide them)."""
    now = timezone.now()
    return Notice.objects.filter(is_active=True, expires_at__lte=now).update(
        is_active=False, updated_at=now
    )


def notice_urgent_start(*, notice_id) -> int:
    """Start the push of an urgent notice on the board; returns the batches queued (0: not
    urgent, not showing, or started already).

    The claim (``urgent_sent_at``, a conditional update) and the queueing share a transaction on
    purpose: if queueing fails half-way the claim rolls back and the next sweep starts again,
    and the batches already queued tell nobody twice (the notification's dedupe key).
    """
    from .tasks import notice_urgent_push

    now = timezone.now()
    with transaction.atomic():
        claimed = Notice.objects.filter(
            on_board(now), pk=notice_id, is_urgent=True, urgent_sent_at__isnull=True
        ).update(urgent_sent_at=now)
        if not claimed:
            return 0
        wards = list(NoticeWard.objects.filter(notice_id=notice_id).values_list("ward_number"))
        batches = 0
        for user_ids in urgent_recipient_batches(
            wards=[ward for (ward,) in wards], size=settings.NOTICE_URGENT_BATCH_SIZE
        ):
            notice_urgent_push.delay(notice_id=str(notice_id), user_ids=user_ids)
            batches += 1
    return batches


def notice_urgent_push(*, notice_id, user_ids: list[str]) -> int:
    """Tell each of these citizens of an urgent notice: in-app and push, and by SMS where
    NOTICE_URGENT_SMS is on. Safe to repeat. A notice withdrawn or expired meanwhile is not
    sent to anyone more. Returns how many people the batch covered."""
    notice = Notice.objects.filter(pk=notice_id).first()
    now = timezone.now()
    if notice is None or not notice.is_urgent or state_of(notice, now=now) != State.PUBLISHED:
        return 0
    channels = ("in_app", "push", "sms") if settings.NOTICE_URGENT_SMS else ("in_app", "push")
    content = " ".join(notice.content.split())
    preview = content if len(content) <= PREVIEW_CHARS else content[: PREVIEW_CHARS - 1] + "…"
    told = 0
    citizens = User.objects.filter(pk__in=user_ids, is_active=True, user_type=UserType.CITIZEN)
    for citizen in citizens.order_by("pk"):
        notification_send(
            user=citizen,
            kind="notice.urgent",
            title=URGENT_TITLE,
            body=URGENT_BODY,
            params={"title": notice.title, "preview": preview},
            data={"notice_id": str(notice.pk), "category": notice.category},
            channels=channels,
            dedupe_key=f"notice-urgent:{notice.pk}",
        )
        told += 1
    return told
