"""Calendar editor: every URL × role, a month in Dhaka time with participant counts, adding and
editing through the calendar services (their refusals on the form, nothing stored), removing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.city_calendar.models import Event
from apps.city_calendar.tests.factories import EventFactory, EventParticipantFactory
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import AdminPermissionFactory

DHAKA = ZoneInfo("Asia/Dhaka")
ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]
CALENDAR_RIGHTS = {
    "permission_type": "calendar",
    "resource_type": "event",
    "can_create": True,
    "can_read": True,
    "can_update": True,
    "can_delete": True,
}
START = datetime(2030, 3, 22, 8, 0, tzinfo=DHAKA)


@pytest.fixture
def planners(cast):
    """The cast with calendar rights: the ward admin for wards 5 and 6, the other for 9."""
    AdminPermissionFactory(admin=cast.ward_admin, ward_numbers=["5", "6"], **CALENDAR_RIGHTS)
    AdminPermissionFactory(admin=cast.other_admin, ward_numbers=["9"], **CALENDAR_RIGHTS)
    return cast


@pytest.fixture
def drive(planners):
    return EventFactory(
        title="Canal cleanup", start=START, end=START + timedelta(hours=3), capacity=40
    )


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def form(**changes):
    data = {
        "title": "মশক নিধন",
        "title_en": "Mosquito spraying",
        "event_type": "cleanup",
        "start": "2030-03-23T07:00",
        "end": "2030-03-23T09:30",
        "location": "Road 4",
        "ward_number": "5",
        "capacity": "25",
        "description": "",
    }
    return {**data, **changes}


def urls(event):
    return {
        "list": ("get", "/console/calendar/", {}),
        "new": ("get", "/console/calendar/new/", {}),
        "create": ("post", "/console/calendar/new/", form()),
        "edit": ("get", f"/console/calendar/{event.pk}/edit/", {}),
        "save": ("post", f"/console/calendar/{event.pk}/edit/", form(title="Changed")),
        "delete": ("post", f"/console/calendar/{event.pk}/delete/", {}),
    }


# anonymous: to the sign-in page; citizen, provider: refused (no calendar rights); the other
# ward's admin opens the editor but may not change ward 5's event (403 on its form; its removal
# is refused with a message), and ward 5 is not among the wards their form offers.
ALLOWED = {"list": 200, "new": 200, "create": 302, "edit": 200, "save": 302, "delete": 302}
EXPECTED = {
    "anonymous": dict.fromkeys(ALLOWED, 302),
    "citizen": dict.fromkeys(ALLOWED, 403),
    "provider": dict.fromkeys(ALLOWED, 403),
    "ward_admin": ALLOWED,
    "other_admin": {**ALLOWED, "create": 200, "edit": 403, "save": 403},
    "super_admin": ALLOWED,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_permission_matrix(planners, drive, console_as, role, name):
    method, url, data = urls(drive)[name]
    before = list(Event.objects.values().order_by("pk"))

    response = getattr(console_as(person(planners, role)), method)(url, data)

    assert response.status_code == EXPECTED[role][name]
    if role == "anonymous":
        assert response["Location"].startswith("/console/login/?next=")
    changed = list(Event.objects.values().order_by("pk")) != before
    writes = role in ("ward_admin", "super_admin") and name in ("create", "save", "delete")
    assert changed is writes, (role, name)


def test_the_bar_links_the_calendar_only_to_those_with_rights(planners, console_as):
    for role, shown in (("provider", False), ("ward_admin", True), ("super_admin", True)):
        page = console_as(getattr(planners, role)).get("/console/").content.decode()
        assert ('href="/console/calendar/"' in page) is shown, role


def test_a_month_in_dhaka_time_with_participant_counts(planners, drive, console_as):
    for _ in range(3):
        EventParticipantFactory(event=drive)
    # 1 April 01:00 in Dhaka is still 31 March in UTC: an April event.
    april = datetime(2030, 4, 1, 1, 0, tzinfo=DHAKA)
    EventFactory(title="April dawn", start=april, end=april + timedelta(hours=1))
    EventFactory(title="Far ward", ward_number="9", start=START, end=START + timedelta(hours=1))

    page = console_as(planners.ward_admin).get("/console/calendar/", {"month": "2030-03"})

    assert sorted(e.title for e in page.context["events"]) == ["Canal cleanup", "Far ward"]
    html = page.content.decode()
    assert "22 Mar 2030, 08:00 – 11:00" in html
    assert '<td data-label="Participants" class="participants">3 / 40</td>' in html
    assert f'href="/console/calendar/{drive.pk}/edit/"' in html
    far = Event.objects.get(title="Far ward")
    assert f'href="/console/calendar/{far.pk}/edit/"' not in html  # shown, not editable
    april_page = console_as(planners.ward_admin).get("/console/calendar/", {"month": "2030-04"})
    assert [e.title for e in april_page.context["events"]] == ["April dawn"]
    only_9 = console_as(planners.other_admin).get(
        "/console/calendar/", {"month": "2030-03", "ward": "9"}
    )
    assert [e.title for e in only_9.context["events"]] == ["Far ward"]


def test_a_ward_admin_adds_an_event_in_dhaka_time(planners, console_as):
    response = console_as(planners.ward_admin).post("/console/calendar/new/", form())

    assert response.status_code == 302
    assert response["Location"] == "/console/calendar/?month=2030-03"
    event = Event.objects.get()
    assert (event.title, event.ward_number, event.capacity) == ("মশক নিধন", "5", 25)
    assert event.start == datetime(2030, 3, 23, 7, 0, tzinfo=DHAKA)
    assert event.created_by == planners.ward_admin
    assert ActivityLog.objects.filter(action=ActivityAction.EVENT_CREATED).count() == 1

    html = console_as(planners.ward_admin).get(f"/console/calendar/{event.pk}/edit/")
    assert 'value="2030-03-23T07:00"' in html.content.decode()


def test_the_form_offers_only_the_wards_one_may_add_to(planners, console_as):
    mine = console_as(planners.ward_admin).get("/console/calendar/new/").context["form"]
    assert [n for n, _label in mine.fields["ward_number"].choices] == ["5", "6"]
    everything = console_as(planners.super_admin).get("/console/calendar/new/").context["form"]
    assert everything.fields["ward_number"].choices[0][0] == ""  # the whole city first


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": "2030-03-23T06:00"}, "end"),
        ({"capacity": "0"}, "capacity"),
        ({"ward_number": "9"}, "ward_number"),
        ({"event_type": "party"}, "event_type"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_shows_on_the_form_and_stores_nothing(planners, console_as, changes, field):
    response = console_as(planners.ward_admin).post("/console/calendar/new/", form(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


def test_end_before_start_says_so(planners, console_as):
    response = console_as(planners.ward_admin).post(
        "/console/calendar/new/", form(end="2030-03-23T06:00")
    )
    assert response.context["form"].errors["end"] == ["An event cannot end before it starts."]


def test_editing_changes_only_what_was_changed(planners, drive, console_as):
    EventParticipantFactory(event=drive)
    page = console_as(planners.ward_admin).get(f"/console/calendar/{drive.pk}/edit/")
    assert page.context["form"].initial["ward_number"] == "5"
    data = {
        **{k: ("" if v is None else v) for k, v in page.context["form"].initial.items()},
        "start": "2030-03-22T08:00",
        "end": "2030-03-22T11:00",
        "all_day": "",
        "capacity": "60",
    }
    response = console_as(planners.ward_admin).post(f"/console/calendar/{drive.pk}/edit/", data)
    assert response.status_code == 302
    drive.refresh_from_db()
    assert (drive.capacity, drive.start) == (60, START)
    log = ActivityLog.objects.get(action=ActivityAction.EVENT_UPDATED)
    assert log.details["fields"] == ["capacity"]


def test_removing_an_event(planners, drive, console_as):
    EventParticipantFactory(event=drive)
    response = console_as(planners.ward_admin).post(f"/console/calendar/{drive.pk}/delete/")
    assert response.status_code == 302
    assert not Event.objects.exists()
    assert ActivityLog.objects.filter(action=ActivityAction.EVENT_DELETED).count() == 1
    refused = console_as(planners.other_admin)
    far = EventFactory(ward_number="5")
    refused.post(f"/console/calendar/{far.pk}/delete/")
    assert Event.objects.filter(pk=far.pk).exists()


def test_a_bad_month_says_so_and_shows_this_month(planners, console_as):
    page = console_as(planners.ward_admin).get("/console/calendar/", {"month": "2030-13"})
    assert page.status_code == 200
    assert "Give the month as YYYY-MM" in page.content.decode()
