"""Complaint queue and page: every URL × role, the API's scope, and changes made through forms."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.complaints.models import Complaint, ComplaintUpdate
from apps.complaints.tests.factories import ComplaintFactory
from apps.users.models import ActivityAction, ActivityLog

ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def urls(complaint):
    base = f"/console/complaints/{complaint.pk}/"
    return {
        "queue": ("get", "/console/", {}),
        "password": ("get", "/console/password/", {}),
        "complaint": ("get", base, {}),
        "status": ("post", f"{base}status/", {"status": "in_progress", "comment": "On it"}),
        "assign": ("post", f"{base}assign/", {"assigned_to": ""}),
    }


# What each role gets at each URL (for the ward-5 complaint assigned to the provider):
# 302 to the sign-in page (anonymous), 403 refusal page (citizen), 404 outside one's scope,
# otherwise the page (200) or the redirect after a form (302 back to the complaint or queue).
EXPECTED = {
    "anonymous": {"queue": 302, "password": 302, "complaint": 302, "status": 302, "assign": 302},
    "citizen": {"queue": 403, "password": 403, "complaint": 403, "status": 403, "assign": 403},
    "provider": {"queue": 200, "password": 200, "complaint": 200, "status": 302, "assign": 302},
    "ward_admin": {"queue": 200, "password": 200, "complaint": 200, "status": 302, "assign": 302},
    "other_admin": {"queue": 200, "password": 200, "complaint": 404, "status": 404, "assign": 404},
    "super_admin": {"queue": 200, "password": 200, "complaint": 200, "status": 302, "assign": 302},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["queue", "password", "complaint", "status", "assign"])
def test_permission_matrix(cast, complaint, console_as, role, name):
    method, url, data = urls(complaint)[name]
    before = Complaint.objects.values().get(pk=complaint.pk)

    response = getattr(console_as(person(cast, role)), method)(url, data)

    assert response.status_code == EXPECTED[role][name]
    if role == "anonymous":
        assert response["Location"].startswith("/console/login/?next=")
    if response.status_code in (403, 404) or role == "anonymous":
        assert Complaint.objects.values().get(pk=complaint.pk) == before
        assert not ComplaintUpdate.objects.exists()


def test_a_ward_admin_never_sees_another_wards_complaint(
    cast, complaint, far_complaint, console_as
):
    client = console_as(cast.ward_admin)

    queue = client.get("/console/").content.decode()
    assert complaint.tracking_number in queue
    assert far_complaint.tracking_number not in queue
    for params in ({"ward_number": "9"}, {"search": far_complaint.tracking_number}):
        assert list(client.get("/console/", params).context["page"]) == []
    assert client.get(f"/console/complaints/{far_complaint.pk}/").status_code == 404

    other = console_as(cast.other_admin).get("/console/").content.decode()
    assert far_complaint.tracking_number in other
    assert complaint.tracking_number not in other


def test_a_provider_sees_only_work_assigned_to_them(cast, complaint, far_complaint, console_as):
    page = console_as(cast.provider).get("/console/").content.decode()
    assert complaint.tracking_number in page
    assert far_complaint.tracking_number not in page


def test_the_queue_shows_what_the_api_lists_for_the_same_viewer(
    cast, complaint, far_complaint, console_as, api_as
):
    ComplaintFactory(ward_number="6", status="প্রক্রিয়াধীন")
    for viewer in (cast.ward_admin, cast.other_admin, cast.provider, cast.super_admin):
        listed = api_as(viewer).get("/api/v1/complaints/", {"page_size": 100}).json()
        numbers = {row["tracking_number"] for row in listed["results"]}
        page = console_as(viewer).get("/console/")
        assert {c.tracking_number for c in page.context["page"]} == numbers


def test_filters_take_the_api_codes_and_search_and_paging_work(cast, console_as):
    moved = ComplaintFactory(ward_number="6", status="প্রক্রিয়াধীন", title="Broken lamp")
    waiting = ComplaintFactory(ward_number="5", category="রাস্তাঘাট", priority="উচ্চ")
    client = console_as(cast.ward_admin)

    def shown(**params):
        return [c.pk for c in client.get("/console/", params).context["page"]]

    assert shown(status="in_progress") == [moved.pk]
    assert shown(status="submitted") == [waiting.pk]
    assert shown(category="roads", priority="high") == [waiting.pk]
    assert shown(ward_number="6") == [moved.pk]
    assert shown(search="lamp") == [moved.pk]
    assert shown(search=waiting.tracking_number) == [waiting.pk]
    assert shown(search=f" {waiting.tracking_number.lower()}") == [waiting.pk]
    page = client.get("/console/", {"status": "in_progress"}).content.decode()
    assert '<option value="in_progress" selected>' in page

    ComplaintFactory.create_batch(25, ward_number="5")
    first = client.get("/console/", {"ward_number": "5"})
    assert len(first.context["page"]) == 25
    assert "ward_number=5&amp;page=2" in first.content.decode()
    assert len(client.get("/console/", {"ward_number": "5", "page": 2}).context["page"]) == 1


def test_an_unknown_status_code_is_reported_not_ignored_silently(cast, complaint, console_as):
    response = console_as(cast.ward_admin).get("/console/", {"status": "lost"})
    assert response.status_code == 200
    assert response.context["filters"].errors


def test_old_submitted_complaints_are_marked_overdue(cast, console_as, settings):
    settings.CONSOLE_OVERDUE_HOURS = 48
    old = ComplaintFactory(ward_number="5", title="Old one")
    Complaint.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=49))
    fresh = ComplaintFactory(ward_number="5", title="Fresh one")
    taken = ComplaintFactory(ward_number="5", status="প্রক্রিয়াধীন")
    Complaint.objects.filter(pk=taken.pk).update(created_at=timezone.now() - timedelta(days=5))

    rows = {c.pk: c.overdue for c in console_as(cast.ward_admin).get("/console/").context["page"]}

    assert rows == {old.pk: True, fresh.pk: False, taken.pk: False}


def test_status_change_through_the_form_is_what_the_citizen_api_shows(
    cast, complaint, console_as, api_as
):
    client = console_as(cast.ward_admin)
    response = client.post(
        f"/console/complaints/{complaint.pk}/status/",
        {"status": "in_progress", "comment": "Crew sent"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/console/complaints/{complaint.pk}/"
    assert "Status changed" in response.content.decode()
    seen = api_as(cast.citizen).get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert seen["status_code"] == "in_progress"
    update = ComplaintUpdate.objects.get()
    assert (update.updated_by, update.comment, update.new_status) == (
        cast.ward_admin,
        "Crew sent",
        "প্রক্রিয়াধীন",
    )
    assert ActivityLog.objects.filter(action=ActivityAction.COMPLAINT_STATUS_CHANGED).count() == 1


def test_a_refused_move_is_shown_and_changes_nothing(cast, complaint, console_as):
    response = console_as(cast.ward_admin).post(
        f"/console/complaints/{complaint.pk}/status/", {"status": "resolved"}, follow=True
    )

    assert "cannot move from" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "জমা দেওয়া হয়েছে"
    assert not ComplaintUpdate.objects.exists()


def test_assign_through_the_form_is_what_the_api_shows(cast, complaint, console_as, api_as):
    client = console_as(cast.ward_admin)
    client.post(
        f"/console/complaints/{complaint.pk}/assign/", {"assigned_to": str(cast.other_admin.pk)}
    )

    seen = api_as(cast.ward_admin).get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert (seen["assigned_to"], seen["assigned_to_name"]) == (
        str(cast.other_admin.pk),
        "Ward Nine Admin",
    )
    assert ActivityLog.objects.filter(action=ActivityAction.COMPLAINT_ASSIGNED).count() == 1


def test_assigning_to_a_citizen_is_refused_with_the_services_message(cast, complaint, console_as):
    response = console_as(cast.ward_admin).post(
        f"/console/complaints/{complaint.pk}/assign/",
        {"assigned_to": str(cast.citizen.pk)},
        follow=True,
    )

    assert "active ward admins or service providers only" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.assigned_to == cast.provider


def test_a_provider_handing_work_on_lands_back_on_the_queue(cast, complaint, console_as):
    response = console_as(cast.provider).post(
        f"/console/complaints/{complaint.pk}/assign/", {"assigned_to": str(cast.ward_admin.pk)}
    )
    assert response["Location"] == "/console/"


def test_the_complaint_page_shows_photos_location_and_history(cast, console_as, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.complaints.tests.factories import photo_bytes

    upload = SimpleUploadedFile("bin.jpg", photo_bytes(), content_type="image/jpeg")
    filed = (
        api_as(cast.citizen)
        .post(
            "/api/v1/complaints/",
            {
                "title": "Bin with photo",
                "description": "Overflowing since Monday.",
                "category": "waste",
                "location": "Road 4",
                "latitude": "23.74610000",
                "longitude": "90.37420000",
                "ward_number": "5",
                "images": [upload],
            },
            format="multipart",
        )
        .json()
    )
    complaint = Complaint.objects.get(pk=filed["id"])

    page = console_as(cast.ward_admin).get(f"/console/complaints/{complaint.pk}/")

    html = page.content.decode()
    thumbnail = complaint.images.get().thumbnail.url
    assert f'src="{thumbnail}"' in html
    assert "23.74610000, 90.37420000" in html
    assert "Road 4" in html
    assert '<option value="in_progress">' in html
    assert '<option value="cancelled">' in html


def test_csrf_is_enforced_on_the_complaint_forms(cast, complaint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.ward_admin)
    base = f"/console/complaints/{complaint.pk}/"

    assert client.post(f"{base}status/", {"status": "in_progress"}).status_code == 403
    assert client.post(f"{base}assign/", {"assigned_to": ""}).status_code == 403
    assert client.post("/console/logout/").status_code == 403
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assigned_to) == ("জমা দেওয়া হয়েছে", cast.provider)

    client.get(base)
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"{base}status/", {"status": "in_progress", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "প্রক্রিয়াধীন"


def test_a_read_only_ward_admin_sees_the_complaint_but_no_forms_and_cannot_post(
    cast, complaint, console_as
):
    from apps.users.tests.factories import staff_with_rights

    reader = staff_with_rights("complaints", ["5"], resource_type="complaint", can_update=False)
    client = console_as(reader)

    page = client.get(f"/console/complaints/{complaint.pk}/").content.decode()
    assert complaint.title in page
    assert 'name="status"' not in page
    assert 'name="assigned_to"' not in page

    response = client.post(
        f"/console/complaints/{complaint.pk}/status/", {"status": "in_progress"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    complaint.refresh_from_db()
    assert complaint.status == "জমা দেওয়া হয়েছে"
    assert not ComplaintUpdate.objects.exists()


def test_resolving_with_a_photo_of_the_fix_shows_it_to_the_citizen(
    cast, complaint, console_as, api_as
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.complaints.tests.factories import photo_bytes

    client = console_as(cast.ward_admin)
    client.post(f"/console/complaints/{complaint.pk}/status/", {"status": "in_progress"})
    photo = SimpleUploadedFile("fixed.jpg", photo_bytes(color="blue"), content_type="image/jpeg")
    response = client.post(
        f"/console/complaints/{complaint.pk}/status/",
        {"status": "resolved", "comment": "Cleared", "photo": photo},
        follow=True,
    )
    assert 'class="proof"' in response.content.decode()
    history = api_as(cast.citizen).get(f"/api/v1/complaints/{complaint.pk}/updates/").json()
    assert history[-1]["new_status_code"] == "resolved"
    assert history[-1]["photo_url"]


def test_the_csv_export_holds_the_filtered_queue_of_the_viewers_wards_only(
    cast, complaint, console_as
):
    import csv
    import io

    from apps.complaints.tests.factories import ComplaintFactory

    elsewhere = ComplaintFactory(ward_number="40", title="Elsewhere")
    response = console_as(cast.ward_admin).get("/console/complaints.csv?status=submitted")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    numbers = [row[0] for row in rows[1:]]
    assert complaint.tracking_number in numbers
    assert elsewhere.tracking_number not in numbers
    assert rows[1][3] == "submitted"
    assert complaint.user.phone not in text


def test_the_csv_export_needs_a_staff_sign_in(client, cast, console_as):
    assert client.get("/console/complaints.csv").status_code == 302
    assert console_as(cast.citizen).get("/console/complaints.csv").status_code == 403


def test_bulk_assign_gives_the_ticked_complaints_of_the_viewers_wards(cast, complaint, console_as):
    from apps.complaints.models import Complaint
    from apps.complaints.tests.factories import ComplaintFactory
    from apps.users.tests.factories import UserFactory

    provider = UserFactory(user_type="service_provider")
    second = ComplaintFactory(ward_number=complaint.ward_number)
    elsewhere = ComplaintFactory(ward_number="40")
    response = console_as(cast.ward_admin).post(
        "/console/complaints/assign/",
        {
            "complaint": [str(complaint.pk), str(second.pk), str(elsewhere.pk), "not-a-uuid"],
            "assigned_to": str(provider.pk),
            "next": "?status=submitted",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/?status=submitted"
    assigned = set(Complaint.objects.filter(assigned_to=provider).values_list("pk", flat=True))
    assert assigned == {complaint.pk, second.pk}
    elsewhere.refresh_from_db()
    assert elsewhere.assigned_to is None
    assert ActivityLog.objects.filter(action=ActivityAction.COMPLAINT_ASSIGNED).count() == 2


def test_bulk_assign_needs_csrf_and_staff(cast, console_as, client):
    from django.test import Client

    assert client.post("/console/complaints/assign/", {}).status_code == 302  # sign in first
    assert console_as(cast.citizen).post("/console/complaints/assign/", {}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.ward_admin)
    assert strict.post("/console/complaints/assign/", {"assigned_to": ""}).status_code == 403


def _csv_rows(response) -> list[list[str]]:
    import csv
    import io

    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_csv_export_writes_formula_like_cells_as_plain_text(cast, console_as, start):
    ComplaintFactory(ward_number="5", title=f"{start}HYPERLINK(1)", location=f"{start}cmd")
    rows = _csv_rows(console_as(cast.ward_admin).get("/console/complaints.csv"))
    assert rows[1][1] == f"'{start}HYPERLINK(1)"
    assert rows[1][7] == f"'{start}cmd"


def test_the_csv_export_names_the_assignee_and_never_shows_a_phone(cast, console_as):
    from apps.users.tests.factories import UserFactory

    nameless = UserFactory(user_type="service_provider", name="")
    ComplaintFactory(ward_number="5", assigned_to=nameless, title="Nameless")
    ComplaintFactory(ward_number="5", assigned_to=cast.provider, title="Named")
    response = console_as(cast.ward_admin).get("/console/complaints.csv")
    assignees = {row[1]: row[8] for row in _csv_rows(response)[1:]}
    assert assignees == {"Nameless": "Unnamed staff member", "Named": "Assigned Provider"}
