"""Chat enumerations and limits (dependency-free, shared by models, services and the consumer)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageType(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Photo")
    FILE = "file", _("Document")


MESSAGE_MAX_CHARS = 4000
SUBJECT_MAX_CHARS = 200
FILE_MAX_BYTES = 10 * 1024 * 1024  # PDFs; photos follow IMAGE_MAX_BYTES (5 MB)
PHOTO_LONG_SIDE = 1920
PREVIEW_CHARS = 120  # of the last message, in the room list and in notifications
