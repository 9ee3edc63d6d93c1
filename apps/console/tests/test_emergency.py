"""The emergency board and page: every URL × role, the API's scope, taking and moving by forms."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.emergency.models import EmergencyRequest, EmergencyUpdate
from apps.emergency.tests.factories import EmergencyFactory
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import AdminPermissionFactory, UserFactory

ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]
SUBMITTED, IN_PROGRESS, RESOLVED = "জমা দেওয়া হয়েছে", "প্রক্রিয়াধীন", "সমাধান হয়েছে"


@pytest.fixture
def duty(cast):
    """Emergency rights: the ward admin for wards 5 and 6, the other admin for ward 9."""
    for admin, wards in ((cast.ward_admin, ["5", "6"]), (cast.other_admin, ["9"])):
        AdminPermissionFactory(
            admin=admin,
            permission_type="emergency",
            resource_type="emergency_request",
            ward_numbers=wards,
        )
    return cast


@pytest.fixture
def emergency(duty):
    """A fire in ward 5 nobody has taken."""
    return EmergencyFactory(user=duty.citizen, ward_number="5", location="Road 4, Basabo")


@pytest.fixture
def far_emergency(duty):
    return EmergencyFactory(ward_number="9", location="Ward nine market")


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def urls(emergency, actor):
    base = f"/console/emergencies/{emergency.pk}/"
    me = str(actor.pk) if actor is not None else ""
    return {
        "board": ("get", "/console/emergencies/", {}),
        "emergency": ("get", base, {}),
        "assign": ("post", f"{base}assign/", {"assigned_to": me}),
        "status": ("post", f"{base}status/", {"status": "in_progress", "comment": "On the way"}),
    }


EXPECTED = {
    "anonymous": {"board": 302, "emergency": 302, "assign": 302, "status": 302},
    "citizen": {"board": 403, "emergency": 403, "assign": 403, "status": 403},
    "provider": {"board": 200, "emergency": 404, "assign": 404, "status": 404},
    "ward_admin": {"board": 200, "emergency": 200, "assign": 302, "status": 302},
    "other_admin": {"board": 200, "emergency": 404, "assign": 404, "status": 404},
    "super_admin": {"board": 200, "emergency": 200, "assign": 302, "status": 302},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["board", "emergency", "assign", "status"])
def test_permission_matrix(duty, emergency, console_as, role, name):
    actor = person(duty, role)
    method, url, data = urls(emergency, actor)[name]
    before = EmergencyRequest.objects.values().get(pk=emergency.pk)

    response = getattr(console_as(actor), method)(url, data)

    assert response.status_code == EXPECTED[role][name]
    if role == "anonymous":
        assert response["Location"].startswith("/console/login/?next=")
    if response.status_code in (403, 404) or role == "anonymous":
        assert EmergencyRequest.objects.values().get(pk=emergency.pk) == before
        assert not EmergencyUpdate.objects.exists()
    elif method == "post":
        assert response["Location"] == "/console/emergencies/"
        assert EmergencyRequest.objects.get(pk=emergency.pk).assigned_to == actor


def test_a_ward_admin_never_sees_another_wards_emergency(
    duty, emergency, far_emergency, console_as
):
    board = console_as(duty.ward_admin).get("/console/emergencies/")
    assert [e.pk for e in board.context["open_ones"]] == [emergency.pk]
    assert "Ward nine market" not in board.content.decode()
    detail = console_as(duty.ward_admin).get(f"/console/emergencies/{far_emergency.pk}/")
    assert detail.status_code == 404

    other = console_as(duty.other_admin).get("/console/emergencies/")
    assert [e.pk for e in other.context["open_ones"]] == [far_emergency.pk]


def test_a_provider_sees_what_is_handed_to_them(duty, emergency, far_emergency, console_as):
    EmergencyRequest.objects.filter(pk=far_emergency.pk).update(assigned_to=duty.provider)
    board = console_as(duty.provider).get("/console/emergencies/")
    assert [e.pk for e in board.context["open_ones"]] == [far_emergency.pk]
    page = console_as(duty.provider).get(f"/console/emergencies/{far_emergency.pk}/")
    assert page.status_code == 200


def test_the_board_shows_what_the_api_lists_for_the_same_viewer(
    duty, emergency, far_emergency, console_as, api_as
):
    EmergencyFactory(ward_number="6", status=RESOLVED)
    for viewer in (duty.ward_admin, duty.other_admin, duty.provider, duty.super_admin):
        listed = api_as(viewer).get("/api/v1/emergency/", {"page_size": 100}).json()
        board = console_as(viewer).get("/console/emergencies/").context
        shown = [*board["open_ones"], *board["resolved"]]
        assert {str(e.pk) for e in shown} == {row["id"] for row in listed["results"]}


def test_open_emergencies_come_first_newest_first(duty, console_as):
    now = timezone.now()
    older = EmergencyFactory(ward_number="5")
    newer = EmergencyFactory(ward_number="6", status=IN_PROGRESS)
    done = EmergencyFactory(ward_number="5", status=RESOLVED)
    for row, age in ((older, 30), (newer, 10), (done, 1)):
        EmergencyRequest.objects.filter(pk=row.pk).update(created_at=now - timedelta(minutes=age))

    board = console_as(duty.ward_admin).get("/console/emergencies/").context

    assert [e.pk for e in board["open_ones"]] == [newer.pk, older.pk]
    assert [e.pk for e in board["resolved"]] == [done.pk]


def test_the_countdown_runs_until_someone_takes_it(duty, console_as, settings):
    settings.EMERGENCY_ESCALATION_SECONDS = 300
    waiting = EmergencyFactory(ward_number="5", location="Waiting one")
    EmergencyRequest.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(seconds=70)
    )
    taken = EmergencyFactory(ward_number="5", assigned_to=duty.ward_admin)
    late = EmergencyFactory(ward_number="5", escalated_at=timezone.now())

    response = console_as(duty.ward_admin).get("/console/emergencies/")
    rows = {e.pk: e for e in response.context["open_ones"]}

    assert rows[waiting.pk].minutes_left == 3
    assert rows[waiting.pk].deadline == EmergencyRequest.objects.get(
        pk=waiting.pk
    ).created_at + timedelta(seconds=300)
    assert rows[taken.pk].deadline is None
    assert rows[late.pk].deadline is None
    page = response.content.decode()
    assert "Escalates in 3 minutes unless taken" in page
    assert page.count('class="countdown"') == 1
    assert "Escalated to the super admins</p>" in page


def test_taking_and_resolving_through_the_forms_is_what_the_citizen_api_shows(
    duty, emergency, console_as, api_as
):
    client = console_as(duty.ward_admin)
    base = f"/console/emergencies/{emergency.pk}/"

    taken = client.post(f"{base}assign/", {"assigned_to": str(duty.ward_admin.pk)}, follow=True)
    assert "The emergency is now being handled." in taken.content.decode()
    moved = client.post(
        f"{base}status/",
        {"status": "resolved", "comment": "Fire service came", "next": "detail"},
        follow=True,
    )

    assert moved.redirect_chain == [(base, 302)]
    page = moved.content.decode()
    assert "Status changed to “Resolved”." in page
    assert "Fire service came" in page
    emergency.refresh_from_db()
    assert (emergency.status, emergency.assigned_to) == (RESOLVED, duty.ward_admin)
    assert list(emergency.updates.values_list("new_status", "comment")) == [
        (SUBMITTED, None),
        (RESOLVED, "Fire service came"),
    ]
    assert set(
        ActivityLog.objects.filter(user=duty.ward_admin).values_list("action", flat=True)
    ) >= {ActivityAction.EMERGENCY_ASSIGNED, ActivityAction.EMERGENCY_STATUS_CHANGED}
    seen = api_as(duty.citizen).get(f"/api/v1/emergency/{emergency.pk}/").json()
    assert (seen["status_code"], seen["assigned_to_name"]) == ("resolved", "Ward Five Admin")


@pytest.mark.parametrize(
    ("path", "data", "shown"),
    [
        ("status/", {"status": "lost"}, "Select a valid choice. lost is not one of"),
        ("status/", {"status": "submitted"}, "An emergency cannot move from “Submitted” to"),
        ("assign/", {"assigned_to": ""}, "Choose who takes the emergency."),
        ("assign/", {"assigned_to": "not-a-uuid"}, "Enter a valid UUID."),
    ],
)
def test_bad_input_is_explained_and_nothing_changes(duty, emergency, console_as, path, data, shown):
    before = EmergencyRequest.objects.values().get(pk=emergency.pk)
    response = console_as(duty.ward_admin).post(
        f"/console/emergencies/{emergency.pk}/{path}", data, follow=True
    )
    assert shown in response.content.decode()
    assert EmergencyRequest.objects.values().get(pk=emergency.pk) == before
    assert not EmergencyUpdate.objects.exists()


def test_a_colleagues_emergency_cannot_be_taken_from_them_by_a_provider(
    duty, emergency, console_as
):
    EmergencyRequest.objects.filter(pk=emergency.pk).update(assigned_to=duty.ward_admin)
    helper = UserFactory(user_type="service_provider")
    from apps.emergency.models import EmergencyDispatch

    EmergencyDispatch.objects.create(emergency=emergency, staff=duty.provider)
    response = console_as(duty.provider).post(
        f"/console/emergencies/{emergency.pk}/assign/", {"assigned_to": str(helper.pk)}
    )
    assert response.status_code == 404  # a provider's dispatch counts only while on duty
    assert EmergencyRequest.objects.get(pk=emergency.pk).assigned_to == duty.ward_admin


def test_forms_need_the_csrf_token(duty, emergency):
    client = Client(enforce_csrf_checks=True)
    client.force_login(duty.ward_admin)
    base = f"/console/emergencies/{emergency.pk}/"
    for path, data in (
        ("assign/", {"assigned_to": str(duty.ward_admin.pk)}),
        ("status/", {"status": "in_progress"}),
    ):
        assert client.post(base + path, data).status_code == 403
    assert EmergencyRequest.objects.get(pk=emergency.pk).assigned_to is None


def test_the_nav_links_follow_chat_and_emergency_rights(duty, console_as):
    """Emergency rights (the duty fixture) give the board's link; chat rights the inbox's;
    super admins and providers (who get what is handed to them) see both."""
    board, inbox = 'href="/console/emergencies/"', 'href="/console/chat/"'
    chat_only = UserFactory(user_type="admin")
    AdminPermissionFactory(admin=chat_only, permission_type="chat", ward_numbers=["5"])
    complaints_only = UserFactory(user_type="admin")
    AdminPermissionFactory(admin=complaints_only, ward_numbers=["5"])
    expected = {
        duty.ward_admin: (True, False),
        duty.super_admin: (True, True),
        duty.provider: (True, True),
        chat_only: (False, True),
        complaints_only: (False, False),
    }
    for user, links in expected.items():
        page = console_as(user).get("/console/").content.decode()
        assert (board in page, inbox in page) == links, user.name


def test_the_emergency_page_shows_the_history_with_labels(duty, emergency, console_as):
    EmergencyUpdate.objects.create(
        emergency=emergency, updated_by=duty.citizen, old_status=None, new_status=SUBMITTED
    )
    page = console_as(duty.ward_admin).get(f"/console/emergencies/{emergency.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<strong>Submitted</strong>" in text
    assert "Fire · Road 4, Basabo" in text
    assert '<option value="in_progress">In progress</option>' in text
