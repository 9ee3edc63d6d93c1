"""A gallery photo: decoded and re-encoded first (core/images), then stored with a thumbnail."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.images import image_decode, image_fit

from .enums import PHOTO_LONG_SIDE, THUMBNAIL_LONG_SIDE

FIELD = "image"


@dataclass
class PreparedPhoto:
    full: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def photo_prepare(upload) -> PreparedPhoto:
    """Decode an upload (413 too big, 415 not a photo), drop its metadata, fit the long side to
    1920 px and make the thumbnail; nothing is written yet."""
    decoded = image_decode(upload, field=FIELD, target_side=PHOTO_LONG_SIDE)
    image = decoded.image
    full = image_fit(image, long_side=PHOTO_LONG_SIDE)  # shrinks ``image`` in place
    width, height = image.size
    thumbnail = image_fit(image, long_side=THUMBNAIL_LONG_SIDE, quality=75)
    return PreparedPhoto(full=full, thumbnail=thumbnail, width=width, height=height)


def photo_store(row, photo: PreparedPhoto, saved: list[str]) -> None:
    """Put the files on ``row`` (not saved); each name written joins ``saved`` for a rollback."""
    row.image.save(photo.full.name, photo.full, save=False)
    saved.append(row.image.name)
    row.thumbnail.save(f"thumb-{photo.thumbnail.name}", photo.thumbnail, save=False)
    saved.append(row.thumbnail.name)
    row.width, row.height = photo.width, photo.height


def files_delete(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
