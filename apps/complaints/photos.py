"""Complaint photos: decode and re-encode every upload first, then store files and rows."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from core.exceptions import ErrorCode, ValidationFailed
from core.images import image_decode, image_fit

from .enums import MAX_IMAGES
from .models import Complaint, ComplaintImage, ComplaintUpdate

PHOTO_LONG_SIDE = 1920
THUMBNAIL_LONG_SIDE = 320
# Threads per filing: the machine's cores, not more (the work is CPU, not waiting).
PREPARE_THREADS = os.cpu_count() or 2


@dataclass
class PreparedPhoto:
    name: str | None
    full: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    gps: tuple[Decimal, Decimal] | None


def too_many_photos() -> ValidationFailed:
    message = _("A complaint can have at most %(max)d photos.") % {"max": MAX_IMAGES}
    return ValidationFailed(message, code=ErrorCode.TOO_MANY_IMAGES, details={"images": [message]})


def photos_prepare(uploads) -> list[PreparedPhoto]:
    """Decode and re-encode every upload before anything is written; one bad photo fails all.

    Pillow lets go of the GIL while it decodes, resizes and encodes, so the photos are prepared
    side by side: five camera photos take about as long as the slowest two or three.
    """
    uploads = list(uploads)
    if len(uploads) < 2:
        return [_photo_prepare(upload) for upload in uploads]
    with ThreadPoolExecutor(max_workers=min(len(uploads), PREPARE_THREADS)) as pool:
        # map() hands results back in order and re-raises the first failure in that order.
        return list(pool.map(_photo_prepare, uploads))


def _photo_prepare(upload) -> PreparedPhoto:
    decoded = image_decode(upload, field="images", target_side=PHOTO_LONG_SIDE)
    image = decoded.image
    full = image_fit(image, long_side=PHOTO_LONG_SIDE)  # shrinks ``image`` in place
    width, height = image.size
    thumbnail = image_fit(image, long_side=THUMBNAIL_LONG_SIDE, quality=75)
    return PreparedPhoto(
        name=(getattr(upload, "name", None) or "")[:255] or None,
        full=full,
        thumbnail=thumbnail,
        width=width,
        height=height,
        gps=decoded.gps,
    )


def photos_store(complaint: Complaint, photos: list[PreparedPhoto], saved: list[str]) -> None:
    """Save files and rows; each name written joins ``saved`` so a rollback can remove it."""
    for photo in photos:
        row = ComplaintImage(
            complaint=complaint,
            image_name=photo.name,
            file_size=photo.full.size,
            width=photo.width,
            height=photo.height,
        )
        row.image.save(photo.full.name, photo.full, save=False)
        saved.append(row.image.name)
        row.thumbnail.save(f"thumb-{photo.thumbnail.name}", photo.thumbnail, save=False)
        saved.append(row.thumbnail.name)
        row.save()


def files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def proof_photo_store(update: ComplaintUpdate, upload, saved: list[str]) -> None:
    """Decode, re-encode without metadata and attach a proof-of-work photo to ``update`` (not
    saved: the caller saves the row); names written join ``saved`` for a rollback."""
    photo = photos_prepare([upload])[0]
    update.photo.save(photo.full.name, photo.full, save=False)
    saved.append(update.photo.name)
    update.photo_thumbnail.save(f"thumb-{photo.thumbnail.name}", photo.thumbnail, save=False)
    saved.append(update.photo_thumbnail.name)
