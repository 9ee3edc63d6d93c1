"""The work list: complaints assigned to the viewer (the API's scope), open and oldest first;
start and resolve through complaint_change_status, which wants a proof photo from a provider."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.complaints.models import Complaint, ComplaintUpdate
from apps.complaints.tests.factories import ComplaintFactory, photo_bytes
from apps.users.tests.factories import UserFactory

from .conftest import Console

ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]
WORK = "/console/work/"


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def status_url(complaint):
    return f"{WORK}{complaint.pk}/status/"


def photo(name="fixed.jpg"):
    return SimpleUploadedFile(name, photo_bytes(color="blue"), content_type="image/jpeg")


# The ward-5 complaint is assigned to the provider: only they (and those who manage ward 5) may
# move it; a ward admin of ward 9 does not see it (404); GET of the list is any staff member's.
EXPECTED = {
    "anonymous": {"list": 302, "status": 302},
    "citizen": {"list": 403, "status": 403},
    "provider": {"list": 200, "status": 302},
    "ward_admin": {"list": 200, "status": 302},
    "other_admin": {"list": 200, "status": 404},
    "super_admin": {"list": 200, "status": 302},
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_list(cast, complaint, console_as, role):
    response = console_as(person(cast, role)).get(WORK)

    assert response.status_code == EXPECTED[role]["list"]
    if role == "anonymous":
        assert response["Location"] == "/console/login/?next=/console/work/"
    if role == "citizen":
        assert "The console is for city staff" in response.content.decode()
    shown = complaint.tracking_number in response.content.decode()
    assert shown is (role == "provider")


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_status_form(cast, complaint, console_as, role):
    response = console_as(person(cast, role)).post(status_url(complaint), {"status": "in_progress"})

    assert response.status_code == EXPECTED[role]["status"]
    complaint.refresh_from_db()
    moved = EXPECTED[role]["status"] == 302 and role != "anonymous"
    assert complaint.status == ("প্রক্রিয়াধীন" if moved else "জমা দেওয়া হয়েছে")
    if moved:
        assert response["Location"] == WORK
    if role == "anonymous":
        assert response["Location"].startswith("/console/login/?next=")


def test_the_list_holds_only_the_viewers_assigned_work_open_and_oldest_first(cast, console_as):
    provider = cast.provider
    now = timezone.now()

    def filed(title, days, **extra):
        complaint = ComplaintFactory(assigned_to=provider, ward_number="5", title=title, **extra)
        Complaint.objects.filter(pk=complaint.pk).update(created_at=now - timedelta(days=days))
        return complaint

    filed("Newest open", 1)
    filed("Oldest open", 9, status="প্রক্রিয়াধীন")
    filed("Middle open", 4)
    filed("Done long ago", 20, status="সমাধান হয়েছে", resolved_at=now)
    ComplaintFactory(assigned_to=UserFactory(user_type="service_provider"), title="Not mine")
    ComplaintFactory(ward_number="5", title="Unassigned in ward five")

    page = console_as(provider).get(WORK).content.decode()

    titles = ["Oldest open", "Middle open", "Newest open", "Done long ago"]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Not mine" not in page
    assert "Unassigned in ward five" not in page
    assert "4 complaints assigned to you" in page


def test_a_ward_admin_never_sees_another_wards_work(cast, far_complaint, console_as):
    """Work is what is assigned to oneself: the ward-5 admin sees nothing of ward 9, and the
    ward-9 admin nothing of ward 5 unless given it."""
    ComplaintFactory(ward_number="5", assigned_to=cast.ward_admin, title="Ward five job")
    far_complaint.assigned_to = cast.other_admin
    far_complaint.save()

    five = console_as(cast.ward_admin).get(WORK).content.decode()
    nine = console_as(cast.other_admin).get(WORK).content.decode()

    assert "Ward five job" in five
    assert far_complaint.title not in five
    assert far_complaint.title in nine
    assert "Ward five job" not in nine
    assert console_as(cast.ward_admin).post(status_url(far_complaint), {}).status_code == 404


def test_the_actions_offered_follow_the_workflow(cast, complaint, console_as):
    client = console_as(cast.provider)

    submitted = client.get(WORK).content.decode()
    assert 'value="in_progress"' in submitted
    assert 'value="resolved"' not in submitted

    client.post(status_url(complaint), {"status": "in_progress", "comment": "On my way"})
    in_progress = client.get(WORK).content.decode()
    assert 'value="in_progress"' not in in_progress
    assert 'value="resolved"' in in_progress
    assert 'capture="environment"' in in_progress
    assert 'name="photo" accept="image/*" capture="environment" required' in in_progress

    client.post(status_url(complaint), {"status": "resolved", "photo": photo()})
    resolved = client.get(WORK).content.decode()
    assert complaint.tracking_number in resolved
    assert f'action="{status_url(complaint)}"' not in resolved  # no reopening from the list


def test_a_provider_cannot_resolve_without_a_photo_and_nothing_changes(cast, complaint, console_as):
    client = console_as(cast.provider)
    client.post(status_url(complaint), {"status": "in_progress"})

    response = client.post(status_url(complaint), {"status": "resolved"}, follow=True)

    assert "Attach a photo of the fixed spot to resolve the complaint." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "প্রক্রিয়াধীন"
    assert ComplaintUpdate.objects.filter(complaint=complaint).count() == 1


def test_a_provider_resolves_with_a_photo_seen_by_citizen_and_public(
    cast, complaint, console_as, api_as, client
):
    console = console_as(cast.provider)
    console.post(status_url(complaint), {"status": "in_progress"})

    response = console.post(
        status_url(complaint),
        {"status": "resolved", "comment": "Cleared", "photo": photo()},
        follow=True,
    )

    assert "Status changed to “Resolved”." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "সমাধান হয়েছে"
    update = ComplaintUpdate.objects.filter(complaint=complaint).latest("created_at")
    assert update.photo
    assert update.photo_thumbnail
    history = api_as(cast.citizen).get(f"/api/v1/complaints/{complaint.pk}/updates/").json()
    assert history[-1]["new_status_code"] == "resolved"
    assert history[-1]["photo_url"].endswith(update.photo.url)
    public = client.get(f"/track/{complaint.tracking_number}/").content.decode()
    assert update.photo_thumbnail.url in public or update.photo.url in public


def test_a_ward_admin_may_resolve_without_a_photo(cast, complaint, console_as):
    """The photo rule is the provider's (the field crew); a ward admin closing from the desk,
    e.g. a duplicate fixed earlier, may resolve without one."""
    client = console_as(cast.ward_admin)
    client.post(f"/console/complaints/{complaint.pk}/status/", {"status": "in_progress"})
    client.post(f"/console/complaints/{complaint.pk}/status/", {"status": "resolved"})
    complaint.refresh_from_db()
    assert complaint.status == "সমাধান হয়েছে"


def test_bad_input_is_reported_and_changes_nothing(cast, complaint, console_as):
    client = console_as(cast.provider)

    unknown = client.post(status_url(complaint), {"status": "done"}, follow=True)
    not_a_photo = client.post(
        status_url(complaint),
        {"status": "in_progress", "photo": SimpleUploadedFile("x.jpg", b"%PDF-1.4 no")},
        follow=True,
    )

    assert "Select a valid choice. done is not one of the available choices." in (
        unknown.content.decode()
    )
    assert not_a_photo.redirect_chain == [(WORK, 302)]
    assert "The file is not a JPEG, PNG, WebP or HEIC image." in not_a_photo.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "জমা দেওয়া হয়েছে"
    assert not ComplaintUpdate.objects.exists()


def test_the_status_form_needs_its_csrf_token(cast, complaint):
    client = Console(enforce_csrf_checks=True)
    client.force_login(cast.provider)

    assert client.post(status_url(complaint), {"status": "in_progress"}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == "জমা দেওয়া হয়েছে"


def test_the_nav_shows_my_work_to_every_staff_member_it_opens_for(cast, console_as):
    """The bar reads the sections registry: the work list opens for all staff (a super admin's
    is usually empty), so all staff have its link."""
    link = 'href="/console/work/"'
    for staff in (cast.provider, cast.ward_admin, cast.super_admin):
        assert link in console_as(staff).get("/console/").content.decode()
