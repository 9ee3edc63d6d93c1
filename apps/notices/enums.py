"""Notice enumerations and limits (dependency-free, shared by models, services and serializers)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    """The seeds' stored values (English words, unlike the complaints' Bengali ones)."""

    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class State(models.TextChoices):
    """Where a notice stands now; computed from its times, never stored."""

    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The board's order: urgent notices first, then by priority, then newest.
PRIORITY_RANK = {Priority.URGENT: 1, Priority.HIGH: 2, Priority.NORMAL: 3, Priority.LOW: 4}

TITLE_MAX_CHARS = 200
CONTENT_MAX_CHARS = 10_000
CATEGORY_MAX_CHARS = 50
PREVIEW_CHARS = 160  # of the content, in an urgent notice's push and SMS
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # PDFs; photos follow IMAGE_MAX_BYTES (5 MB)
PHOTO_LONG_SIDE = 1920
