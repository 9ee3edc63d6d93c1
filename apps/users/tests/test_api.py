"""End-to-end tests of /users/: own profile and avatar, the staff user list and detail, wards."""

import io
import os
from datetime import datetime
from types import SimpleNamespace
from uuid import uuid4

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.authentication.services import tokens_for_user
from apps.users.models import ActivityLog, User
from apps.users.tests.factories import DEFAULT_PASSWORD, AdminPermissionFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE_URL = "/api/v1/users/profile/"
AVATAR_URL = "/api/v1/users/profile/avatar/"
LIST_URL = "/api/v1/users/"
USER_KEYS = {
    "id",
    "phone",
    "name",
    "email",
    "nid",
    "address",
    "ward_number",
    "user_type",
    "user_type_display",
    "is_verified",
    "language",
    "profile_picture_url",
    "created_at",
}
STAFF_KEYS = USER_KEYS | {"is_active", "last_login", "updated_at"}


def detail_url(user) -> str:
    return f"/api/v1/users/{user.pk}/"


def snapshot(user) -> dict:
    """Every stored column of ``user``, to prove a refused request changed nothing."""
    return User.objects.filter(pk=user.pk).values().get()


def media_files() -> list[str]:
    return [
        os.path.join(root, name)
        for root, _dirs, names in os.walk(settings.MEDIA_ROOT)
        for name in names
    ]


# --- images built in memory ---------------------------------------------------------------------
RED, BLUE = (220, 0, 0), (0, 0, 220)


def jpeg_with_exif() -> bytes:
    """An 800×600 photo, left half red, right half blue, with GPS, maker and orientation 6."""
    image = Image.new("RGB", (800, 600), RED)
    image.paste(BLUE, (400, 0, 800, 600))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "SecretPhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (23.0, 48.0, 36.0), 3: "E", 4: (90.0, 24.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_avatar(client, data: bytes, **kwargs):
    return client.post(AVATAR_URL, {"avatar": upload(data, **kwargs)}, format="multipart")


def stored_avatar(user) -> tuple[bytes, Image.Image]:
    user.refresh_from_db()
    with user.profile_picture.open("rb") as handle:
        raw = handle.read()
    return raw, Image.open(io.BytesIO(raw))


# --- profile: read ------------------------------------------------------------------------------
def test_profile_get_returns_the_exact_user_object(api_as):
    user = UserFactory(
        phone="+8801812345678",
        name="Rahima Begum",
        email="rahima@example.com",
        nid="1234567890",
        address="12 Shantinagar",
        ward_number="5",
    )

    response = api_as(user).get(PROFILE_URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == USER_KEYS
    assert datetime.fromisoformat(body.pop("created_at")) == user.created_at
    assert body == {
        "id": str(user.pk),
        "phone": "+8801812345678",
        "name": "Rahima Begum",
        "email": "rahima@example.com",
        "nid": "1234567890",
        "address": "12 Shantinagar",
        "ward_number": "5",
        "user_type": "citizen",
        "user_type_display": "Citizen",
        "is_verified": True,
        "language": "bn",
        "profile_picture_url": None,
    }


def test_profile_needs_a_signed_in_user(api):
    for method in ("get", "put", "patch"):
        response = getattr(api, method)(PROFILE_URL, {}, format="json")
        assert response.status_code == 401, method
        assert response.json()["code"] == "not_authenticated"


# --- profile: edit ------------------------------------------------------------------------------
def test_profile_patch_changes_fields_and_logs_them(api_as, citizen):
    response = api_as(citizen).patch(
        PROFILE_URL,
        {"name": "  Rahima Begum  ", "address": "House 3, Road 7", "language": "en"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == USER_KEYS
    assert (body["name"], body["address"], body["language"]) == (
        "Rahima Begum",
        "House 3, Road 7",
        "en",
    )
    citizen.refresh_from_db()
    assert (citizen.name, citizen.address, citizen.language) == (
        "Rahima Begum",
        "House 3, Road 7",
        "en",
    )
    log = ActivityLog.objects.get()
    assert log.action == "users.profile_updated"
    assert log.user == citizen
    assert (log.resource_type, log.resource_id) == ("user", citizen.pk)
    assert log.details == {"fields": ["name", "address", "language"]}


def test_profile_patch_with_the_same_values_logs_nothing(api_as, citizen):
    before = snapshot(citizen)

    response = api_as(citizen).patch(
        PROFILE_URL, {"name": citizen.name, "ward_number": "5"}, format="json"
    )

    assert response.status_code == 200
    assert snapshot(citizen) == before
    assert not ActivityLog.objects.exists()


@pytest.mark.parametrize("empty", [None, ""])
def test_profile_patch_with_null_or_blank_clears_optional_fields(api_as, empty):
    user = UserFactory(
        email="rahima@example.com", nid="1234567890", address="12 Shantinagar", ward_number="5"
    )
    cleared = {"email": empty, "nid": empty, "address": empty, "ward_number": empty}

    response = api_as(user).patch(PROFILE_URL, cleared, format="json")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in cleared} == dict.fromkeys(cleared)
    user.refresh_from_db()
    assert (user.email, user.nid, user.address, user.ward_number) == (None, None, None, None)
    assert user.name == body["name"]
    assert ActivityLog.objects.get().details == {
        "fields": ["email", "nid", "address", "ward_number"]
    }


@pytest.mark.parametrize("spelling", ["০৭", "৭", "07", " 7 "])
def test_profile_ward_in_any_digits_is_stored_canonically(api_as, citizen, spelling):
    response = api_as(citizen).patch(PROFILE_URL, {"ward_number": spelling}, format="json")

    assert response.status_code == 200
    assert response.json()["ward_number"] == "7"
    citizen.refresh_from_db()
    assert citizen.ward_number == "7"


def test_profile_ward_in_bengali_digits_with_leading_zero(api_as, citizen):
    citizen.ward_number = None
    citizen.save(update_fields=["ward_number"])

    response = api_as(citizen).patch(PROFILE_URL, {"ward_number": "০৫"}, format="json")

    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.ward_number == "5"


@pytest.mark.parametrize("ward", ["99", "০", "76", "Motijheel"])
def test_profile_unknown_ward_is_400_and_nothing_changes(api_as, citizen, ward):
    before = snapshot(citizen)

    response = api_as(citizen).patch(
        PROFILE_URL, {"name": "Someone Else", "ward_number": ward}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert set(body["details"]) == {"ward_number"}
    assert snapshot(citizen) == before
    assert not ActivityLog.objects.exists()


@pytest.mark.parametrize(
    "nid", ["12345", "12345678901", "abcdefghij", "১২৩৪৫৬৭৮৯০", "123456789012345678"]
)
def test_profile_invalid_nid_is_400_and_nothing_changes(api_as, citizen, nid):
    before = snapshot(citizen)

    response = api_as(citizen).patch(PROFILE_URL, {"name": "New Name", "nid": nid}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert set(body["details"]) == {"nid"}
    assert snapshot(citizen) == before
    assert not ActivityLog.objects.exists()


@pytest.mark.parametrize("nid", ["1234567890", "1234567890123", "12345678901234567"])
def test_profile_accepts_nids_of_10_13_and_17_digits(api_as, citizen, nid):
    response = api_as(citizen).patch(PROFILE_URL, {"nid": nid}, format="json")

    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.nid == nid


@pytest.mark.parametrize("spelling", ["rahima@example.com", "RAHIMA@Example.COM"])
def test_profile_email_of_another_account_is_400_whatever_its_case(api_as, citizen, spelling):
    UserFactory(email="Rahima@example.com")
    before = snapshot(citizen)

    response = api_as(citizen).patch(
        PROFILE_URL, {"name": "New Name", "email": spelling}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "email_taken"
    assert set(body["details"]) == {"email"}
    assert snapshot(citizen) == before
    assert not ActivityLog.objects.exists()


def test_profile_keeping_ones_own_email_in_another_case_is_allowed(api_as):
    user = UserFactory(email="rahima@example.com")

    response = api_as(user).patch(PROFILE_URL, {"email": "Rahima@Example.com"}, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "Rahima@Example.com"


def test_profile_invalid_email_is_400(api_as, citizen):
    before = snapshot(citizen)

    response = api_as(citizen).patch(PROFILE_URL, {"email": "not-an-email"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"email"}
    assert snapshot(citizen) == before


def test_profile_ignores_phone_role_and_verification_in_the_body(api_as, citizen):
    phone = citizen.phone

    response = api_as(citizen).patch(
        PROFILE_URL,
        {
            "name": "Rahima Begum",
            "phone": "+8801999999999",
            "user_type": "super_admin",
            "is_verified": False,
            "is_staff": True,
            "is_superuser": True,
            "is_active": False,
        },
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["phone"], body["user_type"], body["is_verified"]) == (phone, "citizen", True)
    citizen.refresh_from_db()
    assert citizen.name == "Rahima Begum"
    assert (citizen.phone, citizen.user_type) == (phone, "citizen")
    assert (citizen.is_verified, citizen.is_staff, citizen.is_superuser, citizen.is_active) == (
        True,
        False,
        False,
        True,
    )
    assert ActivityLog.objects.get().details == {"fields": ["name"]}
    # Still a citizen: the staff list stays closed.
    assert api_as(citizen).get(LIST_URL).status_code == 403


def test_profile_put_replaces_the_profile(api_as, citizen):
    response = api_as(citizen).put(
        PROFILE_URL,
        {"name": "Karim Ahmed", "email": "karim@example.com", "ward_number": "12"},
        format="json",
    )

    assert response.status_code == 200
    citizen.refresh_from_db()
    assert (citizen.name, citizen.email, citizen.ward_number) == (
        "Karim Ahmed",
        "karim@example.com",
        "12",
    )


def test_profile_put_without_a_name_is_400_and_nothing_changes(api_as, citizen):
    before = snapshot(citizen)

    response = api_as(citizen).put(
        PROFILE_URL, {"email": "karim@example.com", "ward_number": "12"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"name"}
    assert snapshot(citizen) == before
    assert not ActivityLog.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", None, "x" * 101])
def test_profile_blank_or_overlong_name_is_400(api_as, citizen, name):
    before = snapshot(citizen)

    response = api_as(citizen).patch(PROFILE_URL, {"name": name}, format="json")

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"name"}
    assert snapshot(citizen) == before


def test_profile_unknown_language_is_400(api_as, citizen):
    before = snapshot(citizen)

    response = api_as(citizen).patch(PROFILE_URL, {"language": "fr"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"language"}
    assert snapshot(citizen) == before


# --- avatar -------------------------------------------------------------------------------------
def test_avatar_jpeg_is_stored_square_upright_and_without_exif(api_as, citizen):
    response = post_avatar(api_as(citizen), jpeg_with_exif())

    assert response.status_code == 200
    raw, image = stored_avatar(citizen)
    assert image.format == "JPEG"
    assert image.size == (512, 512)
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert b"Exif" not in raw
    assert b"SecretPhoneMaker" not in raw
    # Orientation 6 was applied: the photo's left (red) half is now on top.
    top, bottom = image.convert("RGB").getpixel((256, 40)), image.getpixel((256, 470))
    assert top[0] > 180, top
    assert top[2] < 60, top
    assert bottom[2] > 180, bottom
    assert bottom[0] < 60, bottom
    assert citizen.profile_picture.name.startswith("avatars/")
    assert citizen.profile_picture.name.endswith(".jpg")
    body = response.json()
    assert set(body) == USER_KEYS
    assert body["profile_picture_url"] == (
        f"http://testserver{settings.MEDIA_URL}{citizen.profile_picture.name}"
    )
    assert body["profile_picture_url"].startswith("http://testserver/media/avatars/")
    log = ActivityLog.objects.get()
    assert (log.action, log.user, log.details) == (
        "users.profile_updated",
        citizen,
        {"fields": ["profile_picture"]},
    )


def test_avatar_png_with_alpha_is_flattened_to_jpeg(api_as, citizen):
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((0, 150, 0, 255), (100, 0, 200, 200))
    data = encoded(image, "PNG")

    response = post_avatar(api_as(citizen), data, name="me.png", content_type="image/png")

    assert response.status_code == 200
    _raw, stored = stored_avatar(citizen)
    assert (stored.format, stored.size, stored.mode) == ("JPEG", (512, 512), "RGB")
    # Transparent areas become white, not black.
    corner = stored.getpixel((5, 5))
    assert min(corner) > 240, corner


def test_avatar_webp_is_accepted(api_as, citizen):
    data = encoded(Image.new("RGB", (640, 640), BLUE), "WEBP")

    response = post_avatar(api_as(citizen), data, name="me.webp", content_type="image/webp")

    assert response.status_code == 200
    _raw, stored = stored_avatar(citizen)
    assert (stored.format, stored.size) == ("JPEG", (512, 512))


def test_avatar_heic_is_accepted(api_as, citizen):
    pillow_heif = pytest.importorskip("pillow_heif")
    buffer = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (640, 480), RED)).save(buffer, format="HEIF")
    except Exception as exc:  # a libheif built without an encoder
        pytest.skip(f"this libheif build cannot encode HEIF: {exc}")

    response = post_avatar(
        api_as(citizen), buffer.getvalue(), name="IMG_0001.HEIC", content_type="image/heic"
    )

    assert response.status_code == 200
    _raw, stored = stored_avatar(citizen)
    assert (stored.format, stored.size) == ("JPEG", (512, 512))


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (b"just some text, not a picture\n" * 20, "photo.jpg", "image/jpeg"),
        (encoded(Image.new("RGB", (64, 64)), "GIF"), "photo.gif", "image/gif"),
        (encoded(Image.new("RGB", (64, 64)), "BMP"), "photo.jpg", "image/jpeg"),
    ],
    ids=["text-named-jpg", "gif", "bmp-named-jpg"],
)
def test_avatar_that_is_not_a_supported_image_is_415(api_as, citizen, data, name, content_type):
    before = snapshot(citizen)

    response = post_avatar(api_as(citizen), data, name=name, content_type=content_type)

    assert response.status_code == 415
    body = response.json()
    assert body["code"] == "unsupported_media_type"
    assert set(body["details"]) == {"avatar"}
    assert snapshot(citizen) == before
    assert media_files() == []
    assert not ActivityLog.objects.exists()


def test_avatar_over_5_mb_is_413(api_as, citizen):
    before = snapshot(citizen)
    # A real JPEG padded past the limit: refused for its size, not its type.
    data = jpeg_with_exif() + b"\0" * (settings.IMAGE_MAX_BYTES + 1)

    response = post_avatar(api_as(citizen), data)

    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert set(body["details"]) == {"avatar"}
    assert snapshot(citizen) == before
    assert media_files() == []


def test_avatar_decompression_bomb_is_413_and_nothing_is_stored(api_as, citizen):
    before = snapshot(citizen)
    bomb = encoded(Image.new("1", (20000, 20000)), "PNG")  # 400 megapixels in ~50 kB
    assert len(bomb) < settings.IMAGE_MAX_BYTES

    response = post_avatar(api_as(citizen), bomb, name="bomb.png", content_type="image/png")

    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert set(body["details"]) == {"avatar"}
    assert snapshot(citizen) == before
    assert media_files() == []
    assert not ActivityLog.objects.exists()


def test_avatar_without_the_field_is_400(api_as, citizen):
    before = snapshot(citizen)

    response = api_as(citizen).post(AVATAR_URL, {"picture": "x"}, format="multipart")

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"avatar"}
    assert snapshot(citizen) == before


def test_avatar_sent_as_json_is_415(api_as, citizen):
    response = api_as(citizen).post(AVATAR_URL, {"avatar": "aGVsbG8="}, format="json")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_avatar_needs_a_signed_in_user(api):
    response = post_avatar(api, jpeg_with_exif())

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert media_files() == []


def test_replacing_the_avatar_deletes_the_old_file_after_commit(api_as, citizen):
    client = api_as(citizen)
    assert post_avatar(client, jpeg_with_exif()).status_code == 200
    citizen.refresh_from_db()
    old = citizen.profile_picture.name
    assert default_storage.exists(old)

    response = post_avatar(client, encoded(Image.new("RGB", (600, 600), BLUE), "PNG"))

    assert response.status_code == 200
    citizen.refresh_from_db()
    new = citizen.profile_picture.name
    assert new != old
    assert default_storage.exists(new)
    assert not default_storage.exists(old)
    assert media_files() == [os.path.join(settings.MEDIA_ROOT, new)]


def test_a_refused_replacement_keeps_the_old_avatar(api_as, citizen):
    client = api_as(citizen)
    assert post_avatar(client, jpeg_with_exif()).status_code == 200
    citizen.refresh_from_db()
    before = snapshot(citizen)

    response = post_avatar(client, b"not an image", name="photo.jpg")

    assert response.status_code == 415
    assert snapshot(citizen) == before
    assert default_storage.exists(citizen.profile_picture.name)


# --- staff list and detail: the permission matrix -----------------------------------------------
ROLES = ["anonymous", "citizen", "service_provider", "ward_admin", "super_admin"]


@pytest.fixture
def town(db):
    """Residents of wards 1, 2 and 3, and one person of every role."""
    ward_admin = AdminPermissionFactory(ward_numbers=["1", "2"]).admin
    return SimpleNamespace(
        w1=UserFactory(ward_number="1", name="Rahima Begum"),
        w2=UserFactory(ward_number="2", name="Karim Ahmed"),
        w3=UserFactory(ward_number="3", name="Salma Khatun"),
        citizen=UserFactory(ward_number="1", name="Abdul Hai"),
        service_provider=UserFactory(user_type="service_provider", name="Clean Co"),
        ward_admin=ward_admin,
        super_admin=UserFactory(
            user_type="super_admin", is_staff=True, is_superuser=True, name="Head Office"
        ),
    )


@pytest.fixture
def client_for(api, api_as, town):
    def make(role: str):
        return api if role == "anonymous" else api_as(getattr(town, role))

    return make


def result_ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("citizen", 403, "permission_denied"),
        ("service_provider", 403, "permission_denied"),
    ],
)
def test_user_list_is_closed_to_non_admins(client_for, role, status, code):
    response = client_for(role).get(LIST_URL)

    assert response.status_code == status
    assert response.json()["code"] == code


def test_user_list_of_a_ward_admin_holds_only_residents_of_their_wards(client_for, town):
    response = client_for("ward_admin").get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert result_ids(response) == {str(town.w1.pk), str(town.w2.pk), str(town.citizen.pk)}
    assert {row["ward_number"] for row in body["results"]} == {"1", "2"}
    assert set(body["results"][0]) == STAFF_KEYS


def test_user_list_of_a_ward_admin_ignores_permissions_they_cannot_read(client_for, town):
    AdminPermissionFactory(admin=town.ward_admin, ward_numbers=["3"], can_read=False)

    response = client_for("ward_admin").get(LIST_URL)

    assert str(town.w3.pk) not in result_ids(response)


def test_user_list_of_a_ward_admin_cannot_filter_outside_their_wards(client_for):
    response = client_for("ward_admin").get(LIST_URL, {"ward_number": "3"})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_user_list_of_an_admin_without_permissions_is_empty(api_as, town):
    lonely = UserFactory(user_type="admin")

    response = api_as(lonely).get(LIST_URL)

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_user_list_of_a_super_admin_holds_everyone(client_for):
    response = client_for("super_admin").get(LIST_URL)

    assert response.status_code == 200
    assert result_ids(response) == {str(pk) for pk in User.objects.values_list("pk", flat=True)}
    assert response.json()["count"] == 7


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("anonymous", "w1", 401),
        ("citizen", "citizen", 403),
        ("citizen", "w1", 403),
        ("service_provider", "w1", 403),
        ("ward_admin", "w1", 200),
        ("ward_admin", "w2", 200),
        ("ward_admin", "w3", 404),
        ("ward_admin", "super_admin", 404),
        ("super_admin", "w3", 200),
        ("super_admin", "ward_admin", 200),
    ],
)
def test_user_detail_get_matrix(client_for, town, role, target, status):
    user = getattr(town, target)

    response = client_for(role).get(detail_url(user))

    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert set(body) == STAFF_KEYS
        assert (body["id"], body["phone"], body["is_active"]) == (str(user.pk), user.phone, True)


def test_user_detail_of_an_unknown_id_is_404(client_for):
    response = client_for("super_admin").get(f"/api/v1/users/{uuid4()}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("anonymous", "w1", 401),
        ("citizen", "citizen", 403),
        ("citizen", "w1", 403),
        ("service_provider", "w1", 403),
        ("ward_admin", "w1", 403),
        ("ward_admin", "w3", 403),
    ],
)
def test_user_detail_writes_are_refused_to_all_but_super_admins(
    client_for, town, method, role, target, status
):
    user = getattr(town, target)
    before = snapshot(user)

    response = getattr(client_for(role), method)(
        detail_url(user), {"name": "Hijacked", "user_type": "super_admin"}, format="json"
    )

    assert response.status_code == status
    assert snapshot(user) == before
    assert not ActivityLog.objects.exists()


def test_super_admin_patch_edits_an_account_and_logs_it(client_for, town):
    response = client_for("super_admin").patch(
        detail_url(town.w1),
        {"name": "Rahima B.", "user_type": "admin", "is_verified": False, "ward_number": "০৩"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == STAFF_KEYS
    assert (body["name"], body["user_type"], body["is_verified"], body["ward_number"]) == (
        "Rahima B.",
        "admin",
        False,
        "3",
    )
    town.w1.refresh_from_db()
    assert (town.w1.name, town.w1.user_type, town.w1.is_verified, town.w1.ward_number) == (
        "Rahima B.",
        "admin",
        False,
        "3",
    )
    assert (town.w1.is_staff, town.w1.is_superuser, town.w1.is_active) == (False, False, True)
    log = ActivityLog.objects.get()
    assert log.action == "users.updated"
    assert log.user == town.super_admin
    assert log.resource_id == town.w1.pk
    assert log.details == {"fields": ["name", "ward_number", "user_type", "is_verified"]}


def test_super_admin_promoting_to_super_admin_grants_django_admin(client_for, town):
    response = client_for("super_admin").patch(
        detail_url(town.w2), {"user_type": "super_admin"}, format="json"
    )

    assert response.status_code == 200
    town.w2.refresh_from_db()
    assert (town.w2.user_type, town.w2.is_staff, town.w2.is_superuser) == (
        "super_admin",
        True,
        True,
    )


def test_super_admin_put_needs_a_name(client_for, town):
    before = snapshot(town.w1)

    response = client_for("super_admin").put(
        detail_url(town.w1), {"user_type": "admin"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"name"}
    assert snapshot(town.w1) == before
    assert not ActivityLog.objects.exists()


def test_super_admin_put_replaces_the_account(client_for, town):
    response = client_for("super_admin").put(
        detail_url(town.w3),
        {"name": "Salma K.", "user_type": "service_provider", "is_verified": True},
        format="json",
    )

    assert response.status_code == 200
    town.w3.refresh_from_db()
    assert (town.w3.name, town.w3.user_type) == ("Salma K.", "service_provider")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"user_type": "mayor"}, "user_type"),
        ({"ward_number": "99"}, "ward_number"),
        ({"nid": "123"}, "nid"),
        ({"is_active": "perhaps"}, "is_active"),
    ],
)
def test_super_admin_bad_edit_is_400_and_nothing_changes(client_for, town, payload, field):
    before = snapshot(town.w1)

    response = client_for("super_admin").patch(detail_url(town.w1), payload, format="json")

    assert response.status_code == 400
    assert set(response.json()["details"]) == {field}
    assert snapshot(town.w1) == before
    assert not ActivityLog.objects.exists()


def test_super_admin_patch_is_active_false_ends_the_sessions(api, client_for, town):
    session = tokens_for_user(town.w1)

    response = client_for("super_admin").patch(
        detail_url(town.w1), {"is_active": False}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    refresh = api.post("/api/v1/auth/refresh/", {"refresh": session["refresh"]}, format="json")
    assert refresh.status_code == 401
    assert ActivityLog.objects.get().details == {"fields": ["is_active"]}


def test_super_admin_delete_deactivates_and_ends_every_session(api, client_for, town):
    sessions = [tokens_for_user(town.w1), tokens_for_user(town.w1)]

    response = client_for("super_admin").delete(detail_url(town.w1))

    assert response.status_code == 204
    assert response.content == b""
    user = User.objects.get(pk=town.w1.pk)  # still there: accounts are never deleted
    assert user.is_active is False
    for session in sessions:
        refresh = api.post("/api/v1/auth/refresh/", {"refresh": session["refresh"]}, format="json")
        assert refresh.status_code == 401
    me = api.get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"Bearer {sessions[0]['access']}")
    assert me.status_code == 401
    login = api.post(
        "/api/v1/auth/login/",
        {"phone": user.phone, "password": DEFAULT_PASSWORD},
        format="json",
    )
    assert login.status_code == 401
    log = ActivityLog.objects.get(action="users.deactivated")
    assert (log.user, log.resource_type, log.resource_id) == (town.super_admin, "user", user.pk)


def test_deleting_an_inactive_account_again_changes_nothing(client_for, town):
    client = client_for("super_admin")
    assert client.delete(detail_url(town.w1)).status_code == 204
    before = snapshot(town.w1)

    response = client.delete(detail_url(town.w1))

    assert response.status_code == 204
    assert snapshot(town.w1) == before
    assert ActivityLog.objects.filter(action="users.deactivated").count() == 1


def test_super_admin_delete_of_an_unknown_id_is_404(client_for):
    response = client_for("super_admin").delete(f"/api/v1/users/{uuid4()}/")

    assert response.status_code == 404
    assert not ActivityLog.objects.exists()


# --- staff list: filters and pagination ---------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"user_type": "service_provider"}, {"service_provider"}),
        ({"user_type": "admin"}, {"ward_admin"}),
        ({"ward_number": "1"}, {"w1", "citizen"}),
        ({"ward_number": "3"}, {"w3"}),
        ({"is_verified": "false"}, {"w2"}),
        ({"search": "rahima"}, {"w1"}),
        ({"search": "KHATUN"}, {"w3"}),
        ({"search": "8801555"}, {"w2"}),
        ({"ward_number": "1", "search": "abdul"}, {"citizen"}),
    ],
)
def test_user_list_filters(client_for, town, params, expected):
    User.objects.filter(pk=town.w2.pk).update(is_verified=False, phone="+8801555550099")

    response = client_for("super_admin").get(LIST_URL, params)

    assert response.status_code == 200
    assert result_ids(response) == {str(getattr(town, name).pk) for name in expected}


def test_user_list_with_an_unknown_user_type_is_400(client_for):
    response = client_for("super_admin").get(LIST_URL, {"user_type": "mayor"})

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"user_type"}


def test_user_list_pagination(client_for):
    User.objects.bulk_create(UserFactory.build_batch(105))
    client = client_for("super_admin")
    total = User.objects.count()
    assert total == 112

    first = client.get(LIST_URL).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (total, 20, None)
    assert first["next"] == "http://testserver/api/v1/users/?page=2"

    capped = client.get(LIST_URL, {"page_size": 500}).json()
    assert len(capped["results"]) == 100

    last = client.get(LIST_URL, {"page_size": 100, "page": 2}).json()
    assert (len(last["results"]), last["next"]) == (12, None)
    assert last["previous"] == "http://testserver/api/v1/users/?page_size=100"
    seen = {row["id"] for row in capped["results"]} | {row["id"] for row in last["results"]}
    assert len(seen) == total

    assert client.get(LIST_URL, {"page": 99}).status_code == 404


# --- wards --------------------------------------------------------------------------------------
def test_wards_are_listed_to_anyone_in_number_order(api):
    response = api.get("/api/v1/wards/")

    assert response.status_code == 200
    wards = response.json()
    assert len(wards) == 75
    assert all(
        set(ward) == {"number", "name_en", "name_bn", "zone", "latitude", "longitude"}
        for ward in wards
    )
    assert [ward["number"] for ward in wards] == [str(n) for n in range(1, 76)]
    assert wards[0] == {
        "number": "1",
        "name_en": "Khilgaon (A & C Blocks)",
        "name_bn": "খিলগাঁও (এ ও সি ব্লক)",
        "zone": 2,
        "latitude": "23.75000000",
        "longitude": "90.42670000",
    }


# --- review fixes -------------------------------------------------------------------------------
def test_profile_put_clears_optional_details_it_leaves_out(api_as):
    user = UserFactory(
        email="r@example.com", nid="1234567890", address="Motijheel", ward_number="3"
    )
    response = api_as(user).put("/api/v1/users/profile/", {"name": "Renamed"}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.name, user.email, user.nid, user.address, user.ward_number) == (
        "Renamed",
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize("change", [{"user_type": "citizen"}, {"is_active": False}])
def test_a_super_admin_cannot_lock_themself_out(api_as, super_admin, change):
    response = api_as(super_admin).patch(detail_url(super_admin), change, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "cannot_change_self"
    super_admin.refresh_from_db()
    assert (super_admin.user_type, super_admin.is_active) == ("super_admin", True)
    delete = api_as(super_admin).delete(detail_url(super_admin))
    assert delete.status_code == 409


def test_a_role_change_ends_the_accounts_sessions(api, api_as, super_admin):
    staff = UserFactory(user_type="admin")
    old_refresh = tokens_for_user(staff)["refresh"]
    response = api_as(super_admin).patch(detail_url(staff), {"user_type": "citizen"}, format="json")
    assert response.status_code == 200
    refreshed = api.post("/api/v1/auth/refresh/", {"refresh": old_refresh}, format="json")
    assert refreshed.status_code == 401


def test_a_failed_avatar_save_leaves_no_file_behind(api_as, citizen, monkeypatch):
    from apps.users import services

    def boom(**kwargs):
        raise RuntimeError("audit store down")

    before = set(media_files())
    monkeypatch.setattr(services, "activity_record", boom)
    response = post_avatar(api_as(citizen), encoded(Image.new("RGB", (64, 64), "red"), "PNG"))
    assert response.status_code == 500
    assert set(media_files()) == before
    citizen.refresh_from_db()
    assert not citizen.profile_picture
