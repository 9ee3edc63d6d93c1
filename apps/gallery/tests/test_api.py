"""REST endpoints of /gallery/: the permission matrix, the photo object, filters, bad input."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from apps.gallery.models import GalleryImage
from apps.users.models import ActivityAction, ActivityLog

from .conftest import ROLES, gallery_admin
from .factories import GalleryImageFactory, photo_bytes, upload

pytestmark = pytest.mark.django_db

GALLERY = "/api/v1/gallery/"
OBJECT_KEYS = {
    "id", "title", "title_en", "description", "category", "category_display", "image_url",
    "thumbnail_url", "width", "height", "view_count", "ward_number", "created_at",
}  # fmt: skip


def client_for(api, api_as, person):
    return api if person is None else api_as(person)


def fields(**overrides) -> dict:
    return {
        "title": "খাল পরিষ্কার অভিযান",
        "description": "স্বেচ্ছাসেবকেরা খাল পরিষ্কার করেছেন।",
        "category": "cleanup",
        "ward_number": "5",
        "image": upload(),
        **overrides,
    }


def stored_files() -> set[str]:
    found = set()

    def walk(path):
        try:
            dirs, files = default_storage.listdir(path)
        except FileNotFoundError:
            return
        found.update(f"{path}/{name}" for name in files)
        for name in dirs:
            walk(f"{path}/{name}")

    walk("gallery")
    return found


def write_status(who: str, allowed: set, *, success: int) -> int:
    if who == "anonymous":
        return 401
    if who in ("citizen", "other_citizen", "provider"):
        return 403
    return success if who in allowed else 403


WARD5_WRITERS = {"ward_admin", "super_admin"}


# ---------------------------------------------------------------------------------------------
# The permission matrix
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ROLES)
class TestMatrix:
    def test_list_detail_and_categories_are_public(self, api, api_as, people, who):
        ward5, city = GalleryImageFactory(), GalleryImageFactory(ward_number=None)
        client = client_for(api, api_as, people[who])
        listed = client.get(GALLERY)
        assert listed.status_code == 200
        assert {row["id"] for row in listed.json()["results"]} == {str(ward5.pk), str(city.pk)}
        assert client.get(f"{GALLERY}{ward5.pk}/").status_code == 200
        assert client.get(f"{GALLERY}categories/").status_code == 200

    def test_add_for_ward_5(self, api, api_as, people, who):
        response = client_for(api, api_as, people[who]).post(GALLERY, fields(), format="multipart")
        expected = write_status(who, WARD5_WRITERS, success=201)
        assert response.status_code == expected, response.content
        assert GalleryImage.objects.count() == (1 if expected == 201 else 0)
        assert bool(stored_files()) == (expected == 201)

    def test_add_for_the_whole_city(self, api, api_as, people, who):
        response = client_for(api, api_as, people[who]).post(
            GALLERY, fields(ward_number=""), format="multipart"
        )
        expected = write_status(who, {"super_admin"}, success=201)
        assert response.status_code == expected, response.content
        assert GalleryImage.objects.count() == (1 if expected == 201 else 0)
        assert bool(stored_files()) == (expected == 201)

    def test_edit(self, api, api_as, people, who):
        image = GalleryImageFactory(title="পুরনো শিরোনাম")
        client = client_for(api, api_as, people[who])
        patch = client.patch(f"{GALLERY}{image.pk}/", {"title": "নতুন"}, format="multipart")
        put = client.put(
            f"{GALLERY}{image.pk}/",
            {"title": "আরও নতুন", "category": "events", "ward_number": "5"},
            format="multipart",
        )
        expected = write_status(who, WARD5_WRITERS, success=200)
        assert (patch.status_code, put.status_code) == (expected, expected)
        image.refresh_from_db()
        assert image.title == ("আরও নতুন" if expected == 200 else "পুরনো শিরোনাম")

    def test_edit_a_city_wide_photo(self, api, api_as, people, who):
        image = GalleryImageFactory(ward_number=None, title="পুরনো")
        response = client_for(api, api_as, people[who]).patch(
            f"{GALLERY}{image.pk}/", {"title": "নতুন"}, format="multipart"
        )
        assert response.status_code == write_status(who, {"super_admin"}, success=200)

    def test_remove(self, api, api_as, people, who):
        image = GalleryImageFactory()
        files = {image.image.name, image.thumbnail.name}
        response = client_for(api, api_as, people[who]).delete(f"{GALLERY}{image.pk}/")
        expected = write_status(who, WARD5_WRITERS, success=204)
        assert response.status_code == expected
        removed = expected == 204
        assert GalleryImage.objects.filter(pk=image.pk).exists() == (not removed)
        assert all(default_storage.exists(name) != removed for name in files)


# ---------------------------------------------------------------------------------------------
# The photo object, the list, the categories
# ---------------------------------------------------------------------------------------------
def test_added_photo_is_stored_without_metadata_and_its_long_side_at_most_1920(api_as, ward_admin):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # rotated: the stored photo must come out upright
    exif[0x8825] = {1: "N", 2: (23.0, 44.0, 24.0), 3: "E", 4: (90.0, 25.0, 36.0)}
    big = photo_bytes(size=(4000, 3000), exif=exif.tobytes(), comment=b"private note")

    response = api_as(ward_admin).post(GALLERY, fields(image=upload(big)), format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == OBJECT_KEYS
    assert (body["width"], body["height"]) == (1440, 1920)
    assert body["image_url"].startswith("http://testserver/media/gallery/")
    assert body["thumbnail_url"].startswith("http://testserver/media/gallery/")
    image = GalleryImage.objects.get()
    with image.image.open("rb") as handle:
        raw = handle.read()
    stored = Image.open(io.BytesIO(raw))
    assert (stored.format, stored.size) == ("JPEG", (1440, 1920))
    assert not stored.getexif()
    assert b"PhoneMaker" not in raw
    assert b"private note" not in raw
    with image.thumbnail.open("rb") as handle:
        thumbnail = Image.open(handle)
        assert max(thumbnail.size) == 480
        assert not thumbnail.getexif()
    assert image.uploaded_by == ward_admin


def test_the_photo_object(api, ward_admin):
    image = GalleryImageFactory(
        title="খাল", title_en="Canal", description="বর্ণনা", ward_number="5", view_count=4
    )
    body = api.get(f"{GALLERY}{image.pk}/").json()
    assert {
        key: body[key] for key in OBJECT_KEYS - {"image_url", "thumbnail_url", "created_at"}
    } == {
        "id": str(image.pk),
        "title": "খাল",
        "title_en": "Canal",
        "description": "বর্ণনা",
        "category": "cleanup",
        "category_display": "পরিচ্ছন্নতা অভিযান",
        "width": 800,
        "height": 600,
        "view_count": 5,
        "ward_number": "5",
    }
    english = api.get(f"{GALLERY}{image.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["category_display"], english["view_count"]) == ("Cleanup drives", 6)


def test_each_view_counts_and_the_answer_shows_the_new_count(api, api_as, citizen):
    image = GalleryImageFactory()
    counts = [api.get(f"{GALLERY}{image.pk}/").json()["view_count"] for _ in range(3)]
    counts.append(api_as(citizen).get(f"{GALLERY}{image.pk}/").json()["view_count"])
    assert counts == [1, 2, 3, 4]
    image.refresh_from_db()
    assert image.view_count == 4
    assert api.get(GALLERY).json()["results"][0]["view_count"] == 4  # the list counts nothing


def test_an_unknown_photo_is_404(api):
    response = api.get(f"{GALLERY}9a4c2e71-3b58-4f0d-a6e2-51c8d7f40b93/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_the_list_is_newest_first_paginated_and_filtered(api, categories):
    old = GalleryImageFactory(category=categories["events"], ward_number="12")
    middle = GalleryImageFactory(ward_number=None)
    new = GalleryImageFactory()

    body = api.get(GALLERY, {"page_size": 2}).json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [str(new.pk), str(middle.pk)]
    assert body["next"] is not None

    def listed(**query):
        response = api.get(GALLERY, query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert listed(category="events") == [str(old.pk)]
    assert listed(category="cleanup") == [str(new.pk), str(middle.pk)]
    assert listed(ward_number="১২") == [str(old.pk)]
    assert listed(ward_number="05") == [str(new.pk)]
    assert listed(category="infrastructure") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({"category": "sofa"}, "category"), ({"ward_number": "999"}, "ward_number")],
)
def test_unknown_list_filters_are_400(api, query, field):
    response = api.get(GALLERY, query)
    assert response.status_code == 400
    assert field in response.json()["details"]


def test_categories_in_the_readers_language_with_counts(api, categories):
    GalleryImageFactory()
    GalleryImageFactory()
    GalleryImageFactory(category=categories["events"])
    categories["infrastructure"].is_active = False
    categories["infrastructure"].save()

    body = api.get(f"{GALLERY}categories/").json()
    assert body == [
        {"slug": "events", "name": "অনুষ্ঠান", "count": 1},
        {"slug": "cleanup", "name": "পরিচ্ছন্নতা অভিযান", "count": 2},
        {"slug": "before-after", "name": "আগে ও পরে", "count": 0},
    ]
    english = api.get(f"{GALLERY}categories/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [row["name"] for row in english] == ["Events", "Cleanup drives", "Before and after"]


# ---------------------------------------------------------------------------------------------
# Writes: audit, edits, files
# ---------------------------------------------------------------------------------------------
def test_every_write_is_audited(api_as, ward_admin):
    client = api_as(ward_admin)
    image_id = client.post(GALLERY, fields(), format="multipart").json()["id"]
    client.patch(f"{GALLERY}{image_id}/", {"title_en": "Canal"}, format="multipart")
    client.delete(f"{GALLERY}{image_id}/")
    rows = ActivityLog.objects.filter(user=ward_admin, resource_id=image_id).order_by("created_at")
    assert [row.action for row in rows] == [
        ActivityAction.GALLERY_IMAGE_CREATED,
        ActivityAction.GALLERY_IMAGE_UPDATED,
        ActivityAction.GALLERY_IMAGE_DELETED,
    ]
    assert rows[1].details == {"fields": ["title_en"]}


def test_an_edit_that_changes_nothing_writes_no_audit_row(api_as, ward_admin):
    image = GalleryImageFactory(title="একই")
    response = api_as(ward_admin).patch(
        f"{GALLERY}{image.pk}/", {"title": "একই"}, format="multipart"
    )
    assert response.status_code == 200
    assert not ActivityLog.objects.filter(action=ActivityAction.GALLERY_IMAGE_UPDATED).exists()


def test_a_new_photo_replaces_the_old_files(api_as, ward_admin):
    image = GalleryImageFactory()
    old = {image.image.name, image.thumbnail.name}
    response = api_as(ward_admin).patch(
        f"{GALLERY}{image.pk}/", {"image": upload(photo_bytes(size=(640, 480)))}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["width"], response.json()["height"]) == (640, 480)
    image.refresh_from_db()
    assert stored_files() == {image.image.name, image.thumbnail.name}
    assert not old & stored_files()


def test_a_ward_admin_cannot_move_a_photo_to_a_ward_they_do_not_manage(api_as, ward_admin):
    image = GalleryImageFactory()
    for ward in ("12", ""):
        response = api_as(ward_admin).patch(
            f"{GALLERY}{image.pk}/", {"ward_number": ward}, format="multipart"
        )
        assert response.status_code == 403
    image.refresh_from_db()
    assert image.ward_number == "5"


def test_create_rights_alone_do_not_remove_or_edit(api_as):
    author = gallery_admin(["5"], can_update=False, can_delete=False)
    client = api_as(author)
    created = client.post(GALLERY, fields(), format="multipart")
    assert created.status_code == 201
    image_id = created.json()["id"]
    assert (
        client.patch(f"{GALLERY}{image_id}/", {"title": "x"}, format="multipart").status_code == 403
    )
    assert client.delete(f"{GALLERY}{image_id}/").status_code == 403
    assert GalleryImage.objects.filter(pk=image_id).exists()


# ---------------------------------------------------------------------------------------------
# Bad input: the documented error, nothing stored
# ---------------------------------------------------------------------------------------------
def _refused_with_nothing_stored(response, status, field=None):
    assert response.status_code == status, response.content
    if field is not None:
        assert field in response.json()["details"], response.json()
    assert not GalleryImage.objects.exists()
    assert stored_files() == set()
    assert not ActivityLog.objects.filter(action=ActivityAction.GALLERY_IMAGE_CREATED).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "sofa"}, "category"),
        ({"category": ""}, "category"),
        ({"ward_number": "999"}, "ward_number"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "ক" * 201}, "title"),
    ],
)
def test_bad_fields_are_400_with_nothing_stored(api_as, ward_admin, change, field):
    response = api_as(ward_admin).post(GALLERY, fields(**change), format="multipart")
    _refused_with_nothing_stored(response, 400, field)


@pytest.mark.parametrize("missing", ["title", "category", "image"])
def test_missing_fields_are_400_with_nothing_stored(api_as, ward_admin, missing):
    body = {key: value for key, value in fields().items() if key != missing}
    response = api_as(ward_admin).post(GALLERY, body, format="multipart")
    _refused_with_nothing_stored(response, 400, missing)


def test_an_inactive_category_takes_no_new_photos(api_as, ward_admin, categories):
    categories["cleanup"].is_active = False
    categories["cleanup"].save()
    response = api_as(ward_admin).post(GALLERY, fields(), format="multipart")
    _refused_with_nothing_stored(response, 400, "category")


def test_a_fake_image_is_415_with_nothing_stored(api_as, ward_admin):
    fake = upload(b"MZ\x90\x00 not a photo at all", name="photo.jpg")
    response = api_as(ward_admin).post(GALLERY, fields(image=fake), format="multipart")
    _refused_with_nothing_stored(response, 415, "image")
    assert response.json()["code"] == "unsupported_media_type"


def test_a_6mb_photo_is_413_with_nothing_stored(api_as, ward_admin):
    data = photo_bytes("PNG") + b"\0" * (6 * 1024 * 1024)
    response = api_as(ward_admin).post(
        GALLERY, fields(image=upload(data, "big.png", "image/png")), format="multipart"
    )
    _refused_with_nothing_stored(response, 413, "image")
    assert response.json()["code"] == "too_large"


def test_a_refused_edit_leaves_the_photo_and_its_files(api_as, ward_admin):
    image = GalleryImageFactory(title="পুরনো")
    before = stored_files()
    fake = upload(b"not a photo", name="x.jpg")
    response = api_as(ward_admin).patch(
        f"{GALLERY}{image.pk}/", {"title": "নতুন", "image": fake}, format="multipart"
    )
    assert response.status_code == 415
    bad_category = api_as(ward_admin).patch(
        f"{GALLERY}{image.pk}/", {"category": "sofa", "image": upload()}, format="multipart"
    )
    assert bad_category.status_code == 400
    image.refresh_from_db()
    assert (image.title, image.category.slug) == ("পুরনো", "cleanup")
    assert stored_files() == before
