"""Chat attachments: photos decoded and re-encoded without metadata, PDFs checked by their bytes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from core.exceptions import PayloadTooLarge, UnsupportedMedia
from core.images import image_decode, image_fit

from .enums import FILE_MAX_BYTES, PHOTO_LONG_SIDE, MessageType

PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"


@dataclass
class PreparedFile:
    content: ContentFile
    original_name: str | None


def attachment_prepare(upload, *, message_type: str) -> PreparedFile:
    """Check an upload before anything is written: 413 when too large, 415 when not what it
    says (a photo that does not decode, a "PDF" whose bytes are something else)."""
    name = (getattr(upload, "name", None) or "")[:255] or None
    if message_type == MessageType.IMAGE:
        decoded = image_decode(upload, field="file", target_side=PHOTO_LONG_SIDE)
        return PreparedFile(image_fit(decoded.image, long_side=PHOTO_LONG_SIDE), name)
    if upload.size is not None and upload.size > FILE_MAX_BYTES:
        raise PayloadTooLarge(
            _("A document can be at most %(mb)d MB.") % {"mb": FILE_MAX_BYTES // (1024 * 1024)},
            details={"file": [_("File too large.")]},
        )
    upload.seek(0)
    data = upload.read(FILE_MAX_BYTES + 1)
    if len(data) > FILE_MAX_BYTES:
        raise PayloadTooLarge(details={"file": [_("File too large.")]})
    # A PDF opens with its version and ends with an end-of-file marker (possibly followed by a
    # little whitespace); a file with the header alone is something else wearing a label.
    if not data.startswith(PDF_MAGIC) or PDF_END not in data[-1024:]:
        raise UnsupportedMedia(
            _("Only PDF documents can be sent."), details={"file": [_("Not a PDF document.")]}
        )
    return PreparedFile(ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"), name)
