"""Notices editor: every URL × role, the API's staff listing, publishing through the services
(their refusals on the form, nothing stored), Dhaka times, withdrawing, CSRF."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.notices.models import Notice, NoticeWard
from apps.notices.tests.factories import NoticeFactory
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import AdminPermissionFactory

DHAKA = ZoneInfo("Asia/Dhaka")
ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]
NOTICE_RIGHTS = {
    "permission_type": "notices",
    "resource_type": "notice",
    "can_create": True,
    "can_read": True,
    "can_update": True,
    "can_delete": True,
}


@pytest.fixture
def board(cast):
    """The cast with notices rights: the ward admin for wards 5 and 6, the other for 9."""
    AdminPermissionFactory(admin=cast.ward_admin, ward_numbers=["5", "6"], **NOTICE_RIGHTS)
    AdminPermissionFactory(admin=cast.other_admin, ward_numbers=["9"], **NOTICE_RIGHTS)
    return cast


@pytest.fixture
def notice(board):
    return NoticeFactory(title="Water cut in ward five", target_wards=["5"])


@pytest.fixture
def far_notice(board):
    return NoticeFactory(title="Road works in ward nine", target_wards=["9"])


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def form(**changes):
    data = {
        "title": "Mosquito spraying",
        "content": "Spraying on Saturday morning.",
        "category": "health",
        "priority": "high",
        "target_wards": ["5"],
        "published_at": "",
        "expires_at": "",
    }
    return {**data, **changes}


def urls(notice):
    return {
        "list": ("get", "/console/notices/", {}),
        "new": ("get", "/console/notices/new/", {}),
        "create": ("post", "/console/notices/new/", form()),
        "edit": ("get", f"/console/notices/{notice.pk}/edit/", {}),
        "save": ("post", f"/console/notices/{notice.pk}/edit/", form(title="Changed")),
        "withdraw": ("post", f"/console/notices/{notice.pk}/withdraw/", {}),
    }


# anonymous: to the sign-in page; citizen and provider: refused (the API's notices writers are
# ward admins and super admins); the other ward's admin: 404 for the ward-5 notice, and the
# ward-5 target is not among the wards their form offers (so the form stays, with its error).
ALLOWED = {"list": 200, "new": 200, "create": 302, "edit": 200, "save": 302, "withdraw": 302}
EXPECTED = {
    "anonymous": dict.fromkeys(ALLOWED, 302),
    "citizen": dict.fromkeys(ALLOWED, 403),
    "provider": dict.fromkeys(ALLOWED, 403),
    "ward_admin": ALLOWED,
    "other_admin": {**ALLOWED, "create": 200, "edit": 404, "save": 404, "withdraw": 404},
    "super_admin": ALLOWED,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_permission_matrix(board, notice, console_as, role, name):
    method, url, data = urls(notice)[name]
    before = list(Notice.objects.values().order_by("pk"))

    response = getattr(console_as(person(board, role)), method)(url, data)

    assert response.status_code == EXPECTED[role][name]
    if role == "anonymous":
        assert response["Location"].startswith("/console/login/?next=")
    if response.status_code != 302 or role == "anonymous":
        assert list(Notice.objects.values().order_by("pk")) == before


def test_nav_links_only_for_those_who_may_use_them(board, console_as):
    for role, shown in (("provider", False), ("ward_admin", True), ("super_admin", True)):
        page = console_as(getattr(board, role)).get("/console/").content.decode()
        for path in ("/console/notices/", "/console/dashboard/", "/console/reports/"):
            assert (f'href="{path}"' in page) is shown, (role, path)


def test_a_ward_admin_never_sees_another_wards_notice(board, notice, far_notice, console_as):
    client = console_as(board.ward_admin)

    page = client.get("/console/notices/").content.decode()
    assert "Water cut in ward five" in page
    assert "Road works in ward nine" not in page
    assert list(client.get("/console/notices/", {"ward": "9"}).context["page"]) == []
    assert client.get(f"/console/notices/{far_notice.pk}/edit/").status_code == 404
    assert client.post(f"/console/notices/{far_notice.pk}/withdraw/").status_code == 404
    assert Notice.objects.get(pk=far_notice.pk).is_active is True

    other = console_as(board.other_admin).get("/console/notices/").content.decode()
    assert "Road works in ward nine" in other
    assert "Water cut in ward five" not in other


def test_the_list_is_the_apis_staff_listing_for_the_same_viewer(
    board, notice, far_notice, console_as, api_as
):
    NoticeFactory(title="City-wide", target_wards=[])
    for viewer in (board.ward_admin, board.other_admin, board.super_admin):
        listed = api_as(viewer).get("/api/v1/notices/", {"page_size": 100}).json()["results"]
        page = console_as(viewer).get("/console/notices/")
        assert [str(n.pk) for n in page.context["page"]] == [row["id"] for row in listed]


def test_states_are_shown_as_labels_and_urgent_is_marked(board, console_as):
    now = timezone.now()
    NoticeFactory(title="Later", target_wards=["5"], published_at=now + timedelta(days=1))
    NoticeFactory(title="Now", target_wards=["5"], is_urgent=True)
    NoticeFactory(
        title="Gone",
        target_wards=["5"],
        published_at=now - timedelta(days=3),
        expires_at=now - timedelta(days=1),
    )
    NoticeFactory(title="Pulled", target_wards=["6"], is_active=False, withdrawn_at=now)

    page = console_as(board.ward_admin).get("/console/notices/")

    states = {n.title: n.state.value for n in page.context["page"]}
    assert states == {
        "Later": "scheduled",
        "Now": "published",
        "Gone": "expired",
        "Pulled": "withdrawn",
    }
    html = page.content.decode()
    for label in ("Scheduled", "Published", "Expired", "Withdrawn"):
        assert f">{label}</span>" in html
    assert '<strong class="urgent">Urgent</strong> <a' in html
    inactive = console_as(board.ward_admin).get("/console/notices/", {"is_active": "false"})
    assert sorted(n.title for n in inactive.context["page"]) == ["Gone", "Pulled"]


def test_a_ward_admin_publishes_for_their_ward_in_dhaka_time(board, console_as, api_as):
    response = console_as(board.ward_admin).post(
        "/console/notices/new/",
        form(is_urgent="on", published_at="2020-01-02T09:30", expires_at="2099-03-04T18:00"),
    )

    assert response.status_code == 302
    assert response["Location"] == "/console/notices/"
    notice = Notice.objects.get()
    assert (notice.title, notice.category, notice.priority, notice.is_urgent) == (
        "Mosquito spraying",
        "health",
        "high",
        True,
    )
    assert notice.published_at == datetime(2020, 1, 2, 9, 30, tzinfo=DHAKA)
    assert notice.expires_at == datetime(2099, 3, 4, 12, 0, tzinfo=ZoneInfo("UTC"))
    assert list(NoticeWard.objects.values_list("ward_number", flat=True)) == ["5"]
    assert notice.created_by == board.ward_admin
    assert ActivityLog.objects.filter(action=ActivityAction.NOTICE_CREATED).count() == 1
    board_titles = [
        n["title"] for n in api_as(board.citizen).get("/api/v1/notices/").json()["results"]
    ]
    assert board_titles == ["Mosquito spraying"]

    edit = console_as(board.ward_admin).get(f"/console/notices/{notice.pk}/edit/")
    html = edit.content.decode()
    assert 'value="2020-01-02T09:30"' in html
    assert 'value="2099-03-04T18:00"' in html


def test_the_form_offers_only_the_wards_one_may_publish_to(board, console_as):
    choices = console_as(board.ward_admin).get("/console/notices/new/").context["form"]
    assert [n for n, _label in choices.fields["target_wards"].choices] == ["5", "6"]
    everything = console_as(board.super_admin).get("/console/notices/new/").context["form"]
    assert len(everything.fields["target_wards"].choices) == 75


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_wards": []}, "Only a super admin can publish notices for the whole city."),
        (
            {"published_at": "2099-01-02T10:00", "expires_at": "2099-01-02T09:00"},
            "A notice must expire after it is published.",
        ),
        ({"expires_at": "2001-01-01T00:00"}, "This time has already passed."),
        ({"title": "   "}, "This field is required."),
        ({"priority": "shouting"}, "Select a valid choice."),
        ({"target_wards": ["9"]}, "Select a valid choice. 9 is not one of the available choices."),
        ({"published_at": "tomorrow"}, "Enter a valid date/time."),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_stored(board, console_as, changes, message):
    response = console_as(board.ward_admin).post("/console/notices/new/", form(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Notice.objects.exists()
    assert not ActivityLog.objects.filter(action=ActivityAction.NOTICE_CREATED).exists()


def test_a_super_admin_publishes_city_wide(board, console_as, api_as):
    response = console_as(board.super_admin).post("/console/notices/new/", form(target_wards=[]))

    assert response.status_code == 302
    assert not NoticeWard.objects.exists()
    assert [n["title"] for n in Client().get("/api/v1/notices/").json()["results"]] == [
        "Mosquito spraying"
    ]


def test_an_attachment_is_stored_through_the_service(board, console_as):
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    console_as(board.ward_admin).post("/console/notices/new/", {**form(), "attachment": pdf})

    notice = Notice.objects.get()
    assert notice.attachment_name == "plan.pdf"
    assert notice.attachment.read() == b"%PDF-1.4 test"

    text = SimpleUploadedFile("notes.txt", b"plain words", content_type="text/plain")
    response = console_as(board.ward_admin).post(
        f"/console/notices/{notice.pk}/edit/", {**form(), "attachment": text}
    )
    assert "Not a PDF document or a supported photo." in response.content.decode()
    assert Notice.objects.get().attachment_name == "plan.pdf"

    console_as(board.ward_admin).post(
        f"/console/notices/{notice.pk}/edit/", {**form(), "remove_attachment": "on"}
    )
    assert Notice.objects.get().attachment_name is None


def test_editing_sends_only_what_changed(board, console_as):
    now = timezone.now()
    expired = NoticeFactory(
        title="Old",
        target_wards=["5"],
        published_at=now - timedelta(days=3),
        expires_at=now - timedelta(days=1),
    )
    client = console_as(board.ward_admin)
    shown = client.get(f"/console/notices/{expired.pk}/edit/").context["form"].initial

    response = client.post(
        f"/console/notices/{expired.pk}/edit/",
        {
            **form(),
            "title": "Old, renamed",
            "category": expired.category,
            "content": expired.content,
            "priority": "normal",
            "published_at": shown["published_at"].strftime("%Y-%m-%dT%H:%M"),
            "expires_at": shown["expires_at"].strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 302
    expired.refresh_from_db()
    assert expired.title == "Old, renamed"
    assert expired.expires_at == now - timedelta(days=1)  # not rounded to the minute, not refused
    log = ActivityLog.objects.get(action=ActivityAction.NOTICE_UPDATED)
    assert log.details == {"fields": ["title"]}


def test_withdrawing_takes_it_off_the_board_and_it_stays_in_the_list(
    board, notice, console_as, api_as
):
    client = console_as(board.ward_admin)

    response = client.post(f"/console/notices/{notice.pk}/withdraw/", follow=True)

    assert "The notice has been withdrawn." in response.content.decode()
    notice.refresh_from_db()
    assert notice.is_active is False
    assert notice.withdrawn_at is not None
    assert api_as(board.citizen).get("/api/v1/notices/").json()["results"] == []
    [row] = response.context["page"]
    assert row.state.value == "withdrawn"
    again = client.post(f"/console/notices/{notice.pk}/edit/", form(), follow=True)
    assert "This notice has been withdrawn; it cannot be changed." in again.content.decode()


def test_a_ward_admin_cannot_withdraw_a_city_wide_notice(board, console_as):
    city = NoticeFactory(title="For everyone", target_wards=[])
    client = console_as(board.ward_admin)
    page = client.get("/console/notices/").content.decode()
    assert "For everyone" in page
    assert f"/console/notices/{city.pk}/withdraw/" not in page

    response = client.post(f"/console/notices/{city.pk}/withdraw/", follow=True)

    # The service's own words for a notice without wards.
    assert "Only a super admin can publish notices for the whole city." in response.content.decode()
    assert Notice.objects.get(pk=city.pk).is_active is True


@pytest.mark.parametrize("path", ["new/", "{pk}/edit/", "{pk}/withdraw/"])
def test_csrf_is_enforced(board, notice, path):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(board.ward_admin)
    before = list(Notice.objects.values())

    response = client.post(f"/console/notices/{path.format(pk=notice.pk)}", form())

    assert response.status_code == 403
    assert list(Notice.objects.values()) == before


@pytest.mark.parametrize("which", ["city_wide", "other_ward", "mixed"])
def test_a_ward_admin_cannot_open_or_save_the_edit_form_of_a_notice_not_theirs(
    board, console_as, which
):
    """The notices policy's ``may_change``: every ward of the notice must be theirs; a
    city-wide notice is the super admin's alone. The edit form refuses (403), nothing changes,
    and the list offers no edit link."""
    wards = {"city_wide": [], "other_ward": ["9"], "mixed": ["5", "9"]}[which]
    notice = NoticeFactory(title="Not yours", target_wards=wards)
    client = console_as(board.ward_admin)

    assert client.get(f"/console/notices/{notice.pk}/edit/").status_code in (403, 404)
    response = client.post(f"/console/notices/{notice.pk}/edit/", {"title": "Changed"})

    assert response.status_code in (403, 404)
    notice.refresh_from_db()
    assert notice.title == "Not yours"
    assert (
        f"/console/notices/{notice.pk}/edit/"
        not in client.get("/console/notices/").content.decode()
    )


def test_the_super_admin_opens_the_edit_form_of_a_city_wide_notice(board, console_as):
    notice = NoticeFactory(title="For everyone", target_wards=[])
    assert (
        console_as(board.super_admin).get(f"/console/notices/{notice.pk}/edit/").status_code == 200
    )
