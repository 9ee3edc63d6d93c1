"""`seed_demo` enters this year's fixed-date government holidays once, city-wide, all day."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.city_calendar.demo import demo_events_load
from apps.city_calendar.enums import CITY_TZ
from apps.city_calendar.models import Event
from apps.users.models import ActivityAction, ActivityLog

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_fixed_holidays_of_this_year_are_entered_once():
    output = seed()
    again = seed()
    year = timezone.now().astimezone(CITY_TZ).year
    holidays = Event.objects.order_by("start")
    assert [event.start.astimezone(CITY_TZ).date() for event in holidays] == [
        date(year, 2, 21),
        date(year, 3, 26),
        date(year, 4, 14),
        date(year, 5, 1),
        date(year, 12, 16),
        date(year, 12, 25),
    ]
    assert date(year, 8, 15) not in [e.start.astimezone(CITY_TZ).date() for e in holidays]
    for event in holidays:
        local_start, local_end = event.start.astimezone(CITY_TZ), event.end.astimezone(CITY_TZ)
        assert (event.event_type, event.all_day, event.ward_number) == ("holiday", True, None)
        assert (local_start.hour, local_start.minute) == (0, 0)
        assert local_end.date() == local_start.date()
        assert event.title
        assert event.title_en
        assert event.created_by.phone == "+8801700000001"
    assert Event.objects.get(title_en="Victory Day").title == "বিজয় দিবস"
    assert "Government holidays entered: 6" in output
    assert "Government holidays" not in again
    assert ActivityLog.objects.filter(action=ActivityAction.EVENT_CREATED).count() == 6


def test_nothing_without_the_demo_super_admin():
    assert demo_events_load() == []
    assert not Event.objects.exists()
