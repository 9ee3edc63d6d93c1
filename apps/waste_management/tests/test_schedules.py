"""Collection schedules: public reads, ward-scoped staff writes (audited), bad input refused with
nothing stored, and the ward's citizens told of each change once, in their language."""

from datetime import time

import pytest

from apps.notifications.models import Notification
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import UserFactory
from apps.waste_management.models import CollectionSchedule

from .conftest import ROLES, schedule_in, waste_admin

pytestmark = pytest.mark.django_db

URL = "/api/v1/waste/schedules/"
BODY = {"ward_number": "5", "day_of_week": 0, "start_time": "07:00", "end_time": "09:00",
        "waste_type": "household", "vehicle": "Truck 7", "notes": "Bins at the gate"}  # fmt: skip


def told(kind=None):
    rows = Notification.objects.all()
    return rows.filter(kind=kind) if kind else rows


def test_anyone_reads_the_active_schedules_with_filters(api):
    saturday = schedule_in("5", day_of_week=0)
    schedule_in("5", day_of_week=3, waste_type="recyclable")
    schedule_in("12", day_of_week=0)
    paused = schedule_in("5", day_of_week=6, is_active=False)
    listed = api.get(URL).json()
    assert listed["count"] == 3
    assert str(paused.pk) not in [row["id"] for row in listed["results"]]
    ward5 = api.get(URL, {"ward_number": "০৫", "day_of_week": 0}).json()
    assert [row["id"] for row in ward5["results"]] == [str(saturday.pk)]
    recycled = api.get(URL, {"waste_type": "recyclable"}).json()
    assert recycled["count"] == 1
    assert recycled["results"][0]["day_of_week"] == 3
    assert api.get(URL, {"day_of_week": 7}).status_code == 400
    assert api.get(URL, {"waste_type": "gold"}).status_code == 400
    english = api.get(f"{URL}{saturday.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["day_of_week_display"] == "Saturday"
    assert english["waste_type_display"] == "Household waste"
    assert english["start_time"] == "07:00:00"
    assert api.get(f"{URL}{paused.pk}/").status_code == 404


def test_a_wards_schedules_in_week_order_and_unknown_wards(api):
    friday = schedule_in("5", day_of_week=6)
    saturday = schedule_in("5", day_of_week=0, start_time=time(18), end_time=time(19))
    early = schedule_in("5", day_of_week=0)
    schedule_in("5", day_of_week=1, is_active=False)
    schedule_in("12")
    answer = api.get(f"{URL}ward/5/")
    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()] == [str(early.pk), str(saturday.pk), str(friday.pk)]
    assert api.get(f"{URL}ward/12/").status_code == 200
    assert api.get(f"{URL}ward/9999/").status_code == 404
    assert api.get(f"{URL}ward/no-such-ward/").status_code == 404


@pytest.mark.parametrize("ward", ["%00", "5%00", "5.0"])
def test_a_ward_that_is_not_digits_is_not_found_and_never_reaches_the_database(api, ward):
    """A NUL byte in the path once reached the ward query: PostgreSQL refused it with a 500."""
    for url in (f"{URL}ward/{ward}/", f"{URL}ward/{ward}/calendar.ics"):
        answer = api.get(url)
        assert answer.status_code == 404, url
        assert answer.json()["code"] == "not_found"


def test_staff_see_the_paused_schedules_of_their_wards(api_as, ward_admin, other_admin):
    paused = schedule_in("5", is_active=False)
    assert api_as(ward_admin).get(f"{URL}{paused.pk}/").status_code == 200
    assert api_as(ward_admin).get(URL).json()["count"] == 1
    assert api_as(other_admin).get(f"{URL}{paused.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("citizen", 403),
        ("other_citizen", 403),
        ("ward_admin", 201),
        ("other_admin", 403),
        ("provider", 403),
        ("super_admin", 201),
    ],
)
def test_who_may_add_a_schedule(client_of, role, expected):
    answer = client_of(role).post(URL, BODY, format="json")
    assert answer.status_code == expected, answer.content
    assert CollectionSchedule.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_and_remove_a_schedule(client_of, role):
    schedule = schedule_in("5")
    allowed = role in ("ward_admin", "super_admin")
    expected_write = {"anonymous": 401}.get(role, 200 if allowed else 403)
    changed = client_of(role).patch(f"{URL}{schedule.pk}/", {"day_of_week": 2}, format="json")
    assert changed.status_code == expected_write, changed.content
    schedule.refresh_from_db()
    assert schedule.day_of_week == (2 if allowed else 0)
    removed = client_of(role).delete(f"{URL}{schedule.pk}/")
    assert removed.status_code == (204 if allowed else expected_write)
    assert CollectionSchedule.objects.filter(pk=schedule.pk).exists() is not allowed
    assert client_of(role).get(f"{URL}ward/5/").status_code == 200


def test_rights_follow_the_flags_of_the_row(api_as):
    reader = waste_admin(["5"], can_create=False, can_update=False, can_delete=False)
    schedule = schedule_in("5")
    client = api_as(reader)
    assert client.post(URL, BODY, format="json").status_code == 403
    assert client.patch(f"{URL}{schedule.pk}/", {"notes": "x"}, format="json").status_code == 403
    assert client.delete(f"{URL}{schedule.pk}/").status_code == 403
    updater = waste_admin(["5"], can_create=False, can_delete=False)
    answer = api_as(updater).patch(f"{URL}{schedule.pk}/", {"notes": "x"}, format="json")
    assert answer.status_code == 200
    assert api_as(updater).delete(f"{URL}{schedule.pk}/").status_code == 403


def test_moving_a_schedule_to_another_ward_needs_rights_there_too(api_as, ward_admin):
    schedule = schedule_in("5")
    answer = api_as(ward_admin).patch(f"{URL}{schedule.pk}/", {"ward_number": "12"}, format="json")
    assert answer.status_code == 403
    schedule.refresh_from_db()
    assert schedule.ward_number == "5"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_time": "06:00"}, "end_time"),
        ({"end_time": "07:00"}, "end_time"),
        ({"day_of_week": 7}, "day_of_week"),
        ({"day_of_week": -1}, "day_of_week"),
        ({"ward_number": "9999"}, "ward_number"),
        ({"ward_number": ""}, "ward_number"),
        ({"waste_type": "gold"}, "waste_type"),
        ({"start_time": "25:00"}, "start_time"),
        ({"notes": "x" * 501}, "notes"),
        ({"is_active": "maybe"}, "is_active"),
    ],
)
def test_bad_schedules_are_refused_with_nothing_stored(api_as, super_admin, change, field):
    answer = api_as(super_admin).post(URL, {**BODY, **change}, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == "validation_error"
    assert field in answer.json()["details"]
    assert CollectionSchedule.objects.count() == 0
    assert ActivityLog.objects.filter(action=ActivityAction.WASTE_SCHEDULE_CREATED).count() == 0


def test_a_bad_edit_changes_nothing(api_as, ward_admin):
    schedule = schedule_in("5")
    before = CollectionSchedule.objects.values().get(pk=schedule.pk)
    for change in ({"end_time": "06:00"}, {"day_of_week": 7}, {"ward_number": "9999"}):
        answer = api_as(ward_admin).patch(f"{URL}{schedule.pk}/", change, format="json")
        assert answer.status_code == 400, answer.content
    put = api_as(ward_admin).put(f"{URL}{schedule.pk}/", {"day_of_week": 1}, format="json")
    assert put.status_code == 400  # a replacement names every required field
    assert CollectionSchedule.objects.values().get(pk=schedule.pk) == before
    assert told().count() == 0


def test_every_write_is_audited(api_as, ward_admin):
    client = api_as(ward_admin)
    created = client.post(URL, BODY, format="json").json()
    client.put(f"{URL}{created['id']}/", {**BODY, "start_time": "08:00", "end_time": "10:00"},
               format="json")  # fmt: skip
    client.delete(f"{URL}{created['id']}/")
    actions = list(
        ActivityLog.objects.filter(resource_id=created["id"])
        .order_by("created_at")
        .values_list("action", "user")
    )
    assert actions == [
        (ActivityAction.WASTE_SCHEDULE_CREATED, ward_admin.pk),
        (ActivityAction.WASTE_SCHEDULE_UPDATED, ward_admin.pk),
        (ActivityAction.WASTE_SCHEDULE_DELETED, ward_admin.pk),
    ]


def test_the_wards_citizens_hear_of_each_change_once_in_their_language(api_as, ward_admin):
    bengali = UserFactory(ward_number="5", language="bn")
    english = UserFactory(ward_number="5", language="en")
    UserFactory(ward_number="12")  # another ward: not told
    UserFactory(ward_number="5", user_type="service_provider")  # not a citizen: not told
    client = api_as(ward_admin)
    created = client.post(URL, BODY, format="json").json()
    assert set(told("waste.schedule_created").values_list("user", flat=True)) == {
        bengali.pk,
        english.pk,
    }
    note = told("waste.schedule_created").get(user=english)
    assert note.title == "New waste collection in ward 5"
    assert note.body == "Household waste will be collected every Saturday, 07:00–09:00."
    bangla = told("waste.schedule_created").get(user=bengali)
    assert "শনিবার" in bangla.body

    client.patch(f"{URL}{created['id']}/", {"day_of_week": 1}, format="json")
    client.patch(f"{URL}{created['id']}/", {"day_of_week": 1}, format="json")  # no change
    changed = told("waste.schedule_updated").filter(user=english)
    assert [n.body for n in changed] == [
        "Household waste is now collected every Sunday, 07:00–09:00."
    ]
    client.delete(f"{URL}{created['id']}/")
    assert told("waste.schedule_removed").filter(user=english).get().body == (
        "Household waste is no longer collected on Sunday, 07:00–09:00."
    )
    assert told().count() == 6


def test_a_retried_announcement_tells_nobody_twice(ward_admin):
    from apps.waste_management import services

    citizen = UserFactory(ward_number="5")
    args = {"ward_number": "5", "change_id": "c1", "change": "created",
            "schedule": {"waste_type": "bulky", "day_of_week": 6, "start": "10:00",
                         "end": "12:00"}}  # fmt: skip
    services.schedule_change_notify(**args, user_ids=[str(citizen.pk)])
    services.schedule_change_notify(**args, user_ids=[str(citizen.pk)])
    assert told().count() == 1
