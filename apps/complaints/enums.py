"""Complaint enumerations: the seeds' stored Bengali values, their English codes, the moves.

Dependency-free so Open311, the dashboard and serializers can share it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    CLEANLINESS = "পরিচ্ছন্নতা", _("Cleanliness")
    WASTE = "বর্জ্য ব্যবস্থাপনা", _("Waste management")
    WATER = "পানি সরবরাহ", _("Water supply")
    ROADS = "রাস্তাঘাট", _("Roads")
    ELECTRICITY = "বিদ্যুৎ", _("Electricity")
    OTHER = "অন্যান্য", _("Other")


class Priority(models.TextChoices):
    HIGH = "উচ্চ", _("High")
    MEDIUM = "মধ্যম", _("Medium")
    LOW = "নিম্ন", _("Low")


class Status(models.TextChoices):
    SUBMITTED = "জমা দেওয়া হয়েছে", _("Submitted")
    IN_PROGRESS = "প্রক্রিয়াধীন", _("In progress")
    RESOLVED = "সমাধান হয়েছে", _("Resolved")
    CANCELLED = "বাতিল", _("Cancelled")


# English codes accepted on input and returned beside the stored value (API.md).
CATEGORY_CODES = {
    Category.CLEANLINESS: "cleanliness",
    Category.WASTE: "waste",
    Category.WATER: "water",
    Category.ROADS: "roads",
    Category.ELECTRICITY: "electricity",
    Category.OTHER: "other",
}
PRIORITY_CODES = {Priority.HIGH: "high", Priority.MEDIUM: "medium", Priority.LOW: "low"}
STATUS_CODES = {
    Status.SUBMITTED: "submitted",
    Status.IN_PROGRESS: "in_progress",
    Status.RESOLVED: "resolved",
    Status.CANCELLED: "cancelled",
}

# The only status moves; anything else is 409 invalid_transition.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.IN_PROGRESS, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.CANCELLED}),
    Status.RESOLVED: frozenset({Status.IN_PROGRESS}),
    Status.CANCELLED: frozenset(),
}

# Sort keys: "ordering=priority" means urgency, not the alphabet of the stored words.
PRIORITY_RANK = {Priority.HIGH: 1, Priority.MEDIUM: 2, Priority.LOW: 3}
STATUS_RANK = {Status.SUBMITTED: 1, Status.IN_PROGRESS: 2, Status.RESOLVED: 3, Status.CANCELLED: 4}

OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.IN_PROGRESS})
MAX_IMAGES = 5

# What the input fields accept (the stored value or its English code), named in the OpenAPI.
CATEGORY_INPUT = [*Category.values, *CATEGORY_CODES.values()]
PRIORITY_INPUT = [*Priority.values, *PRIORITY_CODES.values()]
STATUS_INPUT = [*Status.values, *STATUS_CODES.values()]
