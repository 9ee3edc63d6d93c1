"""Django admin for the gallery: categories managed there; photos go through the services."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from apps.gallery.models import GalleryCategory, GalleryImage
from apps.users.models import ActivityAction, ActivityLog

from .factories import GalleryImageFactory, upload

pytestmark = pytest.mark.django_db

PHOTOS = "/admin/gallery/galleryimage/"
CATEGORIES = "/admin/gallery/gallerycategory/"


@pytest.fixture
def operator(client, super_admin):
    client.force_login(super_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def form(categories, **overrides) -> dict:
    return {
        "title": "নতুন ডাস্টবিন",
        "title_en": "New bins",
        "description": "",
        "category": categories["infrastructure"].pk,
        "ward_number": "০৫",
        "image": upload(),
        **overrides,
    }


def test_pages_render(operator):
    image = GalleryImageFactory()
    assert operator.get(PHOTOS).status_code == 200
    assert operator.get(f"{PHOTOS}add/").status_code == 200
    page = operator.get(f"{PHOTOS}{image.pk}/change/")
    assert page.status_code == 200
    assert image.title in page.content.decode()
    assert operator.get(CATEGORIES).status_code == 200
    assert operator.get(f"{CATEGORIES}add/").status_code == 200


def test_adding_goes_through_the_service(operator, super_admin, categories):
    response = operator.post(f"{PHOTOS}add/", form(categories))
    assert response.status_code == 302, response.context["adminform"].form.errors
    image = GalleryImage.objects.get()
    assert (image.ward_number, image.category.slug, image.uploaded_by) == (
        "5",
        "infrastructure",
        super_admin,
    )
    assert (image.width, image.height) == (800, 600)
    assert default_storage.exists(image.thumbnail.name)
    created = ActivityLog.objects.get(action=ActivityAction.GALLERY_IMAGE_CREATED)
    assert created.resource_id == image.pk


def test_a_fake_image_is_a_form_error_and_nothing_is_stored(operator, categories):
    fake = upload(b"not a photo", name="bins.jpg")
    response = operator.post(f"{PHOTOS}add/", form(categories, image=fake))
    assert response.status_code == 200
    assert "image" in response.context["adminform"].form.errors
    assert not GalleryImage.objects.exists()


def test_editing_and_removing_go_through_the_service(operator, django_capture_on_commit_callbacks):
    image = GalleryImageFactory(title="পুরনো")
    files = [image.image.name, image.thumbnail.name]
    data = {
        "title": "নতুন",
        "title_en": "",
        "description": "",
        "category": image.category.pk,
        "ward_number": "5",
    }
    changed = operator.post(f"{PHOTOS}{image.pk}/change/", data)
    assert changed.status_code == 302
    image.refresh_from_db()
    assert image.title == "নতুন"
    assert ActivityLog.objects.filter(action=ActivityAction.GALLERY_IMAGE_UPDATED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        removed = operator.post(f"{PHOTOS}{image.pk}/delete/", {"post": "yes"})
    assert removed.status_code == 302
    assert not GalleryImage.objects.exists()
    assert ActivityLog.objects.filter(action=ActivityAction.GALLERY_IMAGE_DELETED).exists()
    assert not any(default_storage.exists(name) for name in files)


def test_a_category_holding_photos_cannot_be_deleted(operator, categories):
    GalleryImageFactory()
    assert operator.get(f"{CATEGORIES}{categories['cleanup'].pk}/delete/").status_code == 403
    assert operator.get(f"{CATEGORIES}{categories['events'].pk}/delete/").status_code == 200


def test_seed_demo_loads_the_categories_and_photos_once(django_capture_on_commit_callbacks):
    GalleryCategory.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        out, again = StringIO(), StringIO()
        call_command("seed_demo", stdout=out)
        call_command("seed_demo", stdout=again)
    slugs = list(GalleryCategory.objects.values_list("slug", flat=True))
    assert slugs == ["events", "cleanup", "before-after", "infrastructure"]
    images = GalleryImage.objects.select_related("category")
    assert images.count() == 4
    assert {image.category.slug for image in images} == set(slugs)
    assert all(max(image.width, image.height) <= 1920 for image in images)
    assert all(default_storage.exists(image.thumbnail.name) for image in images)
    assert "Demo gallery photos: 4" in out.getvalue()
    assert "Demo gallery photos" not in again.getvalue()
