"""Waste screens: every URL × role, schedules kept through the schedule services (refusals on
the form, nothing stored), the special collections queue planned through the API's service."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from apps.notifications.models import Notification
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import AdminPermissionFactory, UserFactory
from apps.waste_management.models import CollectionSchedule, SpecialCollectionRequest

ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]
WASTE_RIGHTS = {"permission_type": "waste", "resource_type": "waste", "can_create": True,
                "can_read": True, "can_update": True, "can_delete": True}  # fmt: skip


@pytest.fixture
def crew(cast):
    """The cast with waste rights: the ward admin for wards 5 and 6, the other for 9."""
    AdminPermissionFactory(admin=cast.ward_admin, ward_numbers=["5", "6"], **WASTE_RIGHTS)
    AdminPermissionFactory(admin=cast.other_admin, ward_numbers=["9"], **WASTE_RIGHTS)
    return cast


@pytest.fixture
def schedule(crew):
    return CollectionSchedule.objects.create(
        ward_number="5", day_of_week=0, start_time=time(7), end_time=time(9),
        waste_type="household", vehicle="Truck five",
    )  # fmt: skip


@pytest.fixture
def special(crew):
    return SpecialCollectionRequest.objects.create(
        citizen=crew.citizen, ward_number="5", waste_type="bulky", description="An old sofa",
        address="House 12, Road 4", preferred_date=timezone.localdate() + timedelta(days=2),
    )  # fmt: skip


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def schedule_form(**changes):
    data = {"ward_number": "5", "day_of_week": "2", "start_time": "18:00", "end_time": "20:00",
            "waste_type": "recyclable", "vehicle": "", "notes": "", "is_active": "on"}  # fmt: skip
    return {**data, **changes}


def plan(**changes):
    date = (timezone.localdate() + timedelta(days=3)).isoformat()
    return {"status": "scheduled", "scheduled_date": date, "comment": "Before ten", **changes}


def urls(schedule, special):
    return {
        "list": ("get", "/console/waste/schedules/", {}),
        "new": ("get", "/console/waste/schedules/new/", {}),
        "create": ("post", "/console/waste/schedules/new/", schedule_form()),
        "edit": ("get", f"/console/waste/schedules/{schedule.pk}/edit/", {}),
        "save": ("post", f"/console/waste/schedules/{schedule.pk}/edit/",
                 schedule_form(day_of_week="3")),
        "remove": ("post", f"/console/waste/schedules/{schedule.pk}/remove/", {}),
        "queue": ("get", "/console/waste/special/", {}),
        "request": ("get", f"/console/waste/special/{special.pk}/", {}),
        "plan": ("post", f"/console/waste/special/{special.pk}/", plan()),
    }  # fmt: skip


ALLOWED = {"list": 200, "new": 200, "create": 302, "edit": 200, "save": 302, "remove": 302,
           "queue": 200, "request": 200, "plan": 302}  # fmt: skip
EXPECTED = {
    "anonymous": dict.fromkeys(ALLOWED, 302),
    "citizen": dict.fromkeys(ALLOWED, 403),
    "provider": dict.fromkeys(ALLOWED, 403),
    "ward_admin": ALLOWED,
    # Ward 5 is not among the other admin's wards: its form stays (with the error), the ward-5
    # records are not found.
    "other_admin": {
        **ALLOWED,
        "create": 200,
        "edit": 404,
        "save": 404,
        "remove": 404,
        "request": 404,
        "plan": 404,
    },
    "super_admin": ALLOWED,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_permission_matrix(crew, schedule, special, console_as, role, name):
    method, url, data = urls(schedule, special)[name]
    before = (list(CollectionSchedule.objects.values().order_by("pk")),
              list(SpecialCollectionRequest.objects.values().order_by("pk")))  # fmt: skip

    response = getattr(console_as(person(crew, role)), method)(url, data)

    assert response.status_code == EXPECTED[role][name]
    if role == "anonymous":
        assert response["Location"].startswith("/console/login/?next=")
    after = (list(CollectionSchedule.objects.values().order_by("pk")),
             list(SpecialCollectionRequest.objects.values().order_by("pk")))  # fmt: skip
    if response.status_code != 302 or role == "anonymous":
        assert after == before


def test_nav_links_only_for_those_with_waste_rights(crew, console_as):
    for role, shown in (("provider", False), ("ward_admin", True), ("super_admin", True)):
        page = console_as(getattr(crew, role)).get("/console/").content.decode()
        for path in ("/console/waste/schedules/", "/console/waste/special/"):
            assert (f'href="{path}"' in page) is shown, (role, path)
    # A ward admin without waste rights: no links, and the screens refuse.
    bare = console_as(UserFactory(user_type="admin", name="No waste"))
    assert 'href="/console/waste/schedules/"' not in bare.get("/console/").content.decode()
    assert bare.get("/console/waste/schedules/").status_code == 403


def test_adding_a_schedule_tells_the_ward_and_is_audited(crew, console_as):
    response = console_as(crew.ward_admin).post("/console/waste/schedules/new/", schedule_form())
    assert response.status_code == 302
    schedule = CollectionSchedule.objects.get()
    assert (schedule.ward_number, schedule.day_of_week, schedule.waste_type) == (
        "5",
        2,
        "recyclable",
    )
    assert ActivityLog.objects.filter(action=ActivityAction.WASTE_SCHEDULE_CREATED).count() == 1
    assert Notification.objects.filter(user=crew.citizen, kind="waste.schedule_created").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"end_time": "17:00"}, "end_time"), ({"day_of_week": "7"}, "day_of_week"),
     ({"ward_number": "9"}, "ward_number"), ({"waste_type": "gold"}, "waste_type")],
)  # fmt: skip
def test_bad_schedules_show_on_the_form_and_store_nothing(crew, console_as, change, field):
    response = console_as(crew.ward_admin).post(
        "/console/waste/schedules/new/", schedule_form(**change)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CollectionSchedule.objects.exists()


def test_the_list_shows_the_viewers_wards_only(crew, schedule, console_as):
    CollectionSchedule.objects.create(ward_number="9", day_of_week=1, start_time=time(7),
                                      end_time=time(8), waste_type="medical")  # fmt: skip
    mine = console_as(crew.ward_admin).get("/console/waste/schedules/")
    assert [s.pk for s in mine.context["page"]] == [schedule.pk]
    assert "calendar.ics" in mine.content.decode()
    everyone = console_as(crew.super_admin).get("/console/waste/schedules/", {"day_of_week": 1})
    assert [s.ward_number for s in everyone.context["page"]] == ["9"]


def test_planning_a_request_and_its_refusals(crew, special, console_as):
    client = console_as(crew.ward_admin)
    url = f"/console/waste/special/{special.pk}/"
    no_date = client.post(url, plan(scheduled_date=""))
    assert no_date.status_code == 200
    assert "scheduled_date" in no_date.context["form"].errors
    skipped = client.post(url, plan(status="collected", scheduled_date=""))
    assert skipped.status_code == 200  # not a move this request may make: not offered
    special.refresh_from_db()
    assert special.status == "requested"

    assert client.post(url, plan()).status_code == 302
    special.refresh_from_db()
    assert (special.status, special.staff_comment) == ("scheduled", "Before ten")
    assert Notification.objects.filter(user=crew.citizen,
                                       kind="special_collection.scheduled").exists()  # fmt: skip
    queue = client.get("/console/waste/special/", {"status": "scheduled"})
    assert [s.pk for s in queue.context["page"]] == [special.pk]
    page = client.get(url).content.decode()
    assert "An old sofa" in page


def test_an_unpaid_fee_blocks_scheduling_on_the_form(crew, special, console_as):
    SpecialCollectionRequest.objects.filter(pk=special.pk).update(payment_state="pending")
    response = console_as(crew.ward_admin).post(f"/console/waste/special/{special.pk}/", plan())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    special.refresh_from_db()
    assert special.status == "requested"


def test_the_plan_form_shows_the_date_set_and_collecting_keeps_it(crew, special, console_as):
    client = console_as(crew.ward_admin)
    url = f"/console/waste/special/{special.pk}/"
    assert client.post(url, plan()).status_code == 302
    special.refresh_from_db()
    shown = client.get(url).content.decode()
    assert f'value="{special.scheduled_date.isoformat()}"' in shown
    # The form sends back the date it showed: moving on to collected is not a reschedule.
    collect = plan(status="collected", scheduled_date=special.scheduled_date.isoformat())
    assert client.post(url, collect).status_code == 302
    special.refresh_from_db()
    assert special.status == "collected"


def test_the_schedule_list_asks_for_the_rights_once_not_per_row(crew, console_as):
    """may_change/may_remove were a permission query each per row (2 more per schedule)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(rows):
        CollectionSchedule.objects.all().delete()
        for day in range(rows):
            CollectionSchedule.objects.create(ward_number="5", day_of_week=day, start_time=time(7),
                                              end_time=time(9), waste_type="household")  # fmt: skip
        client = console_as(crew.ward_admin)
        with CaptureQueriesContext(connection) as context:
            page = client.get("/console/waste/schedules/")
        assert page.status_code == 200
        assert all(s.may_change for s in page.context["page"])
        return len(context.captured_queries)

    assert queries(7) == queries(1)
