"""Filing complaints: fields, aliases, tracking numbers, photos, idempotent retries."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.complaints.models import Complaint, ComplaintImage
from apps.users.tests.factories import UserFactory

from .factories import photo_bytes

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"
FIELDS = {
    "title": "রাস্তায় ময়লা",
    "description": "তিন দিন ধরে ময়লা পড়ে আছে।",
    "category": "বর্জ্য ব্যবস্থাপনা",
    "priority": "উচ্চ",
    "location": "Dhanmondi Road 4",
    "ward_number": "5",
}


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files() -> set[str]:
    found = set()

    def walk(path):
        try:
            dirs, files = default_storage.listdir(path)
        except FileNotFoundError:
            return
        found.update(f"{path}/{f}".lstrip("/") for f in files)
        for d in dirs:
            walk(f"{path}/{d}".lstrip("/"))

    walk("complaints")
    return found


def test_json_complaint_gets_a_tracking_number_at_once(api_as, citizen):
    response = api_as(citizen).post(URL, FIELDS, format="json")

    assert response.status_code == 201
    body = response.json()
    today = timezone.localdate().strftime("%Y%m%d")
    assert re.fullmatch(rf"CC{today}\d{{4}}", body["tracking_number"])
    assert body["tracking_number"].endswith("0001")
    assert (body["category"], body["category_code"]) == ("বর্জ্য ব্যবস্থাপনা", "waste")
    assert (body["priority"], body["priority_code"]) == ("উচ্চ", "high")
    assert (body["status"], body["status_code"]) == ("জমা দেওয়া হয়েছে", "submitted")
    assert body["user"] == str(citizen.id)
    assert body["images"] == []
    assert body["updates"] == []
    second = api_as(citizen).post(URL, FIELDS, format="json").json()
    assert second["tracking_number"].endswith("0002")


def test_english_aliases_are_accepted_and_bengali_is_stored(api_as, citizen):
    body = {**FIELDS, "category": "Roads", "priority": "low"}
    response = api_as(citizen).post(URL, body, format="json")
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert (complaint.category, complaint.priority) == ("রাস্তাঘাট", "নিম্ন")


def test_priority_defaults_to_medium(api_as, citizen):
    body = {k: v for k, v in FIELDS.items() if k != "priority"}
    assert api_as(citizen).post(URL, body, format="json").status_code == 201
    assert Complaint.objects.get().priority == "মধ্যম"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "potholes"}, "category"),
        ({"priority": "urgent"}, "priority"),
        ({"title": ""}, "title"),
        ({"location": None}, "location"),
        ({"latitude": "23.7"}, "latitude"),
        ({"latitude": "123", "longitude": "90.4"}, "latitude"),
        ({"ward_number": "99"}, "ward_number"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_created(api_as, citizen, change, field):
    response = api_as(citizen).post(URL, {**FIELDS, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["details"]
    assert not Complaint.objects.exists()


def test_multipart_with_photos_stores_them_resized_without_metadata(api_as, citizen):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # rotated: the stored photo must come out upright
    big = photo_bytes(size=(4000, 3000), exif=exif.tobytes(), comment=b"private note")
    body = {**FIELDS, "images": [upload(big), upload(photo_bytes("PNG"), "b.png", "image/png")]}

    response = api_as(citizen).post(URL, body, format="multipart")

    assert response.status_code == 201, response.json()
    images = response.json()["images"]
    assert len(images) == 2
    assert images[0]["image_url"].startswith("http://testserver/")
    assert images[0]["image_name"] == "photo.jpg"
    first = ComplaintImage.objects.get(image_name="photo.jpg")
    with first.image.open("rb") as handle:
        raw = handle.read()
    stored = Image.open(io.BytesIO(raw))
    assert stored.format == "JPEG"
    assert stored.size == (1440, 1920)  # orientation applied, long side 1920
    assert not stored.getexif()
    assert b"PhoneMaker" not in raw
    assert b"private note" not in raw
    with first.thumbnail.open("rb") as handle:
        assert max(Image.open(handle).size) == 320
    assert first.file_size == len(raw)


def test_images_bracket_field_name_is_accepted(api_as, citizen):
    body = {**FIELDS, "images[]": [upload(photo_bytes())]}
    response = api_as(citizen).post(URL, body, format="multipart")
    assert response.status_code == 201
    assert len(response.json()["images"]) == 1


def test_photo_gps_fills_missing_coordinates_and_the_ward(api_as, citizen):
    exif = Image.Exif()
    gps = {1: "N", 2: (23.0, 44.0, 24.0), 3: "E", 4: (90.0, 25.0, 36.0)}  # 23.74, 90.4267
    exif[0x8825] = gps
    body = {k: v for k, v in FIELDS.items() if k != "ward_number"}
    body["images"] = [upload(photo_bytes(exif=exif.tobytes()))]

    response = api_as(citizen).post(URL, body, format="multipart")

    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.latitude == Decimal("23.74000000")
    assert complaint.longitude == Decimal("90.42666667")
    assert complaint.ward_number is not None  # the nearest ward centre within 3 km


def _refused_with_nothing_created(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Complaint.objects.exists()
    assert not ComplaintImage.objects.exists()
    assert stored_files() == set()


def test_six_photos_are_refused(api_as, citizen):
    body = {**FIELDS, "images": [upload(photo_bytes()) for _ in range(6)]}
    response = api_as(citizen).post(URL, body, format="multipart")
    _refused_with_nothing_created(response, 400, "too_many_images")


def test_a_non_image_named_jpg_fails_the_whole_request(api_as, citizen):
    body = {**FIELDS, "images": [upload(photo_bytes()), upload(b"MZ\x90\x00 not a photo")]}
    response = api_as(citizen).post(URL, body, format="multipart")
    _refused_with_nothing_created(response, 415, "unsupported_media_type")


def test_a_6mb_photo_is_refused(api_as, citizen):
    # A real PNG padded past 6 MB (decoders ignore bytes after the end chunk).
    data = photo_bytes("PNG") + b"\0" * (6 * 1024 * 1024)
    body = {**FIELDS, "images": [upload(data, "big.png", "image/png")]}
    response = api_as(citizen).post(URL, body, format="multipart")
    _refused_with_nothing_created(response, 413, "too_large")


def test_a_20000_square_png_bomb_is_refused(api_as, citizen):
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    body = {**FIELDS, "images": [upload(buffer.getvalue(), "bomb.png", "image/png")]}
    response = api_as(citizen).post(URL, body, format="multipart")
    _refused_with_nothing_created(response, 413, "too_large")


def test_heic_photos_from_phones_are_accepted(api_as, citizen):
    import pillow_heif

    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (640, 480), "blue")).save(buffer, format="HEIF")
    body = {**FIELDS, "images": [upload(buffer.getvalue(), "IMG_0001.HEIC", "image/heic")]}
    response = api_as(citizen).post(URL, body, format="multipart")
    assert response.status_code == 201
    assert response.json()["images"][0]["width"] == 640


def test_a_retried_submit_with_the_same_key_returns_the_first_complaint(api_as, citizen):
    client = api_as(citizen)
    body = {**FIELDS, "images": [upload(photo_bytes())]}
    first = client.post(URL, body, format="multipart", HTTP_IDEMPOTENCY_KEY="tap-1")
    body = {**FIELDS, "images": [upload(photo_bytes())]}
    retry = client.post(URL, body, format="multipart", HTTP_IDEMPOTENCY_KEY="tap-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json()["tracking_number"] == first.json()["tracking_number"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Complaint.objects.count() == 1
    assert ComplaintImage.objects.count() == 1


def test_only_signed_in_people_file_complaints(api):
    assert api.post(URL, FIELDS, format="json").status_code == 401
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("user_type", ["admin", "service_provider", "super_admin"])
def test_only_citizens_file_complaints(api_as, user_type):
    response = api_as(UserFactory(user_type=user_type)).post(URL, FIELDS, format="json")
    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_tracking_numbers_widen_past_9999(api_as, citizen):
    from apps.complaints.models import TrackingCounter

    TrackingCounter.objects.create(day=timezone.localdate(), last_number=9999)
    body = api_as(citizen).post(URL, FIELDS, format="json").json()
    assert body["tracking_number"] == f"CC{timezone.localdate():%Y%m%d}10000"


def test_gps_that_cannot_be_a_number_is_ignored_not_a_500(api_as, citizen):
    from PIL.TiffImagePlugin import IFDRational

    exif = Image.Exif()
    zero = IFDRational(0, 1)
    exif[0x8825] = {1: "N", 2: (IFDRational(1, 0), zero, zero), 3: "E", 4: (zero, zero, zero)}
    body = {**FIELDS, "images": [upload(photo_bytes(exif=exif.tobytes()))]}
    response = api_as(citizen).post(URL, body, format="multipart")
    assert response.status_code == 201
    assert Complaint.objects.get().latitude is None
