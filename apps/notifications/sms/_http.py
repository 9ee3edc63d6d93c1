"""What the HTTP SMS clients share: their log, credentials and error mapping."""

from __future__ import annotations

import logging

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.phone import mask_phone
from core.transports import network_error_code

from .base import SmsError, SmsMessage, SmsReceipt

logger = logging.getLogger("clean_care.sms")


def required_setting(value: str | None, setting: str, *, backend: str) -> str:
    """``value`` if given, else ``settings.<setting>``; a backend is never built without it."""
    value = value if value is not None else getattr(settings, setting)
    if not value:
        raise ImproperlyConfigured(
            f"The {backend} SMS backend needs {setting}; set it in the environment "
            "or choose another SMS_BACKEND."
        )
    return value


def network_error(exc: httpx.TransportError, provider: str) -> SmsError:
    """A network failure as a transient SmsError; its code says whether it may have been sent."""
    return SmsError(
        f"{provider} unreachable: {type(exc).__name__}",
        code=network_error_code(exc),
        transient=True,
    )


def log_sent(provider: str, message: SmsMessage, receipt: SmsReceipt) -> None:
    """One line per text handed over; never the text (it holds the OTP) or a credential."""
    logger.info(
        "sms sent provider=%s phone=%s csms_id=%s status=%s reference=%s",
        provider,
        mask_phone(message.phone),
        message.csms_id,
        "DUPLICATE" if receipt.duplicate else "SUCCESS",
        receipt.reference,
    )


def log_failure(provider: str, message: SmsMessage, error: SmsError) -> None:
    logger.warning(
        "sms failed provider=%s phone=%s csms_id=%s code=%s transient=%s",
        provider,
        mask_phone(message.phone),
        message.csms_id,
        error.code,
        error.transient,
    )
