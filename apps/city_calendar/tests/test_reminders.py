"""The day-before reminder: participants of tomorrow's events (Asia/Dhaka) are told once, in
their language, in-app and by push; the beat job is declared and safe to run again."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import TestCase

from apps.city_calendar import tasks
from apps.city_calendar.enums import CITY_TZ
from apps.city_calendar.models import EventParticipant
from apps.notifications.models import Notification
from apps.notifications.tests.factories import DeviceTokenFactory
from apps.users.tests.factories import UserFactory

from .conftest import frozen
from .factories import EventFactory, EventParticipantFactory

pytestmark = pytest.mark.django_db

# Friday 21 March 2030, 10:00 in Dhaka (04:00 UTC): tomorrow is Saturday the 22nd.
NOW = datetime(2030, 3, 21, 10, 0, tzinfo=CITY_TZ)


def sweep(now=NOW) -> int:
    with frozen(now), TestCase.captureOnCommitCallbacks(execute=True):
        return tasks.events_remind_sweep()


@pytest.fixture
def drive():
    start = datetime(2030, 3, 22, 8, 0, tzinfo=CITY_TZ)
    return EventFactory(
        title="খাল পরিষ্কার",
        title_en="Canal cleanup",
        location="মিরপুর খাল",
        start=start,
        end=start + timedelta(hours=3),
    )


def test_the_beat_job_is_declared():
    jobs = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "apps.city_calendar.tasks.events_remind_sweep" in jobs


def test_participants_are_told_once_in_their_language(drive):
    bengali = UserFactory(language="bn")
    english = UserFactory(language="en")
    DeviceTokenFactory(user=english)
    outsider = UserFactory()
    for user in (bengali, english):
        EventParticipantFactory(event=drive, user=user)

    assert sweep() == 2
    assert sweep() == 0  # the next sweep, or a retry: nobody twice
    assert sweep(NOW + timedelta(hours=5)) == 0

    told = Notification.objects.get(user=english)
    assert told.kind == "calendar.reminder"
    assert told.title == "Tomorrow: Canal cleanup"
    assert told.body == "Canal cleanup starts tomorrow at 08:00. মিরপুর খাল"
    assert (told.in_app, told.push_status, told.sms_status) == (True, "sent", "skipped")
    assert told.data == {"event_id": str(drive.pk), "event_type": "cleanup"}
    bengali_note = Notification.objects.get(user=bengali)
    assert bengali_note.title == "আগামীকাল: খাল পরিষ্কার"
    assert bengali_note.push_status == "skipped"  # no phone registered for pushes
    assert not Notification.objects.filter(user=outsider).exists()
    assert Notification.objects.count() == 2
    assert not EventParticipant.objects.filter(reminded_at__isnull=True).exists()


def test_someone_joining_later_that_day_is_told_by_the_next_sweep(drive):
    first = EventParticipantFactory(event=drive).user
    assert sweep() == 1
    late = EventParticipantFactory(event=drive).user
    assert sweep(NOW + timedelta(minutes=15)) == 1
    assert Notification.objects.filter(user=first).count() == 1
    assert Notification.objects.filter(user=late).count() == 1


def test_a_lost_mark_tells_nobody_twice(drive):
    """A sweep that sent but whose mark was lost (the worker died) is repeated harmlessly."""
    participant = EventParticipantFactory(event=drive)
    assert sweep() == 1
    EventParticipant.objects.filter(pk=participant.pk).update(reminded_at=None)
    sweep()
    assert Notification.objects.filter(user=participant.user).count() == 1


def test_not_before_nine_nor_for_other_days(drive):
    EventParticipantFactory(event=drive)
    later = EventFactory(start=drive.start + timedelta(days=1), end=drive.end + timedelta(days=1))
    EventParticipantFactory(event=later)
    assert sweep(NOW.replace(hour=8, minute=59)) == 0  # the day before, but too early
    assert sweep(NOW - timedelta(days=1)) == 0  # two days before
    # On the 22nd `later` (the 23rd) is due, and the drive is today: too late for it.
    assert sweep(NOW + timedelta(days=1)) == 1
    assert Notification.objects.count() == 1


def test_an_all_day_event_says_so():
    start = datetime(2030, 3, 22, tzinfo=CITY_TZ)
    holiday = EventFactory(
        title_en="Holiday",
        all_day=True,
        event_type="holiday",
        ward_number=None,
        start=start,
        end=start.replace(hour=23, minute=59, second=59),
    )
    EventParticipantFactory(event=holiday, user=UserFactory(language="en"))
    assert sweep() == 1
    assert Notification.objects.get().body == "Holiday is tomorrow, all day. "
