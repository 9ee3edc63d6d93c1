"""The ward's iCalendar feed: RFC 5545 that the icalendar library reads back, one weekly event
per active schedule, on the right Dhaka weekdays for the next four weeks, with stable UIDs."""

from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from apps.waste_management.enums import weekday_from_python

from .conftest import schedule_in

pytestmark = pytest.mark.django_db

DHAKA = ZoneInfo("Asia/Dhaka")


def feed(api, ward="5", **headers):
    answer = api.get(f"/api/v1/waste/schedules/ward/{ward}/calendar.ics", **headers)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(answer.content)


def test_the_feed_repeats_each_schedule_on_its_dhaka_weekday_for_the_next_four_weeks(api):
    saturday = schedule_in("5", day_of_week=0, start_time=time(7), end_time=time(9))
    friday_night = schedule_in(
        "5", day_of_week=6, start_time=time(22), end_time=time(23, 30), waste_type="recyclable"
    )
    schedule_in("5", day_of_week=3, is_active=False)  # paused: not in the feed
    schedule_in("12", day_of_week=2)  # another ward
    calendar = feed(api, HTTP_ACCEPT_LANGUAGE="en")

    assert calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Dhaka"]
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        f"{saturday.pk}@waste.cleancare.gov.bd",
        f"{friday_night.pk}@waste.cleancare.gov.bd",
    }
    first = events[f"{saturday.pk}@waste.cleancare.gov.bd"]
    assert str(first["SUMMARY"]) == "Household waste"
    assert first["RRULE"]["FREQ"] == ["WEEKLY"]
    assert first["RRULE"]["BYDAY"] == ["SA"]
    assert first["DTSTART"].params["TZID"] == "Asia/Dhaka"

    today = datetime.now(DHAKA).date()
    start = datetime.combine(today, time(0), tzinfo=DHAKA)
    end = start + timedelta(weeks=4)
    occurrences = recurring_ical_events.of(calendar).between(start, end)
    by_uid: dict[str, list[datetime]] = {}
    for occurrence in occurrences:
        by_uid.setdefault(str(occurrence["UID"]), []).append(occurrence["DTSTART"].dt)
    for schedule in (saturday, friday_night):
        moments = sorted(by_uid[f"{schedule.pk}@waste.cleancare.gov.bd"])
        assert len(moments) == 4
        for moment in moments:
            local = moment.astimezone(DHAKA)
            assert weekday_from_python(local.weekday()) == schedule.day_of_week
            assert local.time() == schedule.start_time
        assert [b - a for a, b in pairwise(moments)] == [timedelta(weeks=1)] * 3
    friday = min(by_uid[f"{friday_night.pk}@waste.cleancare.gov.bd"]).astimezone(DHAKA)
    assert friday.strftime("%A") == "Friday"  # 22:00 in Dhaka is still Friday (16:00 UTC)


def test_uids_stay_the_same_and_titles_follow_the_readers_language(api):
    schedule = schedule_in("5", waste_type="bulky", notes="Bring it to the corner")
    first = feed(api)
    again = feed(api, HTTP_ACCEPT_LANGUAGE="en")
    asked = feed(api, HTTP_ACCEPT_LANGUAGE="bn", QUERY_STRING="lang=en")
    uid = f"{schedule.pk}@waste.cleancare.gov.bd"
    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [uid]
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [uid]
    assert str(first.walk("VEVENT")[0]["SUMMARY"]) == "বড় আকারের জিনিস"
    assert str(again.walk("VEVENT")[0]["SUMMARY"]) == "Bulky items"
    assert str(asked.walk("VEVENT")[0]["SUMMARY"]) == "Bulky items"
    assert "Bring it to the corner" in str(again.walk("VEVENT")[0]["DESCRIPTION"])


def test_an_empty_ward_has_an_empty_calendar_and_an_unknown_ward_none(api):
    assert feed(api, "12").walk("VEVENT") == []
    missing = api.get("/api/v1/waste/schedules/ward/9999/calendar.ics", HTTP_ACCEPT="text/calendar")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_the_first_occurrence_is_on_or_after_the_day_the_schedule_was_made(api):
    schedule = schedule_in("5", day_of_week=weekday_from_python(date.today().weekday()))
    event = feed(api).walk("VEVENT")[0]
    made = schedule.created_at.astimezone(DHAKA).date()
    assert made <= event["DTSTART"].dt.date() < made + timedelta(days=7)
