"""Emergency enumerations: the seeds' stored Bengali values, their English codes, the moves.

Dependency-free so serializers, the dashboard and the admin can share it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmergencyType(models.TextChoices):
    FIRE = "অগ্নিকাণ্ড", _("Fire")
    MEDICAL = "চিকিৎসা জরুরি", _("Medical emergency")
    POLICE = "পুলিশ", _("Police")
    DISASTER = "প্রাকৃতিক দুর্যোগ", _("Natural disaster")
    OTHER = "অন্যান্য", _("Other")


class EmergencyStatus(models.TextChoices):
    SUBMITTED = "জমা দেওয়া হয়েছে", _("Submitted")
    IN_PROGRESS = "প্রক্রিয়াধীন", _("In progress")
    RESOLVED = "সমাধান হয়েছে", _("Resolved")


# Every emergency is high priority, whatever the client sends (the seeds' default, enforced).
PRIORITY_HIGH = "উচ্চ"

TYPE_CODES = {
    EmergencyType.FIRE: "fire",
    EmergencyType.MEDICAL: "medical",
    EmergencyType.POLICE: "police",
    EmergencyType.DISASTER: "disaster",
    EmergencyType.OTHER: "other",
}
STATUS_CODES = {
    EmergencyStatus.SUBMITTED: "submitted",
    EmergencyStatus.IN_PROGRESS: "in_progress",
    EmergencyStatus.RESOLVED: "resolved",
}

# The only status moves (a false alarm may be resolved at once); anything else is 409.
TRANSITIONS: dict[str, frozenset[str]] = {
    EmergencyStatus.SUBMITTED: frozenset({EmergencyStatus.IN_PROGRESS, EmergencyStatus.RESOLVED}),
    EmergencyStatus.IN_PROGRESS: frozenset({EmergencyStatus.RESOLVED}),
    EmergencyStatus.RESOLVED: frozenset(),
}
OPEN_STATUSES = frozenset({EmergencyStatus.SUBMITTED, EmergencyStatus.IN_PROGRESS})

# Bangladesh's national emergency number, shown to the citizen for these types.
HOTLINE = "999"
HOTLINE_TYPES = frozenset({EmergencyType.FIRE, EmergencyType.MEDICAL, EmergencyType.POLICE})

TYPE_INPUT = [*EmergencyType.values, *TYPE_CODES.values()]
STATUS_INPUT = [*EmergencyStatus.values, *STATUS_CODES.values()]
