"""The city's calendar: events (government holidays, cleanup drives, vaccination days, …) and
the people who joined them (the seeds' CALENDAR_EVENT and EVENT_PARTICIPANT)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .enums import LOCATION_MAX_CHARS, TITLE_MAX_CHARS, EventType


class Event(models.Model):
    """One event of the city calendar; no ward means city-wide.

    An all-day event runs from midnight of its first day to the last moment of its last day,
    Asia/Dhaka (the services set both ends so), so "has it ended?" is one comparison for all.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title (Bengali)"), max_length=TITLE_MAX_CHARS)
    title_en = models.CharField(
        _("title (English)"), max_length=TITLE_MAX_CHARS, blank=True, default=""
    )
    description = models.TextField(_("description"), blank=True, default="")
    event_type = models.CharField(_("event type"), max_length=20, choices=EventType.choices)
    start = models.DateTimeField(_("starts at"))
    end = models.DateTimeField(_("ends at"))
    all_day = models.BooleanField(_("all day"), default=False)
    location = models.CharField(
        _("location"), max_length=LOCATION_MAX_CHARS, blank=True, default=""
    )
    ward_number = models.CharField(_("ward number"), max_length=10, null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "calendar_events"
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        ordering = ["start", "id"]
        indexes = [
            # A month of the calendar, and the feed of upcoming events.
            models.Index(fields=["start"], name="idx_events_start"),
            models.Index(fields=["end"], name="idx_events_end"),
            # A ward's calendar (its events beside the city-wide ones, which have no ward).
            models.Index(fields=["ward_number", "start"], name="idx_events_ward_start"),
            models.Index(fields=["event_type", "start"], name="idx_events_type_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="events_end_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="events_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(event_type__in=EventType.values), name="events_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(ward_number__isnull=True) | ~Q(ward_number=""),
                name="events_ward_null_or_named",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventParticipant(models.Model):
    """One person who joined an event; a second join adds nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="participants",
        db_index=False,  # the unique (event, user) index answers "who joined this event?"
        verbose_name=_("event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_participations",
        verbose_name=_("participant"),
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    # When the day-before reminder was sent to this person (set once, by a conditional update).
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        db_table = "calendar_event_participants"
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="event_participants_unique"),
        ]
        indexes = [
            models.Index(
                fields=["event"],
                condition=Q(reminded_at__isnull=True),
                name="idx_event_participants_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} joined {self.event_id}"
