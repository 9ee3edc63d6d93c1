"""Waste enumerations and limits (dependency-free, shared by models, services and serializers)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WasteType(models.TextChoices):
    HOUSEHOLD = "household", _("Household waste")
    RECYCLABLE = "recyclable", _("Recyclables")
    MEDICAL = "medical", _("Medical waste")
    CONSTRUCTION = "construction", _("Construction debris")
    BULKY = "bulky", _("Bulky items")


class Weekday(models.IntegerChoices):
    """The Bangladeshi week (API.md): 0 is Saturday, 6 is Friday."""

    SATURDAY = 0, _("Saturday")
    SUNDAY = 1, _("Sunday")
    MONDAY = 2, _("Monday")
    TUESDAY = 3, _("Tuesday")
    WEDNESDAY = 4, _("Wednesday")
    THURSDAY = 5, _("Thursday")
    FRIDAY = 6, _("Friday")


def weekday_from_python(python_weekday: int) -> int:
    """datetime.weekday() (Monday 0) → our day_of_week (Saturday 0)."""
    return (python_weekday + 2) % 7


def weekday_to_python(day_of_week: int) -> int:
    """Our day_of_week (Saturday 0) → datetime.weekday() (Monday 0)."""
    return (day_of_week - 2) % 7


class SpecialStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    # Its own context: a notice that is "Scheduled" is waiting to be published, which Bengali
    # says differently from a collection that has its date.
    SCHEDULED = "scheduled", pgettext_lazy("special collection", "Scheduled")
    COLLECTED = "collected", _("Collected")
    REJECTED = "rejected", _("Rejected")


# Staff moves of a special collection (API.md): anything else is 409 invalid_transition.
SPECIAL_MOVES = {
    SpecialStatus.REQUESTED: {SpecialStatus.SCHEDULED, SpecialStatus.REJECTED},
    SpecialStatus.SCHEDULED: {SpecialStatus.COLLECTED, SpecialStatus.REJECTED},
    SpecialStatus.COLLECTED: set(),
    SpecialStatus.REJECTED: set(),
}


class PaymentState(models.TextChoices):
    """Where the fee of a special collection stands (free requests say ``not_required``)."""

    NOT_REQUIRED = "not_required", _("No fee")
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")
    REFUNDED = "refunded", _("Refunded")


# A station is flagged and its ward's staff told at this share of its capacity; the super admins
# are told too at the second.
STATION_WARNING_PERCENT = Decimal("80")
STATION_FULL_PERCENT = Decimal("100")

DESCRIPTION_MAX_CHARS = 2_000
ADDRESS_MAX_CHARS = 500
NOTES_MAX_CHARS = 500
COMMENT_MAX_CHARS = 1_000
# How far ahead a special collection may be asked for or scheduled.
SPECIAL_DAYS_AHEAD = 365
