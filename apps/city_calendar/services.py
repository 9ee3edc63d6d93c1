"""Writes of the city calendar: staff add, edit and remove events (audited); people join and
leave them; participants are reminded the day before.

A join is decided under a lock of the event's row (``select_for_update``), so two people taking
the last seat at once are served one after the other: one joins, the other hears `event_full`.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import notification_send
from apps.users.models import ActivityAction, Language, User
from apps.users.policy import Action
from apps.users.services import activity_record, ward_number_normalize
from core.exceptions import Conflict, ErrorCode, NotFound, PermissionDenied, ValidationFailed

from .enums import CITY_TZ, EventType
from .models import Event, EventParticipant
from .policy import may_manage
from .selectors import events_reminder_due, reminder_window

TEXT_FIELDS = ("title", "title_en", "description", "location")
EDITABLE = (*TEXT_FIELDS, "event_type", "start", "end", "all_day", "ward_number", "capacity")

EVENT_FULL = _("This event is full: every place has been taken.")
EVENT_OVER = _("This event has already ended.")
_REFUSALS = {
    "create": _("You can only add events for wards you manage."),
    "update": _("You can only change events of wards you manage."),
    "delete": _("You can only remove events of wards you manage."),
}
CITY_WIDE_REFUSAL = _("Only a super admin can add or change events for the whole city.")
REMINDER_TITLE = _("Tomorrow: %(title)s")
REMINDER_TIMED = _("%(title)s starts tomorrow at %(time)s. %(location)s")
REMINDER_ALL_DAY = _("%(title)s is tomorrow, all day. %(location)s")


# ---------------------------------------------------------------------------------------------
# Checking what staff send
# ---------------------------------------------------------------------------------------------
def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


def _authorize(actor: User, ward: str | None, *, action: Action) -> None:
    if may_manage(actor, ward, action=action):
        return
    message = _REFUSALS[action] if ward else CITY_WIDE_REFUSAL
    raise PermissionDenied(message, details={"ward_number": [message]})


def _whole_days(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """An all-day event runs from midnight of its first day to 23:59:59 of its last, Dhaka."""
    first = start.astimezone(CITY_TZ).date()
    last = end.astimezone(CITY_TZ).date()
    return (
        datetime.combine(first, time.min, tzinfo=CITY_TZ),
        datetime.combine(last, time(23, 59, 59), tzinfo=CITY_TZ),
    )


def _fields_clean(*, actor: User, data: dict, event: Event | None) -> dict:
    """The fields a create (``event`` None) or an edit would write. Raises 400 for bad values
    and 403 for a ward (or the whole city) the actor may not act on."""
    fields: dict = {}
    for name in TEXT_FIELDS:
        if name in data or event is None:
            fields[name] = (data.get(name) or "").strip()
    if "title" in fields and not fields["title"]:
        raise _invalid("title", _("This field may not be blank."))
    if "event_type" in data or event is None:
        event_type = data.get("event_type")
        if event_type not in EventType.values:
            message = _("“%(value)s” is not an event type.") % {"value": event_type}
            raise _invalid("event_type", message)
        fields["event_type"] = event_type
    for name in ("start", "end"):
        if name in data or event is None:
            if data.get(name) is None:
                raise _invalid(name, _("This field is required."))
            fields[name] = data[name]
    if "all_day" in data or event is None:
        fields["all_day"] = bool(data.get("all_day", False))
    if "capacity" in data or event is None:
        capacity = data.get("capacity")
        if capacity is not None and capacity < 1:
            raise _invalid("capacity", _("The capacity must be at least 1 (or empty: no limit)."))
        fields["capacity"] = capacity
    if "ward_number" in data or event is None:
        try:
            fields["ward_number"] = ward_number_normalize(data.get("ward_number") or None)
        except ValidationFailed as exc:
            raise _invalid("ward_number", exc.message) from exc

    def now_or_then(name):
        return fields[name] if name in fields else getattr(event, name)

    start, end, all_day = now_or_then("start"), now_or_then("end"), now_or_then("all_day")
    if all_day:
        start, end = _whole_days(start, end)
        fields["start"], fields["end"] = start, end
    if end < start:
        raise _invalid("end", _("An event cannot end before it starts."))

    if event is None:
        _authorize(actor, fields["ward_number"], action="create")
    else:
        _authorize(actor, event.ward_number, action="update")
        if "ward_number" in fields and fields["ward_number"] != event.ward_number:
            # Moving an event to another ward (or the whole city) is adding it there.
            _authorize(actor, fields["ward_number"], action="create")
    return fields


def event_input_check(*, actor: User, data: dict, event: Event | None = None) -> None:
    """Raise what adding (or editing ``event`` with) ``data`` would raise; write nothing.
    Django admin and the console ask this first, so a refusal shows on their forms."""
    _fields_clean(actor=actor, data=data, event=event)


# ---------------------------------------------------------------------------------------------
# Adding, editing, removing
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def event_create(*, actor: User, data: dict, request=None) -> Event:
    fields = _fields_clean(actor=actor, data=data, event=None)
    event = Event.objects.create(created_by=actor, **fields)
    activity_record(
        action=ActivityAction.EVENT_CREATED,
        actor=actor,
        request=request,
        resource=event,
        details={"ward_number": event.ward_number, "event_type": event.event_type},
    )
    return event


@transaction.atomic
def event_update(*, event: Event, actor: User, data: dict, request=None) -> Event:
    """Change an event of a ward the actor manages. A capacity below the people who joined
    keeps them; it only stops new joins."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    fields = _fields_clean(actor=actor, data=data, event=event)
    changed = [name for name, value in fields.items() if getattr(event, name) != value]
    if not changed:
        return event
    for name in changed:
        setattr(event, name, fields[name])
    event.save()
    activity_record(
        action=ActivityAction.EVENT_UPDATED,
        actor=actor,
        request=request,
        resource=event,
        details={"fields": changed},
    )
    return event


@transaction.atomic
def event_delete(*, event: Event, actor: User, request=None) -> None:
    """Remove an event and who joined it; the audit trail keeps its title and times."""
    event = Event.objects.select_for_update().filter(pk=event.pk).first()
    if event is None:
        return
    _authorize(actor, event.ward_number, action="delete")
    activity_record(
        action=ActivityAction.EVENT_DELETED,
        actor=actor,
        request=request,
        resource=event,
        details={
            "title": event.title,
            "ward_number": event.ward_number,
            "start": event.start.isoformat(),
            "participants": event.participants.count(),
        },
    )
    event.delete()


# ---------------------------------------------------------------------------------------------
# Joining and leaving
# ---------------------------------------------------------------------------------------------
def _locked(event_id) -> Event:
    try:
        return Event.objects.select_for_update().get(pk=event_id)
    except (Event.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


@transaction.atomic
def event_join(*, event_id, user: User) -> bool:
    """Join an event; True when this call added ``user``, False when they had joined already
    (harmless). Refused when the event has ended (`event_over`) or every place is taken
    (`event_full`), decided under the event's row lock."""
    event = _locked(event_id)
    if EventParticipant.objects.filter(event=event, user=user).exists():
        return False
    if event.end < timezone.now():
        raise Conflict(EVENT_OVER, code=ErrorCode.EVENT_OVER)
    taken = EventParticipant.objects.filter(event=event)
    if event.capacity is not None and taken.count() >= event.capacity:
        raise Conflict(EVENT_FULL, code=ErrorCode.EVENT_FULL)
    EventParticipant.objects.create(event=event, user=user)
    return True


@transaction.atomic
def event_leave(*, event_id, user: User) -> bool:
    """Leave an event; True when ``user`` had joined, False when not (nothing to do). An
    ended event keeps who took part (`event_over`)."""
    event = _locked(event_id)
    joined = EventParticipant.objects.filter(event=event, user=user)
    if not joined.exists():
        return False
    if event.end < timezone.now():
        raise Conflict(EVENT_OVER, code=ErrorCode.EVENT_OVER)
    joined.delete()
    return True


# ---------------------------------------------------------------------------------------------
# The day-before reminder (beat)
# ---------------------------------------------------------------------------------------------
def event_remind(*, event_id, now: datetime | None = None) -> int:
    """Tell each participant of an event that starts tomorrow (Asia/Dhaka), in-app and by push,
    in their language; returns how many were told. Safe to repeat and to run twice at once:
    each participant row is claimed under a lock (others skip it) and marked in the same
    transaction, and the notification's dedupe key tells nobody twice."""
    now = now or timezone.now()
    window = reminder_window(now)
    told = 0
    with transaction.atomic():
        event = Event.objects.filter(pk=event_id).first()
        if window is None or event is None or not (window[0] <= event.start < window[1]):
            return 0
        due = (
            EventParticipant.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(event=event, reminded_at__isnull=True)
            .select_related("user")
            .order_by("joined_at")
        )
        for participant in due:
            if participant.user.is_active:
                _remind(event, participant.user)
                told += 1
            participant.reminded_at = now
            participant.save(update_fields=["reminded_at"])
    return told


def _remind(event: Event, user: User) -> None:
    english = user.language == Language.ENGLISH and event.title_en
    params = {
        "title": event.title_en if english else event.title,
        "time": event.start.astimezone(CITY_TZ).strftime("%H:%M"),
        "location": event.location,
    }
    notification_send(
        user=user,
        kind="calendar.reminder",
        title=REMINDER_TITLE,
        body=REMINDER_ALL_DAY if event.all_day else REMINDER_TIMED,
        params=params,
        data={"event_id": str(event.pk), "event_type": event.event_type},
        channels=("in_app", "push"),
        dedupe_key=f"event-reminder:{event.pk}",
    )


def events_remind(*, now: datetime | None = None) -> int:
    """Remind the participants of every event that starts tomorrow; returns people told."""
    now = now or timezone.now()
    return sum(event_remind(event_id=pk, now=now) for pk in events_reminder_due(now=now))
