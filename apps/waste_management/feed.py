"""The iCalendar (RFC 5545) feed of a ward's collections: one weekly-recurring VEVENT per active
schedule, in Asia/Dhaka time with its VTIMEZONE, so phones show "bin days" in local time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

from .enums import WasteType, weekday_to_python
from .models import CollectionSchedule

UID_DOMAIN = "waste.cleancare.gov.bd"  # the "@domain" half of every event's UID (RFC 5545 3.8.4.7)
PRODID = "-//Clean Care Bangladesh//Waste collection//EN"
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # by Python's weekday()


def _first_day(schedule: CollectionSchedule, tz: ZoneInfo) -> date:
    """The first collection day on or after the day the schedule was made (a fixed anchor, so
    the feed reads the same on every fetch)."""
    made = schedule.created_at.astimezone(tz).date()
    return made + timedelta(days=(weekday_to_python(schedule.day_of_week) - made.weekday()) % 7)


def uid_of(schedule: CollectionSchedule) -> str:
    return f"{schedule.pk}@{UID_DOMAIN}"


def ward_calendar(*, ward_number: str, schedules: Iterable[CollectionSchedule]) -> bytes:
    """The feed's bytes; texts in the active language (the reader's)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _("Waste collection, ward %(ward)s") % {"ward": ward_number}
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for schedule in schedules:
        first = _first_day(schedule, tz)
        event = icalendar.Event()
        event.add("uid", uid_of(schedule))
        event.add("dtstamp", schedule.updated_at.astimezone(UTC))
        event.add("last-modified", schedule.updated_at.astimezone(UTC))
        event.add("summary", str(WasteType(schedule.waste_type).label))
        event.add("dtstart", datetime.combine(first, schedule.start_time, tzinfo=tz))
        event.add("dtend", datetime.combine(first, schedule.end_time, tzinfo=tz))
        event.add("rrule", {"freq": "weekly", "byday": BYDAY[first.weekday()]})
        event.add("location", _("Ward %(ward)s") % {"ward": schedule.ward_number})
        details = [schedule.notes]
        if schedule.vehicle:
            details.append(_("Vehicle: %(vehicle)s") % {"vehicle": schedule.vehicle})
        description = "\n".join(part for part in details if part)
        if description:
            event.add("description", description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
