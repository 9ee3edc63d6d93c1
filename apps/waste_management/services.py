"""Writes of waste collection: ward staff keep the collection schedules (their citizens hear of
every change), citizens ask for special collections (paid through apps.payments when a fee is
set, like a donation), and staff plan them.

A schedule change is announced after commit by one Celery task per change
(``schedule_change_announce``), which tells the ward's citizens in batches, each in their own
language; a dedupe key per change and person means a retried task tells nobody twice.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import notification_send
from apps.payments.models import Payment, PaymentStatus
from apps.payments.services import payment_open
from apps.users.models import ActivityAction, User, UserType
from apps.users.policy import Action
from apps.users.services import activity_record, ward_number_normalize
from core.exceptions import Conflict, ErrorCode, PermissionDenied, ValidationFailed

from .enums import (
    ADDRESS_MAX_CHARS,
    COMMENT_MAX_CHARS,
    DESCRIPTION_MAX_CHARS,
    NOTES_MAX_CHARS,
    SPECIAL_DAYS_AHEAD,
    SPECIAL_MOVES,
    PaymentState,
    SpecialStatus,
    WasteType,
    Weekday,
)
from .models import CollectionSchedule, SpecialCollectionRequest
from .policy import may_act
from .selectors import fee_for, ward_citizen_batches

PURPOSE = "special_collection"  # the service_type of a special collection's payment
ANNOUNCE_BATCH_SIZE = 500  # citizens told by one task of a schedule change

SCHEDULE_FIELDS = (
    "ward_number",
    "day_of_week",
    "start_time",
    "end_time",
    "waste_type",
    "vehicle",
    "notes",
    "is_active",
)
SCHEDULE_REQUIRED = ("ward_number", "day_of_week", "start_time", "end_time", "waste_type")

_SCHEDULE_REFUSALS = {
    "create": _("You can only add collection schedules for wards you manage."),
    "update": _("You can only change collection schedules of wards you manage."),
    "delete": _("You can only remove collection schedules of wards you manage."),
}
SPECIAL_REFUSAL = _("You can only plan special collections of wards you manage.")
FEE_UNPAID = _("The fee of this special collection has not been paid; it cannot be planned yet.")
FIELD_REQUIRED = _("This field is required.")
DATE_PASSED = _("This date has already passed.")
DATE_TOO_FAR = _("Choose a date within the coming year.")

# What the ward's citizens are told of a change (``change``: created, updated, removed).
_ANNOUNCEMENTS = {
    "created": (
        _("New waste collection in ward %(ward)s"),
        _("%(waste_type)s will be collected every %(day)s, %(start)s–%(end)s."),
    ),
    "updated": (
        _("Waste collection changed in ward %(ward)s"),
        _("%(waste_type)s is now collected every %(day)s, %(start)s–%(end)s."),
    ),
    "removed": (
        _("Waste collection stopped in ward %(ward)s"),
        _("%(waste_type)s is no longer collected on %(day)s, %(start)s–%(end)s."),
    ),
}

# A payment's final state, as the special collection riding on it records it.
_FOLLOWS = {
    PaymentStatus.COMPLETED: PaymentState.PAID,
    PaymentStatus.FAILED: PaymentState.FAILED,
    PaymentStatus.CANCELLED: PaymentState.FAILED,
    PaymentStatus.REFUNDED: PaymentState.REFUNDED,
}
# Staff plan or close a request only once its fee is settled (or when there is none).
_SETTLED = (PaymentState.NOT_REQUIRED, PaymentState.PAID)


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


def _ward(value) -> str:
    """A known ward ('০৫' and '05' are ward 5); 400 on ``ward_number`` otherwise."""
    try:
        ward = ward_number_normalize(value)
    except ValidationFailed as exc:
        raise _invalid("ward_number", exc.message) from exc
    if ward is None:
        raise _invalid("ward_number", FIELD_REQUIRED)
    return ward


def _text(data: dict, name: str, *, limit: int, required: bool) -> str:
    """A text field trimmed (one-line fields also with their inner runs of spaces joined)."""
    raw = str(data.get(name) or "")
    value = raw.strip() if name == "description" else " ".join(raw.split())
    if required and not value:
        raise _invalid(name, _("This field may not be blank."))
    if len(value) > limit:
        message = _("Ensure this field has no more than %(limit)d characters.") % {"limit": limit}
        raise _invalid(name, message)
    return value


# ---------------------------------------------------------------------------------------------
# Collection schedules
# ---------------------------------------------------------------------------------------------
def _schedule_authorize(actor: User, ward: str, *, action: Action) -> None:
    if not may_act(actor, ward, action=action):
        message = _SCHEDULE_REFUSALS[action]
        raise PermissionDenied(message, details={"ward_number": [message]})


def _schedule_fields(*, data: dict, schedule: CollectionSchedule | None) -> dict:
    """The fields a create (``schedule`` None) or an edit would write; 400 on a bad value."""
    fields = {name: data[name] for name in SCHEDULE_FIELDS if name in data}
    if schedule is None:
        for name in SCHEDULE_REQUIRED:
            if fields.get(name) in (None, ""):
                raise _invalid(name, FIELD_REQUIRED)
    if "ward_number" in fields:
        fields["ward_number"] = _ward(fields["ward_number"])
    if "day_of_week" in fields and fields["day_of_week"] not in Weekday.values:
        raise _invalid("day_of_week", _("Days run from 0 (Saturday) to 6 (Friday)."))
    if "waste_type" in fields and fields["waste_type"] not in WasteType.values:
        raise _invalid("waste_type", _("“%(value)s” is not a waste type.") % {
            "value": fields["waste_type"]
        })  # fmt: skip
    for name in ("start_time", "end_time"):
        if name in fields and fields[name] is None:
            raise _invalid(name, FIELD_REQUIRED)
    if "vehicle" in fields:
        fields["vehicle"] = _text(fields, "vehicle", limit=50, required=False)
    if "notes" in fields:
        fields["notes"] = _text(fields, "notes", limit=NOTES_MAX_CHARS, required=False)
    if "is_active" in fields:
        fields["is_active"] = bool(fields["is_active"])
    start = fields.get("start_time", schedule.start_time if schedule else None)
    end = fields.get("end_time", schedule.end_time if schedule else None)
    if end <= start:
        raise _invalid("end_time", _("The collection must end after it starts."))
    return fields


def schedule_input_check(
    *, actor: User, data: dict, schedule: CollectionSchedule | None = None
) -> None:
    """Raise what saving ``data`` would raise; write nothing (Django admin asks this first)."""
    if schedule is not None:
        _schedule_authorize(actor, schedule.ward_number, action="update")
    fields = _schedule_fields(data=data, schedule=schedule)
    ward = fields.get("ward_number", schedule.ward_number if schedule else None)
    _schedule_authorize(actor, ward, action="create" if schedule is None else "update")


def _snapshot(schedule: CollectionSchedule) -> dict:
    """What an announcement says of a schedule (codes: each citizen reads them in their own
    language)."""
    return {
        "waste_type": schedule.waste_type,
        "day_of_week": schedule.day_of_week,
        "start": schedule.start_time.strftime("%H:%M"),
        "end": schedule.end_time.strftime("%H:%M"),
    }


def _announce(ward: str, change: str, schedule: CollectionSchedule) -> None:
    """After commit, one task tells the ward's citizens of this change."""
    change_id = str(uuid.uuid4())
    snapshot = _snapshot(schedule)

    def queue() -> None:
        from .tasks import schedule_change_announce

        schedule_change_announce.delay(
            ward_number=ward, change_id=change_id, change=change, schedule=snapshot
        )

    transaction.on_commit(queue, robust=True)


@transaction.atomic
def schedule_create(*, actor: User, data: dict, request=None) -> CollectionSchedule:
    """Add a weekly collection round to a ward the actor may add to; its citizens are told."""
    fields = _schedule_fields(data=data, schedule=None)
    _schedule_authorize(actor, fields["ward_number"], action="create")
    schedule = CollectionSchedule.objects.create(created_by=actor, **fields)
    activity_record(
        action=ActivityAction.WASTE_SCHEDULE_CREATED,
        actor=actor,
        request=request,
        resource=schedule,
        details={"ward_number": schedule.ward_number, "waste_type": schedule.waste_type},
    )
    if schedule.is_active:
        _announce(schedule.ward_number, "created", schedule)
    return schedule


@transaction.atomic
def schedule_update(
    *, schedule: CollectionSchedule, actor: User, data: dict, request=None
) -> CollectionSchedule:
    """Change a schedule of a ward the actor may update (moving it to another ward needs the
    same right there). The citizens of each ward it touches are told once."""
    schedule = CollectionSchedule.objects.select_for_update().get(pk=schedule.pk)
    _schedule_authorize(actor, schedule.ward_number, action="update")
    fields = _schedule_fields(data=data, schedule=schedule)
    old_ward, was_active = schedule.ward_number, schedule.is_active
    if fields.get("ward_number", old_ward) != old_ward:
        _schedule_authorize(actor, fields["ward_number"], action="update")
    changed = [name for name, value in fields.items() if getattr(schedule, name) != value]
    if not changed:
        return schedule
    old = CollectionSchedule(**{name: getattr(schedule, name) for name in SCHEDULE_FIELDS})
    for name in changed:
        setattr(schedule, name, fields[name])
    schedule.save()
    activity_record(
        action=ActivityAction.WASTE_SCHEDULE_UPDATED,
        actor=actor,
        request=request,
        resource=schedule,
        details={"ward_number": schedule.ward_number, "fields": changed},
    )
    if schedule.ward_number != old_ward and was_active:
        _announce(old_ward, "removed", old)
        was_active = False
    if schedule.is_active:
        _announce(schedule.ward_number, "updated" if was_active else "created", schedule)
    elif was_active:
        _announce(schedule.ward_number, "removed", old)
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: CollectionSchedule, actor: User, request=None) -> None:
    """Remove a schedule of a ward the actor may delete from; its citizens are told."""
    schedule = CollectionSchedule.objects.select_for_update().get(pk=schedule.pk)
    _schedule_authorize(actor, schedule.ward_number, action="delete")
    activity_record(
        action=ActivityAction.WASTE_SCHEDULE_DELETED,
        actor=actor,
        request=request,
        resource=schedule,
        details={"ward_number": schedule.ward_number, **_snapshot(schedule)},
    )
    if schedule.is_active:
        _announce(schedule.ward_number, "removed", schedule)
    schedule.delete()


def schedule_change_announce(*, ward_number: str, change_id: str, change: str, schedule: dict):
    """Queue one task per batch of the ward's citizens; returns the batches queued."""
    from .tasks import schedule_change_notify

    batches = 0
    for user_ids in ward_citizen_batches(ward_number=ward_number, size=ANNOUNCE_BATCH_SIZE):
        schedule_change_notify.delay(
            ward_number=ward_number,
            change_id=change_id,
            change=change,
            schedule=schedule,
            user_ids=user_ids,
        )
        batches += 1
    return batches


def schedule_change_notify(
    *, ward_number: str, change_id: str, change: str, schedule: dict, user_ids: list[str]
) -> int:
    """Tell these citizens of a schedule change, in-app and by push, each in their language.
    Safe to repeat (one dedupe key per change and person). Returns how many were covered."""
    title, body = _ANNOUNCEMENTS[change]
    params = {
        "ward": ward_number,
        "waste_type": WasteType(schedule["waste_type"]).label,
        "day": Weekday(schedule["day_of_week"]).label,
        "start": schedule["start"],
        "end": schedule["end"],
    }
    told = 0
    citizens = User.objects.filter(pk__in=user_ids, is_active=True, user_type=UserType.CITIZEN)
    for citizen in citizens.order_by("pk"):
        notification_send(
            user=citizen,
            kind=f"waste.schedule_{change}",
            title=title,
            body=body,
            params=params,
            data={"ward_number": ward_number, "change": change, **schedule},
            channels=("in_app", "push"),
            dedupe_key=f"waste-schedule:{change_id}",
        )
        told += 1
    return told


# ---------------------------------------------------------------------------------------------
# Special collections
# ---------------------------------------------------------------------------------------------
def _not_past(field: str, value: date) -> None:
    """A collection date: today or later (the Dhaka date, TIME_ZONE), and within the year ahead
    (a date years away is a typing slip, not a plan)."""
    today = timezone.localdate()
    if value < today:
        raise _invalid(field, DATE_PASSED)
    if value > today + timedelta(days=SPECIAL_DAYS_AHEAD):
        raise _invalid(field, DATE_TOO_FAR)


def special_request_create(*, citizen: User, data: dict) -> SpecialCollectionRequest:
    """A citizen asks for a special collection. With a fee for its waste type the payment is
    opened as a donation's is: the request is written in the payment's transaction (or not at
    all) and follows it (``special_collection_follow_payment``). Returns the request, with
    ``payment.redirect_url`` set when there is something to pay."""
    waste_type = data.get("waste_type")
    if waste_type not in WasteType.values:
        raise _invalid("waste_type", FIELD_REQUIRED)
    fields = {
        "citizen": citizen,
        "waste_type": waste_type,
        "ward_number": _ward(data.get("ward_number")),
        "description": _text(data, "description", limit=DESCRIPTION_MAX_CHARS, required=True),
        "address": _text(data, "address", limit=ADDRESS_MAX_CHARS, required=True),
        "preferred_date": data.get("preferred_date"),
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
    }
    if fields["preferred_date"] is None:
        raise _invalid("preferred_date", FIELD_REQUIRED)
    _not_past("preferred_date", fields["preferred_date"])
    if (fields["latitude"] is None) != (fields["longitude"] is None):
        missing = "longitude" if fields["longitude"] is None else "latitude"
        raise _invalid(missing, _("Send both latitude and longitude, or neither."))
    fee = fee_for(waste_type)
    if fee is None:
        return SpecialCollectionRequest.objects.create(**fields)
    for name in ("payment_method", "phone_number"):
        if not data.get(name):
            message = _("This collection has a fee of %(amount)s BDT: say how you will pay.") % {
                "amount": fee.amount
            }
            raise _invalid(name, message)
    kept: list[SpecialCollectionRequest] = []

    def attach(payment: Payment) -> None:
        kept.append(
            SpecialCollectionRequest.objects.create(
                **fields, fee=payment.amount, payment=payment, payment_state=PaymentState.PENDING
            )
        )

    payment = payment_open(
        user=citizen,
        purpose=PURPOSE,
        description=f"Special collection: {WasteType(waste_type).name.title()}",
        amount=fee.amount,
        payment_method=data["payment_method"],
        phone_number=data["phone_number"],
        attach=attach,
    )
    special = SpecialCollectionRequest.objects.select_related("payment").get(pk=kept[0].pk)
    special.payment.redirect_url = payment.redirect_url
    return special


def special_collection_follow_payment(payment: Payment, *, announce: bool) -> bool:
    """Called by the payments services (settings.PAYMENT_PURPOSES) in the payment's transaction,
    under its row lock, so the request's payment_state moves exactly once with it."""
    if payment.service_type != PURPOSE:
        return False
    special = SpecialCollectionRequest.objects.select_for_update().filter(payment=payment).first()
    target = _FOLLOWS.get(payment.status)
    if special is None or target is None or special.payment_state == target:
        return special is not None
    special.payment_state = target
    special.save(update_fields=["payment_state", "updated_at"])
    if announce:
        _tell_payment(special)
    return True


def _tell_payment(special: SpecialCollectionRequest) -> None:
    params = {"amount": special.fee, "waste_type": WasteType(special.waste_type).label}
    if special.payment_state == PaymentState.PAID:
        title = _("Special collection fee received")
        body = _(
            "We received %(amount)s BDT for your special collection (%(waste_type)s). "
            "Ward staff will schedule it and tell you the date."
        )
    elif special.payment_state == PaymentState.FAILED:
        title = _("Special collection fee not paid")
        body = _(
            "The payment of %(amount)s BDT for your special collection (%(waste_type)s) did "
            "not go through, so it will not be scheduled. You can ask again."
        )
    else:  # refunded: the refund's own message told the citizen
        return
    notification_send(
        user=special.citizen,
        kind=f"special_collection.payment_{special.payment_state}",
        title=title,
        body=body,
        params=params,
        data={"special_request_id": str(special.pk), "payment_state": special.payment_state},
        dedupe_key=f"special-collection:{special.pk}:{special.payment_state}",
    )


_STATUS_NEWS = {
    SpecialStatus.SCHEDULED: _(
        "Your special collection (%(waste_type)s) is scheduled for %(date)s."
    ),
    SpecialStatus.COLLECTED: _("Your special collection (%(waste_type)s) has been collected."),
    SpecialStatus.REJECTED: _("Your special collection request (%(waste_type)s) was rejected."),
}
COMMENT_NEWS = _("Note from the ward office: %(comment)s")
SPECIAL_TITLE = _("Special collection: %(status)s")


def _fields_for_staff(special: SpecialCollectionRequest, data: dict) -> tuple[dict, str | None]:
    """The fields a staff change writes, and the status it moves to (None: it stays)."""
    fields: dict = {}
    target = data.get("status") or special.status
    moving = target != special.status
    if moving:
        if target not in SPECIAL_MOVES[SpecialStatus(special.status)]:
            message = _("A special collection cannot go from %(old)s to %(new)s.") % {
                "old": SpecialStatus(special.status).label,
                "new": SpecialStatus(target).label,
            }
            raise Conflict(message, code=ErrorCode.INVALID_TRANSITION)
        if target != SpecialStatus.REJECTED and special.payment_state not in _SETTLED:
            raise Conflict(FEE_UNPAID, code=ErrorCode.FEE_UNPAID)
        fields["status"] = target
        if target == SpecialStatus.COLLECTED:
            fields["collected_at"] = timezone.now()
    scheduled_date = data.get("scheduled_date")
    if scheduled_date is not None:
        if target != SpecialStatus.SCHEDULED:
            raise _invalid("scheduled_date", _("A date is set only when scheduling."))
        _not_past("scheduled_date", scheduled_date)
        if scheduled_date != special.scheduled_date:
            fields["scheduled_date"] = scheduled_date
    elif moving and target == SpecialStatus.SCHEDULED:
        raise _invalid("scheduled_date", _("Say on which date it will be collected."))
    if "comment" in data:
        comment = _text(data, "comment", limit=COMMENT_MAX_CHARS, required=False)
        if comment != special.staff_comment:
            fields["staff_comment"] = comment
    return fields, target if moving else None


def special_request_input_check(
    *, special: SpecialCollectionRequest, actor: User, data: dict
) -> None:
    """Raise what ``special_request_update`` would raise; write nothing (for forms)."""
    if not may_act(actor, special.ward_number, action="update"):
        raise PermissionDenied(SPECIAL_REFUSAL)
    _fields_for_staff(special, data)


@transaction.atomic
def special_request_update(
    *, special: SpecialCollectionRequest, actor: User, data: dict, request=None
) -> SpecialCollectionRequest:
    """Staff of the ward schedule, collect or reject a request (SPECIAL_MOVES), set its date
    and a comment; audited, and the citizen is told in their language."""
    special = (
        SpecialCollectionRequest.objects.select_for_update()
        .select_related("citizen")
        .get(pk=special.pk)
    )
    if not may_act(actor, special.ward_number, action="update"):
        raise PermissionDenied(SPECIAL_REFUSAL)
    old_status = special.status
    fields, moved_to = _fields_for_staff(special, data)
    if not fields:
        return special
    for name, value in fields.items():
        setattr(special, name, value)
    special.handled_by = actor
    special.save()
    activity_record(
        action=ActivityAction.SPECIAL_COLLECTION_UPDATED,
        actor=actor,
        request=request,
        resource=special,
        details={"ward_number": special.ward_number, "from": old_status,
                 "to": special.status, "fields": sorted(fields)},
    )  # fmt: skip
    _tell_citizen(special, moved=moved_to is not None or "scheduled_date" in fields)
    return special


def _tell_citizen(special: SpecialCollectionRequest, *, moved: bool) -> None:
    """The status (or new date) and the staff's comment, as labels in the citizen's language.
    The text is put together here, in that language, since it has one or two parts."""
    status = SpecialStatus(special.status)
    params = {
        "waste_type": WasteType(special.waste_type).label,
        "date": special.scheduled_date.isoformat() if special.scheduled_date else "",
        "comment": special.staff_comment,
        "status": status.label,
    }
    parts = [_STATUS_NEWS[status]] if moved and status in _STATUS_NEWS else []
    if special.staff_comment:
        parts.append(COMMENT_NEWS)
    if not parts:
        return
    with translation.override(special.citizen.language):
        title = str(SPECIAL_TITLE) % params
        body = " ".join(str(part) % params for part in parts)
    notification_send(
        user=special.citizen,
        kind=f"special_collection.{status}",
        title=title,
        body=body,
        data={"special_request_id": str(special.pk), "status": status.value},
        channels=("in_app", "push"),
    )
