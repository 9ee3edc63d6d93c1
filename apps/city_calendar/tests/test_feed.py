"""The iCalendar feed: parses with `icalendar`, all-day events as DATEs, timed ones in Dhaka."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from apps.city_calendar.enums import CITY_TZ
from apps.city_calendar.feed import event_uid

from .conftest import ROLES
from .factories import EventFactory

pytestmark = pytest.mark.django_db

FEED = "/api/v1/calendar/events/calendar.ics"


def parsed(response) -> Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def by_summary(calendar: Calendar) -> dict:
    return {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}


def test_all_day_and_timed_events_are_right_in_asia_dhaka(api):
    year = timezone.localdate().year + 1
    holiday_start = datetime(year, 12, 16, tzinfo=CITY_TZ)
    holiday = EventFactory(
        title="বিজয় দিবস",
        event_type="holiday",
        ward_number=None,
        all_day=True,
        start=holiday_start,
        end=holiday_start.replace(hour=23, minute=59, second=59),
    )
    # 07:00 in Dhaka is 01:00 UTC: the same day either way, but the hour must say 07.
    drive_start = datetime(year, 3, 1, 7, 0, tzinfo=CITY_TZ)
    drive = EventFactory(title="পরিচ্ছন্নতা", start=drive_start, end=drive_start + timedelta(hours=3))
    calendar = parsed(api.get(FEED))
    assert calendar.get("X-WR-TIMEZONE") == "Asia/Dhaka"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Dhaka"]
    events = by_summary(calendar)

    day = events["বিজয় দিবস"]
    assert day.decoded("DTSTART") == date(year, 12, 16)
    assert not isinstance(day.decoded("DTSTART"), datetime)
    assert day.decoded("DTEND") == date(year, 12, 17)  # exclusive: one whole day
    assert str(day["UID"]) == event_uid(holiday)

    timed = events["পরিচ্ছন্নতা"]
    start = timed.decoded("DTSTART")
    assert timed["DTSTART"].params["TZID"] == "Asia/Dhaka"
    assert (start.hour, start.minute, start.utcoffset()) == (7, 0, timedelta(hours=6))
    assert start == drive.start
    assert timed.decoded("DTEND") == drive.end
    assert str(timed["UID"]) == event_uid(drive)


@pytest.mark.parametrize("who", ROLES)
def test_everyone_reads_the_feed(api, api_as, people, who):
    EventFactory(title="ward5")
    EventFactory(title="city", ward_number=None)
    client = api if people[who] is None else api_as(people[who])
    assert set(by_summary(parsed(client.get(FEED)))) == {"ward5", "city"}


def test_uids_are_stable_across_edits(api):
    event = EventFactory(title="সভা")
    first = str(by_summary(parsed(api.get(FEED)))["সভা"]["UID"])
    event.location = "নগর ভবন"
    event.save()
    again = by_summary(parsed(api.get(FEED)))["সভা"]
    assert str(again["UID"]) == first
    assert str(again["LOCATION"]) == "নগর ভবন"


def test_only_upcoming_events_and_the_ward_filter(api):
    now = timezone.now()
    EventFactory(title="past", start=now - timedelta(days=3), end=now - timedelta(days=2))
    EventFactory(title="ward5")
    EventFactory(title="ward12", ward_number="12")
    EventFactory(title="city", ward_number=None)
    assert set(by_summary(parsed(api.get(FEED)))) == {"ward5", "ward12", "city"}
    assert set(by_summary(parsed(api.get(FEED, {"ward_number": "5"})))) == {"ward5", "city"}


def test_an_unknown_ward_is_400(api):
    response = api.get(FEED, {"ward_number": "999"})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_a_calendar_app_asking_for_text_calendar_gets_it(api):
    EventFactory(title="সভা")
    assert "সভা" in by_summary(parsed(api.get(FEED, HTTP_ACCEPT="text/calendar")))


@pytest.mark.parametrize("ask", [{"format": "ics"}, {"HTTP_ACCEPT": "text/calendar"}])
def test_a_bad_ward_asked_for_as_a_calendar_is_still_a_clear_400(api, ask):
    query = {"ward_number": "å\t"}
    headers = {key: value for key, value in ask.items() if key.startswith("HTTP_")}
    params = {key: value for key, value in ask.items() if not key.startswith("HTTP_")}
    response = api.get(FEED, {**query, **params}, **headers)
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["code"] == "validation_error"
    assert "ward_number" in body["details"]


def test_an_unknown_format_asked_for_still_gets_the_feed(api):
    EventFactory(title="সভা")
    response = api.get(FEED, {"format": "D\U000f6921(f"})
    assert response.status_code == 200
    assert "সভা" in by_summary(parsed(response))
