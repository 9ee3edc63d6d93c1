"""Gallery screen: every URL × role, the grid, adding, editing and removing through the gallery
services (their refusals on the form, nothing stored), and the link in the sections bar."""

import pytest
from django.core.files.storage import default_storage

from apps.gallery.demo import demo_categories_load
from apps.gallery.models import GalleryImage
from apps.gallery.tests.factories import GalleryImageFactory, photo_bytes, upload
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import AdminPermissionFactory

ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]
GALLERY_RIGHTS = {
    "permission_type": "gallery",
    "resource_type": "gallery",
    "can_create": True,
    "can_read": True,
    "can_update": True,
    "can_delete": True,
}


@pytest.fixture
def studio(cast):
    """The cast with gallery rights: the ward admin for wards 5 and 6, the other for 9."""
    demo_categories_load()
    AdminPermissionFactory(admin=cast.ward_admin, ward_numbers=["5", "6"], **GALLERY_RIGHTS)
    AdminPermissionFactory(admin=cast.other_admin, ward_numbers=["9"], **GALLERY_RIGHTS)
    return cast


@pytest.fixture
def image(studio):
    return GalleryImageFactory(title="Canal cleanup in ward five", ward_number="5")


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def form(**changes):
    return {
        "title": "নতুন ডাস্টবিন",
        "title_en": "New bins",
        "description": "",
        "category": "infrastructure",
        "ward_number": "5",
        "image": upload(),
        **changes,
    }


def urls(image):
    return {
        "list": ("get", "/console/gallery/", {}),
        "new": ("get", "/console/gallery/new/", {}),
        "create": ("post", "/console/gallery/new/", form()),
        "edit": ("get", f"/console/gallery/{image.pk}/edit/", {}),
        "save": ("post", f"/console/gallery/{image.pk}/edit/", form(title="বদলানো", image="")),
        "remove": ("post", f"/console/gallery/{image.pk}/remove/", {}),
    }


# anonymous: to the sign-in page; citizen and provider: refused (no gallery rights); the other
# ward's admin sees the grid (the gallery is public) but may not change ward 5's photo (403 on
# its form; removing says so as a message), and ward 5 is not among the wards their form offers
# (so the form stays, with its error).
ALLOWED = {"list": 200, "new": 200, "create": 302, "edit": 200, "save": 302, "remove": 302}
EXPECTED = {
    "anonymous": dict.fromkeys(ALLOWED, 302),
    "citizen": dict.fromkeys(ALLOWED, 403),
    "provider": dict.fromkeys(ALLOWED, 403),
    "ward_admin": ALLOWED,
    "other_admin": {**ALLOWED, "create": 200, "edit": 403, "save": 403},
    "super_admin": ALLOWED,
}
CHANGES = {"create", "save", "remove"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_permission_matrix(studio, image, console_as, role, name):
    method, url, data = urls(image)[name]
    before = list(GalleryImage.objects.values().order_by("pk"))

    response = getattr(console_as(person(studio, role)), method)(url, data)

    assert response.status_code == EXPECTED[role][name]
    if role == "anonymous":
        assert response["Location"].startswith("/console/login/?next=")
    changed = list(GalleryImage.objects.values().order_by("pk")) != before
    allowed_to_change = role in ("ward_admin", "super_admin") and name in CHANGES
    assert changed == allowed_to_change, (role, name)


def test_the_bar_links_the_gallery_for_those_with_rights(studio, console_as):
    for role, shown in (("provider", False), ("ward_admin", True), ("super_admin", True)):
        page = console_as(getattr(studio, role)).get("/console/").content.decode()
        assert ('href="/console/gallery/"' in page) is shown, role


def test_the_grid_shows_thumbnails_and_actions_only_where_allowed(studio, image, console_as):
    far = GalleryImageFactory(title="Drain works in ward nine", ward_number="9")
    page = console_as(studio.ward_admin).get("/console/gallery/")
    html = page.content.decode()
    assert image.thumbnail.url in html
    assert far.thumbnail.url in html
    assert f"/console/gallery/{image.pk}/edit/" in html
    assert f"/console/gallery/{far.pk}/edit/" not in html
    assert f"/console/gallery/{far.pk}/remove/" not in html
    filtered = console_as(studio.ward_admin).get("/console/gallery/", {"ward_number": "9"})
    assert [row.pk for row in filtered.context["page"]] == [far.pk]


def test_adding_goes_through_the_service(studio, console_as):
    response = console_as(studio.ward_admin).post(
        "/console/gallery/new/", form(image=upload(photo_bytes(size=(3000, 2000))))
    )
    assert response.status_code == 302
    image = GalleryImage.objects.get()
    assert (image.title, image.ward_number, image.category.slug) == ("নতুন ডাস্টবিন", "5",
                                                                     "infrastructure")  # fmt: skip
    assert (image.width, image.height) == (1920, 1280)
    assert image.uploaded_by == studio.ward_admin
    assert ActivityLog.objects.filter(action=ActivityAction.GALLERY_IMAGE_CREATED).exists()


def test_a_fake_image_shows_on_the_form_and_nothing_is_stored(studio, console_as):
    response = console_as(studio.ward_admin).post(
        "/console/gallery/new/", form(image=upload(b"not a photo", "x.jpg"))
    )
    assert response.status_code == 200
    assert "image" in response.context["form"].errors
    assert not GalleryImage.objects.exists()
    assert not default_storage.exists("gallery")


def test_a_ward_admin_is_not_offered_the_whole_city(studio, console_as):
    response = console_as(studio.ward_admin).post("/console/gallery/new/", form(ward_number=""))
    assert response.status_code == 200
    assert "ward_number" in response.context["form"].errors
    assert not GalleryImage.objects.exists()
    city = console_as(studio.super_admin).post("/console/gallery/new/", form(ward_number=""))
    assert city.status_code == 302
    assert GalleryImage.objects.get().ward_number is None


def test_editing_keeps_the_photo_and_removing_deletes_its_files(studio, image, console_as):
    client = console_as(studio.ward_admin)
    files = [image.image.name, image.thumbnail.name]
    saved = client.post(f"/console/gallery/{image.pk}/edit/", form(title="বদলানো", image=""))
    assert saved.status_code == 302
    image.refresh_from_db()
    assert (image.title, image.image.name) == ("বদলানো", files[0])

    removed = client.post(f"/console/gallery/{image.pk}/remove/")
    assert removed.status_code == 302
    assert not GalleryImage.objects.exists()
    assert not any(default_storage.exists(name) for name in files)
