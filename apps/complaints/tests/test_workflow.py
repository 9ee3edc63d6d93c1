"""Status moves, history, assignment, ratings, owner edits — and who may do each (the matrix)."""

import pytest

from apps.complaints.models import Complaint, ComplaintUpdate
from apps.users.models import ActivityLog

from .factories import ComplaintFactory, photo_bytes

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "other_citizen", "ward_admin", "other_admin", "provider",
         "other_provider", "super_admin"]  # fmt: skip


def client_for(role, cast, api, api_as):
    return api if role == "anonymous" else api_as(getattr(cast, role))


def url(complaint, suffix=""):
    return f"/api/v1/complaints/{complaint.pk}/{suffix}"


def move(client, complaint, status, comment=None):
    body = {"status": status}
    if comment is not None:
        body["comment"] = comment
    return client.post(url(complaint, "updates/"), body, format="json")


# --- visibility ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("owner", 200), ("other_citizen", 404), ("ward_admin", 200),
     ("other_admin", 404), ("provider", 200), ("other_provider", 404), ("super_admin", 200)],
)  # fmt: skip
def test_detail_and_history_matrix(role, expected, cast, complaint, api, api_as):
    client = client_for(role, cast, api, api_as)
    assert client.get(url(complaint)).status_code == expected
    assert client.get(url(complaint, "updates/")).status_code == expected


@pytest.mark.parametrize(
    ("role", "sees"),
    [("owner", True), ("other_citizen", False), ("ward_admin", True), ("other_admin", False),
     ("provider", True), ("other_provider", False), ("super_admin", True)],
)  # fmt: skip
def test_list_matrix(role, sees, cast, complaint, api_as):
    ComplaintFactory(ward_number="9")  # someone else's, in another ward, unassigned
    ids = [
        row["id"]
        for row in api_as(getattr(cast, role)).get("/api/v1/complaints/").json()["results"]
    ]
    assert (str(complaint.pk) in ids) is sees


def test_anonymous_cannot_list(api):
    assert api.get("/api/v1/complaints/").status_code == 401


# --- status changes -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("owner", 403), ("other_citizen", 404), ("ward_admin", 201),
     ("other_admin", 404), ("provider", 201), ("other_provider", 404), ("super_admin", 201)],
)  # fmt: skip
def test_status_change_matrix(role, expected, cast, complaint, api, api_as):
    response = move(client_for(role, cast, api, api_as), complaint, "in_progress", "On it")
    assert response.status_code == expected
    complaint.refresh_from_db()
    changed = expected == 201
    assert complaint.status == ("প্রক্রিয়াধীন" if changed else "জমা দেওয়া হয়েছে")
    assert ComplaintUpdate.objects.count() == (1 if changed else 0)


def test_a_ward_admin_who_may_only_read_cannot_change_status(cast, complaint, api_as):
    from apps.users.tests.factories import AdminPermissionFactory, UserFactory

    reader = UserFactory(user_type="admin")
    AdminPermissionFactory(admin=reader, ward_numbers=["5"], can_update=False)
    assert api_as(reader).get(url(complaint)).status_code == 200
    assert move(api_as(reader), complaint, "in_progress").status_code == 403


def test_the_full_workflow_keeps_a_consistent_history(cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    assert move(admin, complaint, "in_progress", "Crew sent").status_code == 201
    resolved = move(admin, complaint, "সমাধান হয়েছে", "Cleaned")
    assert resolved.status_code == 201
    complaint.refresh_from_db()
    assert complaint.resolved_at is not None
    reopened = admin.post(url(complaint, "updates/"), {"new_status": "in_progress"}, format="json")
    assert reopened.status_code == 201
    complaint.refresh_from_db()
    assert complaint.resolved_at is None

    history = api_as(cast.owner).get(url(complaint, "updates/")).json()
    assert [(h["old_status_code"], h["new_status_code"]) for h in history] == [
        ("submitted", "in_progress"),
        ("in_progress", "resolved"),
        ("resolved", "in_progress"),
    ]
    assert history[0]["comment"] == "Crew sent"
    assert history[0]["updated_by"] == str(cast.ward_admin.pk)
    assert ActivityLog.objects.filter(action="complaints.status_changed").count() == 3


@pytest.mark.parametrize(
    ("start", "target"),
    [("submitted", "resolved"), ("submitted", "submitted"), ("cancelled", "in_progress"),
     ("resolved", "cancelled"), ("in_progress", "submitted")],
)  # fmt: skip
def test_invalid_transitions_are_409_and_change_nothing(start, target, cast, complaint, api_as):
    from apps.complaints.enums import STATUS_CODES

    stored = {code: value for value, code in STATUS_CODES.items()}
    Complaint.objects.filter(pk=complaint.pk).update(
        status=stored[start], resolved_at=complaint.created_at if start == "resolved" else None
    )
    response = move(api_as(cast.super_admin), complaint, target)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    complaint.refresh_from_db()
    assert complaint.status == stored[start]
    assert not ComplaintUpdate.objects.exists()


def test_status_is_required_and_must_be_known(cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    assert (
        admin.post(url(complaint, "updates/"), {"comment": "x"}, format="json").status_code == 400
    )
    assert move(admin, complaint, "done").status_code == 400


# --- assignment ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("owner", 403), ("other_citizen", 403), ("ward_admin", 200),
     ("other_admin", 404), ("provider", 200), ("other_provider", 404), ("super_admin", 200)],
)  # fmt: skip
def test_assign_matrix(role, expected, cast, complaint, api, api_as):
    response = client_for(role, cast, api, api_as).post(
        url(complaint, "assign/"), {"assigned_to": str(cast.other_provider.pk)}, format="json"
    )
    assert response.status_code == expected
    complaint.refresh_from_db()
    assert (complaint.assigned_to == cast.other_provider) is (expected == 200)


def test_only_staff_can_be_assigned(cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    response = admin.post(
        url(complaint, "assign/"), {"assigned_to": str(cast.other_citizen.pk)}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_assignee"
    missing = admin.post(
        url(complaint, "assign/"),
        {"assigned_to": "00000000-0000-0000-0000-000000000000"},
        format="json",
    )
    assert missing.status_code == 404
    unassign = admin.post(url(complaint, "assign/"), {"assigned_to": None}, format="json")
    assert unassign.status_code == 200
    complaint.refresh_from_db()
    assert complaint.assigned_to is None


# --- rating -------------------------------------------------------------------------------------
def _resolve(cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    move(admin, complaint, "in_progress")
    move(admin, complaint, "resolved")


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("owner", 200), ("other_citizen", 404), ("ward_admin", 403),
     ("provider", 403), ("super_admin", 403)],
)  # fmt: skip
def test_rate_matrix(role, expected, cast, complaint, api, api_as):
    _resolve(cast, complaint, api_as)
    response = client_for(role, cast, api, api_as).post(
        url(complaint, "rate/"), {"rating": 4}, format="json"
    )
    assert response.status_code == expected
    complaint.refresh_from_db()
    assert complaint.rating == (4 if expected == 200 else None)


def test_rating_rules(cast, complaint, api_as):
    owner = api_as(cast.owner)
    early = owner.post(url(complaint, "rate/"), {"rating": 5}, format="json")
    assert early.status_code == 409
    assert early.json()["code"] == "not_resolved"
    _resolve(cast, complaint, api_as)
    for bad in (0, 6, "five", None):
        assert (
            owner.post(url(complaint, "rate/"), {"rating": bad}, format="json").status_code == 400
        )
    first = owner.post(
        url(complaint, "rate/"), {"rating": 5, "feedback": "দ্রুত সমাধান"}, format="json"
    )
    assert first.status_code == 200
    assert (first.json()["rating"], first.json()["feedback"]) == (5, "দ্রুত সমাধান")
    again = owner.post(url(complaint, "rate/"), {"rating": 1}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_rated"
    complaint.refresh_from_db()
    assert complaint.rating == 5


# --- owner edits, deletion, photos ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("owner", 200), ("other_citizen", 404), ("ward_admin", 400),
     ("other_admin", 404), ("provider", 400), ("super_admin", 400)],
)  # fmt: skip
def test_text_edit_matrix(role, expected, cast, complaint, api, api_as):
    response = client_for(role, cast, api, api_as).patch(
        url(complaint), {"title": "New title"}, format="json"
    )
    assert response.status_code == expected
    complaint.refresh_from_db()
    assert (complaint.title == "New title") is (expected == 200)


def test_staff_change_priority_and_ward_but_owners_only_while_submitted(cast, complaint, api_as):
    staff = api_as(cast.ward_admin).patch(
        url(complaint), {"priority": "high", "ward_number": "6"}, format="json"
    )
    assert staff.status_code == 200
    complaint.refresh_from_db()
    assert (complaint.priority, complaint.ward_number) == ("উচ্চ", "6")
    move(api_as(cast.ward_admin), complaint, "in_progress")
    late = api_as(cast.owner).patch(url(complaint), {"title": "Too late"}, format="json")
    assert late.status_code == 409
    assert late.json()["code"] == "not_editable"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("owner", 204), ("other_citizen", 404), ("ward_admin", 403),
     ("provider", 403), ("super_admin", 204)],
)  # fmt: skip
def test_delete_matrix(role, expected, cast, complaint, api, api_as):
    response = client_for(role, cast, api, api_as).delete(url(complaint))
    assert response.status_code == expected
    assert Complaint.objects.filter(pk=complaint.pk).exists() is (expected != 204)


def test_owner_cannot_delete_once_work_started(cast, complaint, api_as):
    move(api_as(cast.ward_admin), complaint, "in_progress")
    response = api_as(cast.owner).delete(url(complaint))
    assert response.status_code == 409
    assert Complaint.objects.filter(pk=complaint.pk).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("owner", 201), ("other_citizen", 404), ("ward_admin", 403),
     ("super_admin", 403)],
)  # fmt: skip
def test_add_images_matrix(role, expected, cast, complaint, api, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("a.jpg", photo_bytes(), content_type="image/jpeg")
    response = client_for(role, cast, api, api_as).post(
        url(complaint, "images/"), {"images": [photo]}, format="multipart"
    )
    assert response.status_code == expected
    assert complaint.images.count() == (1 if expected == 201 else 0)


def test_at_most_five_photos_in_all(cast, complaint, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def photos(n):
        return [
            SimpleUploadedFile(f"{i}.jpg", photo_bytes(), content_type="image/jpeg")
            for i in range(n)
        ]

    owner = api_as(cast.owner)
    assert (
        owner.post(url(complaint, "images/"), {"images": photos(3)}, format="multipart").status_code
        == 201
    )
    over = owner.post(url(complaint, "images/"), {"images": photos(3)}, format="multipart")
    assert over.status_code == 400
    assert over.json()["code"] == "too_many_images"
    assert complaint.images.count() == 3
    assert (
        owner.post(url(complaint, "images/"), {"images": photos(2)}, format="multipart").status_code
        == 201
    )
    assert complaint.images.count() == 5


def test_photos_matrix_covers_every_staff_role(cast, complaint, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for role, expected in (("provider", 403), ("other_admin", 404), ("other_provider", 404)):
        photo = SimpleUploadedFile("a.jpg", photo_bytes(), content_type="image/jpeg")
        response = api_as(getattr(cast, role)).post(
            url(complaint, "images/"), {"images": [photo]}, format="multipart"
        )
        assert response.status_code == expected, role
    assert complaint.images.count() == 0


def test_one_bad_photo_in_a_batch_adds_none(cast, complaint, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = SimpleUploadedFile("a.jpg", photo_bytes(), content_type="image/jpeg")
    bad = SimpleUploadedFile("b.jpg", b"not an image at all", content_type="image/jpeg")
    response = api_as(cast.owner).post(
        url(complaint, "images/"), {"images": [good, bad]}, format="multipart"
    )
    assert response.status_code == 415
    assert complaint.images.count() == 0


def test_staff_move_complaints_only_into_wards_they_manage(cast, complaint, api_as):
    outside = api_as(cast.ward_admin).patch(url(complaint), {"ward_number": "9"}, format="json")
    assert outside.status_code == 403
    inside = api_as(cast.ward_admin).patch(url(complaint), {"ward_number": "6"}, format="json")
    assert inside.status_code == 200
    provider = api_as(cast.provider).patch(url(complaint), {"ward_number": "5"}, format="json")
    assert provider.status_code == 400
    assert provider.json()["code"] == "field_not_editable"
    anywhere = api_as(cast.super_admin).patch(url(complaint), {"ward_number": "70"}, format="json")
    assert anywhere.status_code == 200
    complaint.refresh_from_db()
    assert complaint.ward_number == "70"


def test_an_assigned_ward_admin_may_act_without_an_update_row(cast, complaint, api_as):
    """Assignment makes someone responsible for that one complaint, whatever their ward rows."""
    from apps.users.tests.factories import UserFactory

    helper = UserFactory(user_type="admin")
    api_as(cast.super_admin).post(
        url(complaint, "assign/"), {"assigned_to": str(helper.pk)}, format="json"
    )
    assert move(api_as(helper), complaint, "in_progress").status_code == 201


# ---------------------------------------------------------------------------------------------
# Proof of the fix
# ---------------------------------------------------------------------------------------------
def _photo(name="fixed.jpg", content=None):
    import io

    from .factories import photo_bytes

    upload = io.BytesIO(content if content is not None else photo_bytes(color="blue"))
    upload.name = name
    return upload


def test_a_resolution_with_a_photo_shows_it_to_the_citizen_and_the_public(api, api_as):
    from apps.complaints.models import ComplaintUpdate
    from apps.users.tests.factories import UserFactory

    from .factories import ComplaintFactory

    provider = UserFactory(user_type="service_provider")
    complaint = ComplaintFactory(status="প্রক্রিয়াধীন", assigned_to=provider)
    response = api_as(provider).post(
        f"/api/v1/complaints/{complaint.pk}/updates/",
        {"status": "resolved", "comment": "পরিষ্কার করা হয়েছে", "photo": _photo()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["photo_url"].startswith("http://testserver/media/complaints/")
    update = ComplaintUpdate.objects.get(complaint=complaint)
    assert update.photo
    assert update.photo_thumbnail
    history = api_as(complaint.user).get(f"/api/v1/complaints/{complaint.pk}/updates/").json()
    assert history[-1]["photo_url"] == response.json()["photo_url"]
    public = api.get(f"/api/v1/complaints/track/{complaint.tracking_number}/").json()
    assert public["history"][-1]["photo_url"] == response.json()["photo_url"]


def test_a_service_provider_resolves_only_with_a_photo_of_the_fix(api_as):
    from apps.complaints.models import ComplaintUpdate
    from apps.users.tests.factories import UserFactory

    from .factories import ComplaintFactory

    provider = UserFactory(user_type="service_provider")
    complaint = ComplaintFactory(status="প্রক্রিয়াধীন", assigned_to=provider)
    response = api_as(provider).post(
        f"/api/v1/complaints/{complaint.pk}/updates/",
        {"status": "resolved", "comment": "Done"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "proof_photo_required"
    assert body["details"] == {
        "photo": ["অভিযোগটি সমাধান হয়েছে বলতে মেরামত করা জায়গার একটি ছবি যোগ করুন।"]
    }
    complaint.refresh_from_db()
    assert complaint.status == "প্রক্রিয়াধীন"
    assert not ComplaintUpdate.objects.filter(complaint=complaint).exists()


def test_a_fake_proof_photo_changes_nothing(api_as):
    from apps.complaints.models import ComplaintUpdate
    from apps.users.tests.factories import UserFactory

    from .factories import ComplaintFactory

    provider = UserFactory(user_type="service_provider")
    complaint = ComplaintFactory(status="প্রক্রিয়াধীন", assigned_to=provider)
    response = api_as(provider).post(
        f"/api/v1/complaints/{complaint.pk}/updates/",
        {"status": "resolved", "photo": _photo("x.jpg", b"%PDF-1.4 not a photo")},
        format="multipart",
    )
    assert response.status_code == 415
    complaint.refresh_from_db()
    assert complaint.status == "প্রক্রিয়াধীন"
    assert not ComplaintUpdate.objects.filter(complaint=complaint).exists()
