"""Kept pages of the complaint list (core/lists.py, pages.py): a page asked again is answered from
the cache, and every write of what it shows, through any path, retires it."""

from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.complaints import pages
from apps.complaints.enums import Status
from apps.complaints.models import Complaint, ComplaintImage, ComplaintUpdate
from apps.users.models import AdminPermission, User
from apps.users.tests.factories import AdminPermissionFactory, UserFactory
from core.lists import list_touch, lists_touch_everything

from .factories import ComplaintFactory, photo_bytes

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints/"


def numbers(client, query="") -> set[str]:
    response = client.get(f"{LIST}{query}")
    assert response.status_code == 200, response.content
    return {row["tracking_number"] for row in response.json()["results"]}


def kept(client, query="") -> set[str]:
    """numbers(), once the page is kept: the write that follows must retire it."""
    numbers(client, query)
    with CaptureQueriesContext(connection) as queries:
        shown = numbers(client, query)
    assert len(queries) == 0, "the page was not kept"
    return shown


def queries_of(client, path=LIST) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.content


def test_a_page_asked_again_is_the_same_bytes_without_the_database(cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    first_queries, first = queries_of(admin)
    again_queries, again = queries_of(admin)
    assert again == first
    assert first_queries > 0
    assert again_queries == 0
    assert admin.get(LIST)["Content-Type"] == "application/json"


def test_the_access_log_says_which_answers_were_kept(cast, complaint, api_as, caplog):
    admin = api_as(cast.ward_admin)
    kept(admin)
    caplog.clear()
    admin.get(LIST)
    admin.get(f"{LIST}?status=resolved")
    lines = [r.getMessage() for r in caplog.records if r.name == "clean_care.access"]
    assert lines[0].endswith(" page=kept")
    assert not lines[1].endswith(" page=kept")


def test_pages_are_kept_per_viewer_address_and_language(cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    english = admin.get(LIST, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    bengali = admin.get(LIST, HTTP_ACCEPT_LANGUAGE="bn").json()["results"][0]
    assert english["status_display"] != bengali["status_display"]
    other_host = admin.get(LIST, HTTP_HOST="localhost").json()
    assert other_host["count"] == 1
    # Another admin of the same wards has their own copy (their own assignments may differ).
    colleague = UserFactory(user_type="admin", name="Colleague")
    AdminPermissionFactory(admin=colleague, ward_numbers=["5"])
    assert numbers(api_as(colleague)) == {complaint.tracking_number}
    assert numbers(api_as(cast.provider)) == {complaint.tracking_number}


def test_the_browsable_api_is_rendered_as_usual(cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    admin.get(LIST)
    response = admin.get(f"{LIST}?format=api")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_filing_shows_at_once_to_the_owner_the_ward_and_the_city(cast, api_as):
    owner, admin, city = api_as(cast.owner), api_as(cast.ward_admin), api_as(cast.super_admin)
    far = api_as(cast.other_admin)
    for client in (owner, admin, city, far):
        assert kept(client) == set()
    created = owner.post(
        LIST,
        {"title": "Bins", "description": "Full", "category": "waste", "location": "Road 2",
         "ward_number": "6"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201
    number = created.json()["tracking_number"]
    assert numbers(owner) == numbers(admin) == numbers(city) == {number}
    assert numbers(far) == set()


def test_a_status_move_changes_every_page_showing_it(cast, complaint, api_as):
    admin, owner = api_as(cast.ward_admin), api_as(cast.owner)
    assert kept(admin) == {complaint.tracking_number}
    assert admin.get(LIST).json()["results"][0]["status"] == Status.SUBMITTED
    assert kept(owner, "?status=in_progress") == set()
    moved = admin.post(f"{LIST}{complaint.pk}/updates/", {"status": "in_progress"}, format="json")
    assert moved.status_code in (200, 201), moved.content
    assert admin.get(LIST).json()["results"][0]["status"] == Status.IN_PROGRESS
    assert numbers(owner, "?status=in_progress") == {complaint.tracking_number}


def test_reassigning_moves_it_between_the_providers_lists(cast, complaint, api_as):
    before, after = api_as(cast.provider), api_as(cast.other_provider)
    assert kept(before) == {complaint.tracking_number}
    assert kept(after) == set()
    response = api_as(cast.ward_admin).post(
        f"{LIST}{complaint.pk}/assign/", {"assigned_to": str(cast.other_provider.pk)}, format="json"
    )
    assert response.status_code == 200, response.content
    assert numbers(before) == set()
    assert numbers(after) == {complaint.tracking_number}


def test_moving_a_ward_leaves_the_old_wards_page(cast, api_as):
    complaint = ComplaintFactory(user=cast.owner, ward_number="9")
    nine, five = api_as(cast.other_admin), api_as(cast.ward_admin)
    assert kept(nine) == {complaint.tracking_number}
    assert kept(five) == set()
    moved = api_as(cast.super_admin).patch(
        f"{LIST}{complaint.pk}/", {"ward_number": "5"}, format="json"
    )
    assert moved.status_code == 200, moved.content
    assert numbers(nine) == set()
    assert numbers(five) == {complaint.tracking_number}


def test_photos_ratings_and_withdrawals_show_at_once(cast, api_as):
    owner = api_as(cast.owner)
    complaint = ComplaintFactory(user=cast.owner, ward_number="5")
    kept(owner)
    assert owner.get(LIST).json()["results"][0]["images"] == []
    added = owner.post(
        f"{LIST}{complaint.pk}/images/",
        {"images": [_upload()]},
        format="multipart",
    )
    assert added.status_code == 201, added.content
    kept(owner)
    assert len(owner.get(LIST).json()["results"][0]["images"]) == 1
    ComplaintImage.objects.filter(complaint=complaint).first().delete()
    assert owner.get(LIST).json()["results"][0]["images"] == []

    Complaint.objects.filter(pk=complaint.pk).update(
        status=Status.RESOLVED, resolved_at=timezone.now()
    )
    list_touch([pages.ANY, f"complaints:owner:{cast.owner.pk}"])  # update() sends no signal
    kept(owner)
    rated = owner.post(f"{LIST}{complaint.pk}/rate/", {"rating": 4}, format="json")
    assert rated.status_code == 200, rated.content
    assert owner.get(LIST).json()["results"][0]["rating"] == 4

    withdrawn = ComplaintFactory(user=cast.owner, ward_number="5")
    assert withdrawn.tracking_number in kept(owner)
    assert owner.delete(f"{LIST}{withdrawn.pk}/").status_code == 204
    assert withdrawn.tracking_number not in numbers(owner)


def test_a_row_saved_without_being_loaded_retires_every_page(cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    assert kept(admin) == {complaint.tracking_number}
    stranger = Complaint.objects.only("pk", "user_id", "title").get(pk=complaint.pk)
    stranger.ward_number = "9"
    stranger.save(update_fields=["ward_number"])
    assert numbers(admin) == set()


def test_a_permission_change_retires_the_admins_pages(cast, api_as):
    complaint = ComplaintFactory(user=cast.owner, ward_number="7")
    admin = api_as(cast.ward_admin)
    assert kept(admin) == set()
    AdminPermissionFactory(admin=cast.ward_admin, ward_numbers=["7"])
    assert kept(admin) == {complaint.tracking_number}
    AdminPermission.objects.filter(admin=cast.ward_admin, ward_numbers=["7"]).get().delete()
    assert numbers(admin) == set()


def test_a_page_rendered_before_the_commit_is_retired_by_the_commit(
    cast, complaint, api_as, django_capture_on_commit_callbacks
):
    owner = api_as(cast.owner)
    kept(owner)
    with django_capture_on_commit_callbacks() as callbacks:
        Complaint.objects.filter(pk=complaint.pk).update(title="Renamed")
        list_touch([f"complaints:owner:{cast.owner.pk}"])
        # Rendered while the write was in flight: kept under the token the write set first.
        assert owner.get(LIST).json()["results"][0]["title"] == "Renamed"
        Complaint.objects.filter(pk=complaint.pk).update(title="Renamed again")
    for callback in callbacks:  # the commit
        callback()
    assert owner.get(LIST).json()["results"][0]["title"] == "Renamed again"


def test_a_lost_generation_trusts_nothing(cast, complaint, api_as):
    owner = api_as(cast.owner)
    kept(owner)
    Complaint.objects.filter(pk=complaint.pk).update(title="Changed behind the cache")
    cache.delete(f"list:gen:complaints:owner:{cast.owner.pk}")
    assert owner.get(LIST).json()["results"][0]["title"] == "Changed behind the cache"


def test_nothing_is_kept_without_a_shared_cache(settings, cast, complaint, api_as):
    settings.LIST_CACHE_SECONDS = 0
    admin = api_as(cast.ward_admin)
    admin.get(LIST)
    queries, _content = queries_of(admin)
    assert queries > 0


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("more.jpg", photo_bytes(), content_type="image/jpeg")


def test_a_copy_loaded_before_a_move_and_saved_after_it_retires_where_it_was_moved(cast, api_as):
    complaint = ComplaintFactory(user=cast.owner, ward_number="5")
    old_copy = Complaint.objects.get(pk=complaint.pk)  # a shell holds it (ward 5)
    moved = api_as(cast.super_admin).patch(
        f"{LIST}{complaint.pk}/", {"ward_number": "9"}, format="json"
    )
    assert moved.status_code == 200, moved.content
    nine = api_as(cast.other_admin)
    assert kept(nine) == {complaint.tracking_number}
    old_copy.save()  # writes ward 5 back over the move
    assert numbers(nine) == set()


def test_a_rolled_back_move_leaves_nothing_wrongly_trusted(cast, api_as):
    complaint = Complaint.objects.get(pk=ComplaintFactory(user=cast.owner, ward_number="5").pk)
    five = api_as(cast.ward_admin)
    assert kept(five) == {complaint.tracking_number}

    def move_then_fail():
        with transaction.atomic():
            complaint.ward_number = "9"
            complaint.save(update_fields=["ward_number"])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        move_then_fail()
    assert kept(five) == {complaint.tracking_number}
    complaint.ward_number = "7"
    complaint.save(update_fields=["ward_number"])
    assert numbers(five) == set()


def test_a_photo_saved_from_a_copy_older_than_a_move_reaches_the_new_ward(cast, api_as):
    complaint = ComplaintFactory(user=cast.owner, ward_number="5")
    added = api_as(cast.owner).post(
        f"{LIST}{complaint.pk}/images/", {"images": [_upload()]}, format="multipart"
    )
    assert added.status_code == 201, added.content
    photo = ComplaintImage.objects.select_related("complaint").get(complaint=complaint)
    api_as(cast.super_admin).patch(f"{LIST}{complaint.pk}/", {"ward_number": "9"}, format="json")
    nine = api_as(cast.other_admin)
    kept(nine)
    photo.image_name = "renamed.jpg"
    photo.save()
    assert nine.get(LIST).json()["results"][0]["images"][0]["image_name"] == "renamed.jpg"


def test_a_writer_that_keeps_no_pages_still_retires_the_others(settings, cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    assert kept(admin) == {complaint.tracking_number}
    settings.LIST_CACHE_SECONDS = 0  # a worker or node started without kept pages
    Complaint.objects.get(pk=complaint.pk).delete()
    settings.LIST_CACHE_SECONDS = 120
    assert numbers(admin) == set()


def test_deleting_accounts_retires_the_pages_naming_them(cast, complaint, api_as):
    admin = api_as(cast.ward_admin)
    kept(admin)
    User.objects.get(pk=cast.provider.pk).delete()  # its assignments: an UPDATE, no signal
    assert admin.get(LIST).json()["results"][0]["assigned_to"] is None
    kept(admin)
    User.objects.get(pk=cast.owner.pk).delete()  # its complaints go with it
    assert numbers(admin) == set()


def test_work_outside_the_wards_handed_to_an_admin_reaches_their_pages(cast, api_as):
    complaint = ComplaintFactory(user=cast.owner, ward_number="9")
    admin = api_as(cast.ward_admin)
    assert kept(admin) == set()
    assert kept(admin, "?ward_number=5") == set()
    handed = api_as(cast.other_admin).post(
        f"{LIST}{complaint.pk}/assign/", {"assigned_to": str(cast.ward_admin.pk)}, format="json"
    )
    assert handed.status_code == 200, handed.content
    assert numbers(admin) == {complaint.tracking_number}
    assert numbers(admin, "?ward_number=9") == {complaint.tracking_number}


def test_a_complaints_own_answer_is_kept_and_retired_as_the_list_is(cast, complaint, api_as):
    detail = f"{LIST}{complaint.pk}/"
    owner, provider = api_as(cast.owner), api_as(cast.provider)
    owner.get(detail)
    owner.get(detail)
    queries, first = queries_of(owner, detail)
    assert queries == 0
    assert first == owner.get(detail).content
    provider.get(detail)
    assert queries_of(provider, detail)[0] == 0

    moved = api_as(cast.ward_admin).post(
        f"{detail}updates/", {"status": "in_progress", "comment": "On it"}, format="json"
    )
    assert moved.status_code in (200, 201), moved.content
    shown = owner.get(detail).json()
    assert shown["status"] == Status.IN_PROGRESS
    assert [update["comment"] for update in shown["updates"]] == ["On it"]

    handed = api_as(cast.ward_admin).post(
        f"{detail}assign/", {"assigned_to": str(cast.other_provider.pk)}, format="json"
    )
    assert handed.status_code == 200, handed.content
    assert provider.get(detail).status_code == 404
    assert api_as(cast.other_provider).get(detail).status_code == 200


def test_a_status_move_written_alone_retires_the_answer(cast, complaint, api_as):
    detail = f"{LIST}{complaint.pk}/"
    owner = api_as(cast.owner)
    owner.get(detail)
    owner.get(detail)
    ComplaintUpdate.objects.create(
        complaint=complaint,
        old_status=None,
        new_status=Status.SUBMITTED,
        comment="Noted",
        updated_by=cast.ward_admin,
    )
    assert [row["comment"] for row in owner.get(detail).json()["updates"]] == ["Noted"]


def test_the_parts_are_touched_after_the_row_is_written(cast, complaint, monkeypatch):
    """Outside a transaction on_commit runs at once: a touch before the UPDATE would let a
    reader take the new token to the old row."""
    seen = []
    monkeypatch.setattr(
        pages,
        "list_touch",
        lambda names: seen.append(Complaint.objects.get(pk=complaint.pk).ward_number),
    )
    moving = Complaint.objects.get(pk=complaint.pk)
    moving.ward_number = "9"
    moving.save()
    assert seen == ["9"]


def test_writes_that_name_nothing_retire_every_kept_answer(cast, complaint, api_as):
    owner = api_as(cast.owner)
    kept(owner)
    Complaint.objects.filter(pk=complaint.pk).update(title="Seeded over")
    lists_touch_everything()  # what the city seed and a restore call
    assert owner.get(LIST).json()["results"][0]["title"] == "Seeded over"


def test_a_page_is_not_kept_under_a_token_a_write_started_meanwhile(cast, complaint, api_as):
    """With no token yet (an eviction, a restart), the page is kept under the token its
    reader starts, unless a write's touch started one first."""
    owner = api_as(cast.owner)
    part = f"list:gen:complaints:owner:{cast.owner.pk}"
    cache.delete(part)
    real_add = cache.add

    def a_write_touches_first(key, value, *args, **kwargs):
        if key == part:
            list_touch([f"complaints:owner:{cast.owner.pk}"])
        return real_add(key, value, *args, **kwargs)

    with patch.object(cache, "add", a_write_touches_first):
        owner.get(LIST)
    assert queries_of(owner)[0] > 0  # not kept: rendered again
    assert queries_of(owner)[0] == 0
