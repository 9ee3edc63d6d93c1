"""The calendar's iCalendar feed (RFC 5545) through the `icalendar` library: timed events in
Asia/Dhaka with the zone's VTIMEZONE, all-day events as DATE values, one stable UID per event."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta

from icalendar import Calendar
from icalendar import Event as IcsEvent
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

from .enums import CITY_TZ
from .models import Event

PRODID = "-//Clean Care Bangladesh//City calendar//BN"
UID_DOMAIN = "calendar.cleancare.gov.bd"


def event_uid(event: Event) -> str:
    """The same for an event forever, so calendar apps update it instead of adding a copy."""
    return f"event-{event.pk}@{UID_DOMAIN}"


def calendar_ics(events: Iterable[Event], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(CITY_TZ))
    for event in events:
        calendar.add_component(_component(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _component(event: Event) -> IcsEvent:
    item = IcsEvent()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    item.add("summary", event.title)
    start, end = event.start.astimezone(CITY_TZ), event.end.astimezone(CITY_TZ)
    if event.all_day:
        # DATE values; DTEND is the day after the last one (RFC 5545: exclusive).
        item.add("dtstart", start.date())
        item.add("dtend", end.date() + timedelta(days=1))
        item.add("transp", "TRANSPARENT")
    else:
        item.add("dtstart", start)
        item.add("dtend", end)
    description = "\n\n".join(text for text in (event.title_en, event.description) if text)
    if description:
        item.add("description", description)
    if event.location:
        item.add("location", event.location)
    item.add("categories", [event.event_type])
    return item


class ICalendarRenderer(BaseRenderer):
    """text/calendar: the view hands over the finished bytes; an error body stays JSON text."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # DRF's encoder: an error's messages may be lazy translations.
        return json.dumps(data, cls=JSONEncoder, ensure_ascii=False).encode()
