"""A filling station warns its ward's waste staff once per crossing of 80 %, and the super admins
too at 100 %; in-app and push, in each person's language, and on the staff live feed."""

from unittest import mock

import pytest
from django.test import TestCase

from apps.notifications.models import Notification
from apps.users.tests.factories import UserFactory, staff_with_rights
from apps.waste_management.station_services import station_reading_record

from .station_fixtures import *  # noqa: F403
from .station_fixtures import ago, station_make

pytestmark = pytest.mark.django_db


def weigh(station, load, *, by, at=None):
    """Record through the service, with the on-commit work run as after a real request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return station_reading_record(station=station, load_tons=load, at=at, actor=by)


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__phone", flat=True))


@pytest.fixture
def feed():
    with mock.patch("apps.waste_management.station_services.staff_feed_publish") as publish:
        yield publish


def test_80_percent_warns_the_wards_waste_staff_once_per_crossing(
    station, ward_admin, other_admin, super_admin, feed
):
    complaints_only = staff_with_rights("complaints", ["5"])
    weigh(station, "39.99", by=super_admin)  # 79.98 %
    assert told("sts.warning") == []
    weigh(station, "40", by=super_admin)  # 80 %
    assert told("sts.warning") == [ward_admin.phone]
    station.refresh_from_db()
    assert station.alert_level == 80
    weigh(station, "45", by=super_admin)  # still above: no second warning
    assert told("sts.warning") == [ward_admin.phone]
    weigh(station, "20", by=super_admin)  # back below: the next crossing warns again
    station.refresh_from_db()
    assert station.alert_level == 0
    weigh(station, "41", by=super_admin)
    assert told("sts.warning") == [ward_admin.phone, ward_admin.phone]
    assert other_admin.phone not in told("sts.warning")
    assert complaints_only.phone not in told("sts.warning")
    assert told("sts.full") == []
    assert feed.call_count == 2
    payload = feed.call_args.kwargs["payload"]
    assert feed.call_args.kwargs["resource"] == "waste"
    assert feed.call_args.kwargs["ward_number"] == "5"
    assert payload["type"] == "sts.alert"
    assert (payload["station_id"], payload["level"], str(payload["utilization_percent"])) == (
        station.pk,
        80,
        "82.00",
    )


def test_100_percent_reaches_the_super_admins_too(station, ward_admin, super_admin, feed):
    another_boss = UserFactory(user_type="super_admin")
    UserFactory(user_type="super_admin", is_active=False)
    weigh(station, "42", by=ward_admin)  # 84 %: the ward's staff only
    assert told("sts.warning") == [ward_admin.phone]
    weigh(station, "50", by=ward_admin)  # 100 %
    assert told("sts.full") == sorted([ward_admin.phone, super_admin.phone, another_boss.phone])
    weigh(station, "55", by=ward_admin)  # still full: nobody again
    assert len(told("sts.full")) == 3
    weigh(station, "45", by=ward_admin)  # 90 %: below full, still above 80: no warning
    assert told("sts.warning") == [ward_admin.phone]
    weigh(station, "51", by=ward_admin)  # full again after falling below
    assert len(told("sts.full")) == 6
    assert feed.call_count == 3


def test_a_jump_straight_to_full_warns_once_at_full(station, ward_admin, super_admin, feed):
    weigh(station, "60", by=super_admin)
    assert told("sts.warning") == []
    assert told("sts.full") == sorted([ward_admin.phone, super_admin.phone])
    assert feed.call_args.kwargs["payload"]["level"] == 100


def test_an_older_reading_warns_nobody(station, ward_admin, super_admin, feed):
    weigh(station, "10", by=super_admin, at=ago(minutes=5))
    weigh(station, "49", by=super_admin, at=ago(hours=2))  # late: not the current load
    assert told("sts.warning") == []
    station.refresh_from_db()
    assert station.alert_level == 0
    assert not feed.called


def test_the_warning_names_the_station_and_the_percent_in_the_readers_language(
    station, super_admin
):
    english = staff_with_rights("waste", ["5"])
    english.language = "en"
    english.save(update_fields=["language"])
    weigh(station, "42.5", by=super_admin)
    note = Notification.objects.get(user=english)
    assert note.title == "Transfer station Matuail STS is 85.00% full"
    assert note.body == (
        "Ward 5: Matuail STS holds 42.50 of its 50.00 tons. Please send vehicles to empty it."
    )
    assert note.data == {
        "station_id": str(station.pk),
        "ward_number": "5",
        "level": 80,
        "utilization_percent": "85.00",
    }


def test_bengali_readers_read_bengali(station, super_admin, ward_admin):
    assert ward_admin.language == "bn"
    weigh(station, "42.5", by=super_admin)
    note = Notification.objects.get(user=ward_admin)
    assert "Matuail STS" in note.title
    assert "85.00" in note.title
    assert "Transfer station" not in note.title


def test_a_capacity_raise_lowers_the_level_without_a_warning(
    station, ward_admin, super_admin, feed
):
    from apps.waste_management.station_services import station_update

    weigh(station, "45", by=super_admin)  # 90 %
    station_update(station=station, actor=super_admin, data={"capacity_tons": "100"})
    station.refresh_from_db()
    assert station.alert_level == 0
    weigh(station, "81", by=super_admin)  # 81 % of the new capacity: a new crossing
    assert told("sts.warning") == [ward_admin.phone, ward_admin.phone]


def test_warnings_are_per_station(ward_admin, super_admin, feed):
    first, second = station_make(name="A"), station_make(name="B")
    weigh(first, "45", by=super_admin)
    weigh(second, "45", by=super_admin)
    assert told("sts.warning") == [ward_admin.phone, ward_admin.phone]


def test_the_full_warning_says_so(station, super_admin):
    super_admin.language = "en"
    super_admin.save(update_fields=["language"])
    weigh(station, "50", by=super_admin)
    note = Notification.objects.get(user=super_admin, kind="sts.full")
    assert note.title == "Transfer station Matuail STS is full (100.00%)"
    assert note.body == (
        "Ward 5: Matuail STS holds 50.00 tons; its capacity is 50.00 tons. Waste may overflow; "
        "please send vehicles now."
    )
