"""Uploaded photos: decode to learn the type, refuse bombs, apply orientation, drop EXIF.

Phones send JPEG, PNG, WebP and HEIC. Nothing about an upload is trusted but its decoded pixels:
the name and declared content type are ignored, the pixel count is checked from the header
before any decoding (decompression bombs), and the stored file is a fresh encode without the
metadata (EXIF carries the citizen's location and phone model; comments, anything).
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from .exceptions import PayloadTooLarge, UnsupportedMedia

register_heif_opener()

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "HEIF", "MPO"})
_GPS_IFD = 0x8825


@dataclass
class DecodedImage:
    image: Image.Image
    source_format: str
    gps: tuple[Decimal, Decimal] | None  # (latitude, longitude) read before EXIF is dropped


def image_decode(upload, *, field: str = "image", target_side: int | None = None) -> DecodedImage:
    """Decode an upload or raise 413/415 with a message for ``field``; orientation is applied.

    ``target_side``: the largest side the caller will keep. JPEGs are then decoded at a reduced
    scale straight away (draft mode), so a 40-megapixel photo never sits whole in memory.
    """
    max_bytes = settings.IMAGE_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise PayloadTooLarge(
            _("Each image must be at most %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
            details={field: [_("File too large.")]},
        )
    not_an_image = UnsupportedMedia(
        _("The file is not a JPEG, PNG, WebP or HEIC image."),
        details={field: [_("Not a supported image.")]},
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ACCEPTED_FORMATS:
                raise not_an_image
            width, height = image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise PayloadTooLarge(
                    _("The image has too many pixels (at most %(mp)d megapixels).")
                    % {"mp": settings.IMAGE_MAX_PIXELS // 1_000_000},
                    details={field: [_("Too many pixels.")]},
                )
            gps = _gps_from_exif(image)
            if target_side is not None and image.format in ("JPEG", "MPO"):
                # draft() keeps both sides at least as large as asked: asking for a square would
                # keep a landscape photo's short side ≥ target_side, i.e. decode it whole.
                scale = target_side / max(width, height)
                image.draft("RGB", (round(width * scale), round(height * scale)))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise not_an_image from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PayloadTooLarge(
            _("The image has too many pixels."), details={field: [_("Too many pixels.")]}
        ) from exc
    source_format = image.format
    image = ImageOps.exif_transpose(image)
    return DecodedImage(image=image, source_format=source_format, gps=gps)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparent areas become white instead of black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode_jpeg(image: Image.Image, *, quality: int = 82) -> bytes:
    flat = _flatten(image)  # always a new image, so the caller's keeps its info
    # Pillow writes some of .info back on save (a JPEG comment, for one): only pixels may leave.
    flat.info = {}
    buffer = io.BytesIO()
    flat.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def image_fit(image: Image.Image, *, long_side: int, quality: int = 82) -> ContentFile:
    """Shrink ``image`` in place so its long side is at most ``long_side`` px; encode it as a
    JPEG without metadata. (In place: no second full-size copy in memory.)"""
    image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return ContentFile(_encode_jpeg(image, quality=quality), name=f"{uuid.uuid4().hex}.jpg")


def image_square(image: Image.Image, *, size: int, quality: int = 85) -> ContentFile:
    """Centre-crop to a square of ``size`` px; JPEG, no metadata (avatars)."""
    square = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
    return ContentFile(_encode_jpeg(square, quality=quality), name=f"{uuid.uuid4().hex}.jpg")


def _gps_from_exif(image: Image.Image) -> tuple[Decimal, Decimal] | None:
    try:
        gps = image.getexif().get_ifd(_GPS_IFD)
    except Exception:  # malformed EXIF must not sink an otherwise good photo
        return None
    try:
        lat = _dms_to_decimal(gps[2], gps.get(1, "N"))
        lon = _dms_to_decimal(gps[4], gps.get(3, "E"))
    except (KeyError, TypeError, ValueError, ArithmeticError):  # NaN, inf, 0 denominators
        return None
    if not (lat.is_finite() and lon.is_finite()) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _dms_to_decimal(dms, ref) -> Decimal:
    degrees, minutes, seconds = (Decimal(str(float(part))) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    if str(ref).upper().startswith(("S", "W")):
        value = -value
    return value.quantize(Decimal("0.00000001"))
