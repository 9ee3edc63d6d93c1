"""Error tracking: Sentry (when SENTRY_DSN is set) with phones, tokens, OTPs and payment secrets
scrubbed from every event and breadcrumb before it leaves the process."""

import re
from typing import Any

from .logging import MASK, mask_secrets

# Bangladeshi mobile numbers as people and our code write them: +8801712345678, 8801712345678,
# 01712345678, "+880 1712-345678".
_PHONE = re.compile(r"(?<![\d+])(?:\+?880[ -]?|0)1[3-9]\d{2}[ -]?\d{6}(?!\d)")
# "Authorization: Bearer abc", "Token abc" as a header's value or inside a message.
_BEARER = re.compile(r"(?i)\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
# A one-time code in words: "OTP 123456", "verification code: 123456", "otp_code=123456".
_OTP_TEXT = re.compile(r"(?i)\b(otp|code|pin)([^\d\n]{0,20}?)\d{4,8}(?!\d)")
# Station device keys (sts_…) wherever they show.
_DEVICE_KEY = re.compile(r"\bsts_[A-Za-z0-9_-]{8,}")
# Keys whose values are secrets whatever they look like: tokens, passwords, OTP codes, device keys
# and the payment providers' credentials and signatures.
_SECRET_KEY = re.compile(
    r"(?i)(pass(word|wd)?|secret|token|api[_-]?key|authori[sz]ation|cookie|session|csrf|"
    r"credential|otp|device[_-]?key|private[_-]?key|signature|sensitive|store_passwd|"
    r"app[_-]?key|^code$|^pin$|^x[_-]device[_-]key$)"
)


def scrub_text(text: str) -> str:
    """``text`` with phone numbers, tokens (JWTs, bearer values, token query values, device
    keys) and one-time codes masked."""
    text = mask_secrets(text)
    text = _BEARER.sub(lambda match: f"{match.group(1)} {MASK}", text)
    text = _DEVICE_KEY.sub(MASK, text)
    text = _OTP_TEXT.sub(lambda match: f"{match.group(1)}{match.group(2)}{MASK}", text)
    return _PHONE.sub(MASK, text)


def scrub(value: Any, key: str = "") -> Any:
    """``value`` (an event or a part of one) with every secret masked: values under a secret
    key whole, and the secrets inside every other string."""
    if key and _SECRET_KEY.search(key) and isinstance(value, str | int | float | bytes):
        return MASK
    if isinstance(value, dict):
        return {k: scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        # Headers arrive as [name, value] pairs in some integrations.
        if len(value) == 2 and isinstance(value[0], str) and _SECRET_KEY.search(value[0]):
            return [value[0], MASK]
        return [scrub(item) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def before_send(event: dict, hint: dict) -> dict:
    return scrub(event)


def before_breadcrumb(crumb: dict, hint: dict) -> dict:
    return scrub(crumb)


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Starts the SDK with the Django and Celery integrations; no personal data is sent, and
    what slips through (a phone in an exception's text, a token in a local variable) is masked
    by ``before_send``."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
    )
