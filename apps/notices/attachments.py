"""A notice's attachment: a photo decoded and re-encoded without metadata, or a PDF by its bytes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from core.exceptions import PayloadTooLarge, UnsupportedMedia
from core.images import image_decode, image_fit

from .enums import ATTACHMENT_MAX_BYTES, PHOTO_LONG_SIDE

PDF_MAGIC = b"%PDF-"
FIELD = "attachment"


@dataclass
class PreparedAttachment:
    content: ContentFile
    original_name: str | None


def attachment_prepare(upload) -> PreparedAttachment:
    """Check an upload before anything is written: a PDF (≤ 10 MB) is kept as sent, anything
    else must decode as a photo (≤ 5 MB; 413 when larger, 415 when it is neither)."""
    name = (getattr(upload, "name", None) or "")[:255] or None
    if upload.size is not None and upload.size > ATTACHMENT_MAX_BYTES:
        raise _too_large()
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    if head != PDF_MAGIC:
        try:
            decoded = image_decode(upload, field=FIELD, target_side=PHOTO_LONG_SIDE)
        except UnsupportedMedia as exc:
            raise UnsupportedMedia(
                _("Attach a PDF document or a photo (JPEG, PNG, WebP or HEIC)."),
                details={FIELD: [_("Not a PDF document or a supported photo.")]},
            ) from exc
        return PreparedAttachment(image_fit(decoded.image, long_side=PHOTO_LONG_SIDE), name)
    upload.seek(0)
    data = upload.read(ATTACHMENT_MAX_BYTES + 1)
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise _too_large()
    return PreparedAttachment(ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"), name)


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(
        _("An attachment can be at most %(mb)d MB.")
        % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        details={FIELD: [_("File too large.")]},
    )


def attachment_content_type(name: str) -> str:
    """What a stored attachment is: we name the files, so the suffix tells."""
    return "application/pdf" if name.lower().endswith(".pdf") else "image/jpeg"
