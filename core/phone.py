"""Bangladeshi mobile numbers: parse any common spelling, store E.164 (+8801[3-9]XXXXXXXX)."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_BD_MOBILE_E164 = re.compile(r"^\+8801[3-9]\d{8}$")
INVALID_PHONE_MESSAGE = _("Enter a valid Bangladeshi mobile number, e.g. 01712345678.")


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of a Bangladeshi mobile number, or raise ValidationError.

    Accepts 01XXXXXXXXX, 8801XXXXXXXXX and +8801XXXXXXXXX, with spaces, dashes or Bengali digits.
    """
    try:
        number = phonenumbers.parse(str(raw), "BD")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone") from exc
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(number) or not _BD_MOBILE_E164.match(e164):
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    return e164


def msisdn(e164: str) -> str:
    """The 8801XXXXXXXXX form the SMS gateways expect."""
    return e164.lstrip("+")


def mask_phone(e164: str) -> str:
    """+8801712345678 -> +88017*****678, for logs and public pages."""
    return e164[:6] + "*" * max(0, len(e164) - 9) + e164[-3:] if len(e164) > 9 else "***"


def is_mobile_number(value: str | None) -> bool:
    """True for a stored E.164 Bangladeshi mobile number (what the SMS gateways can reach)."""
    return bool(value) and bool(_BD_MOBILE_E164.match(value))
