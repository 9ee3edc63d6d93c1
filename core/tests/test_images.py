"""Stored photos carry their pixels and nothing else: no EXIF, no comments."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import image_decode, image_fit, image_square


def jpeg_with_metadata() -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker-secret"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 30, 30)).save(
        buffer, format="JPEG", comment=b"secret", exif=exif.tobytes()
    )
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_fitted_and_squared_copies_leave_with_pixels_only():
    decoded = image_decode(jpeg_with_metadata())
    assert decoded.image.size == (32, 64)  # orientation applied before the metadata goes

    for stored in (image_fit(decoded.image, long_side=48), image_square(decoded.image, size=16)):
        data = stored.read()
        assert b"secret" not in data
        assert b"Exif" not in data
        reopened = Image.open(io.BytesIO(data))
        assert "comment" not in reopened.info
        assert "exif" not in reopened.info
        assert dict(reopened.getexif()) == {}


def test_a_large_landscape_jpeg_is_decoded_at_reduced_scale_but_never_below_the_target():
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 120, 60)).save(buffer, format="JPEG")
    upload = SimpleUploadedFile("camera.jpg", buffer.getvalue(), content_type="image/jpeg")

    decoded = image_decode(upload, target_side=1920)

    # Half scale: the long side still covers the 1920 px kept; a square request would have
    # kept the short side ≥ 1920 and decoded all 12 megapixels.
    assert decoded.image.size == (2000, 1500)
    image_fit(decoded.image, long_side=1920)
    assert decoded.image.size == (1920, 1440)
