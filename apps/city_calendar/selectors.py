"""Reads of the city calendar: events with their participant counts, filters, the feed, and the
participants due a reminder."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import django_filters
from django.core.validators import RegexValidator
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from apps.users.models import User
from apps.users.services import ward_number_normalize
from core.exceptions import NotFound

from .enums import CITY_TZ, FEED_MAX_EVENTS, REMINDER_FROM_HOUR, EventType
from .models import Event, EventParticipant

# Years the database stores (1970-2999), months 01-12.
MONTH_PATTERN = re.compile(r"^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$")


def city_midnight(day: date) -> datetime:
    """The first moment of ``day`` in the city (Asia/Dhaka)."""
    return datetime.combine(day, time.min, tzinfo=CITY_TZ)


def with_counts(events: QuerySet[Event], *, viewer: User | None) -> QuerySet[Event]:
    """``participant_count`` (one aggregate) and ``is_joined`` (one EXISTS subquery) per row."""
    if viewer is not None and viewer.is_authenticated:
        joined = Exists(EventParticipant.objects.filter(event=OuterRef("pk"), user_id=viewer.pk))
    else:
        joined = Value(False, output_field=BooleanField())
    return events.annotate(participant_count=Count("participants"), is_joined=joined)


def for_ward(ward: str) -> Q:
    """A ward's calendar: its own events and the city-wide ones."""
    return Q(ward_number=ward) | Q(ward_number__isnull=True)


def month_bounds(value: str) -> tuple[datetime, datetime] | None:
    """``YYYY-MM`` → its first moment and the first moment of the next month, Asia/Dhaka."""
    match = MONTH_PATTERN.match(value.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    following = date(year + month // 12, month % 12 + 1, 1)
    return city_midnight(date(year, month, 1)), city_midnight(following)


class EventFilter(django_filters.FilterSet):
    """``month`` (events that overlap it, Asia/Dhaka), ``event_type``, ``ward_number`` (that
    ward's events and the city-wide ones)."""

    month = django_filters.CharFilter(
        method="filter_month",
        validators=[RegexValidator(MONTH_PATTERN, _("Give the month as YYYY-MM, e.g. 2025-03."))],
        help_text="YYYY-MM (Asia/Dhaka).",
    )
    event_type = django_filters.ChoiceFilter(choices=EventType.choices)
    ward_number = django_filters.CharFilter(
        method="filter_ward", help_text="That ward's events and the city-wide ones."
    )

    class Meta:
        model = Event
        fields = ["month", "event_type", "ward_number"]

    def filter_month(self, events, name, value):
        first, following = month_bounds(value)  # the field's validator matched it already
        return events.filter(start__lt=following, end__gte=first)

    def filter_ward(self, events, name, value):
        ward = ward_filter(value)
        return events.filter(for_ward(ward)) if ward else events


def ward_filter(value: str | None) -> str | None:
    """A ward asked for in a query ('০৫' is ward 5); an unknown one is a 400, not an empty
    answer (a calendar app subscribed to a mistyped ward would show only city-wide events)."""
    return ward_number_normalize(value) if value else None


def event_list(*, viewer: User) -> QuerySet[Event]:
    """Every event (the calendar is public), soonest first, with counts for ``viewer``."""
    return with_counts(Event.objects.all(), viewer=viewer).order_by("start", "id")


def event_get(*, viewer: User, event_id) -> Event:
    try:
        return with_counts(Event.objects.all(), viewer=viewer).get(pk=event_id)
    except (Event.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def events_feed(*, ward: str | None, now: datetime) -> list[Event]:
    """The events of the iCalendar feed: not ended yet, soonest first (a ward's and the
    city-wide ones when ``ward`` is given)."""
    events = Event.objects.filter(end__gte=now)
    if ward:
        events = events.filter(for_ward(ward))
    return list(events.order_by("start", "id")[:FEED_MAX_EVENTS])


def reminder_window(now: datetime) -> tuple[datetime, datetime] | None:
    """Tomorrow in the city, as [first moment, first moment of the day after); None before
    REMINDER_FROM_HOUR (nobody is woken at midnight)."""
    local = now.astimezone(CITY_TZ)
    if local.hour < REMINDER_FROM_HOUR:
        return None
    tomorrow = local.date() + timedelta(days=1)
    return city_midnight(tomorrow), city_midnight(tomorrow + timedelta(days=1))


def events_reminder_due(*, now: datetime) -> list:
    """Ids of the events starting tomorrow (Asia/Dhaka) with a participant not reminded yet."""
    window = reminder_window(now)
    if window is None:
        return []
    first, following = window
    unsent = EventParticipant.objects.filter(event=OuterRef("pk"), reminded_at__isnull=True)
    return list(
        Event.objects.filter(start__gte=first, start__lt=following)
        .filter(Exists(unsent))
        .order_by("start")
        .values_list("pk", flat=True)
    )
