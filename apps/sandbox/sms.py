"""SMS gateway simulators (SSL Wireless ISMS Plus v3, BulkSMSBD) as plain functions, plus outbox.

Each simulator takes what the provider's HTTP endpoint receives (a dict of fields) and returns
``(http_status, body)`` with the provider's documented field names (GATEWAYS.md §5.1 and §5.2).
The views in ``views.py`` are their HTTP faces; the sandbox SMS backend calls them in-process.

Failure knobs, chosen by the destination number so any client can trigger them:

* ISMS: a msisdn ending in ``0000000`` answers HTTP 500 with status_code 5000 (internal error,
  transient); ``0004029`` answers 4029 (too many requests, transient); ``0004026`` answers 4026
  (blocked msisdn, permanent). Nothing is stored.
* BulkSMSBD: a number ending in ``0000000`` answers response_code 1005 (internal error). Nothing
  is stored.
"""

from __future__ import annotations

import hmac
import re
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.authentication.models import OTPVerification
from core.phone import normalize_phone

from .models import SandboxSms, SandboxSmsProvider

# ---------------------------------------------------------------------------------------------
# SSL Wireless ISMS Plus v3: POST /api/v3/send-sms
# ---------------------------------------------------------------------------------------------
ISMS_SANDBOX_TOKEN = "sandbox-token"  # noqa: S105 - a public sandbox value, not a secret
ISMS_MAX_CSMS_ID = 20
ISMS_MAX_TEXT = 1000
ISMS_FIELDS = ("api_token", "sid", "msisdn", "sms", "csms_id")
ISMS_KNOBS = {
    "0000000": (500, 5000, "Internal server error"),
    "0004029": (200, 4029, "Too many requests"),
    "0004026": (200, 4026, "Blocked msisdn"),
}
_BD_MSISDN = re.compile(r"^8801[3-9]\d{8}$")


def ismsplus_send_sms(payload: Any) -> tuple[int, dict]:
    """Simulate ISMS v3 single send: validate like the provider, store the SMS, answer its JSON."""
    if not isinstance(payload, dict) or any(
        payload.get(field) is not None and not isinstance(payload[field], str)
        for field in ISMS_FIELDS
    ):
        return _isms_failed(4004, "Invalid request format")
    if not _isms_token_valid(payload.get("api_token") or ""):
        return _isms_failed(4001, "Unauthorized")
    if not (payload.get("sid") or "").strip():
        return _isms_failed(4002, "SID not permitted")
    missing = [field for field in ("msisdn", "sms", "csms_id") if not payload.get(field)]
    if missing:
        return _isms_failed(4022, f"Required parameter missing: {', '.join(missing)}")
    number, text, csms_id = payload["msisdn"], payload["sms"], payload["csms_id"]
    if len(csms_id) > ISMS_MAX_CSMS_ID:
        return _isms_failed(4020, "Invalid csms_id")
    if not _BD_MSISDN.match(number):
        return _isms_failed(4025, "Invalid msisdn")
    if len(text) > ISMS_MAX_TEXT:
        return _isms_failed(4027, "Message too long")
    if number[-7:] in ISMS_KNOBS:
        http_status, code, reason = ISMS_KNOBS[number[-7:]]
        return _isms_failed(code, reason, http_status=http_status)

    sms = _store(SandboxSmsProvider.SSLWIRELESS, number=number, text=text, csms_id=csms_id)
    if sms is None:
        return _isms_failed(4023, "Duplicate csms_id")
    return 200, {
        "status": "SUCCESS",
        "status_code": 200,
        "error_message": "",
        "smsinfo": [
            {
                "sms_status": "SUCCESS",
                "status_message": "Success",
                "msisdn": number,
                "sms_type": "EN" if text.isascii() else "BN",
                "sms_body": text,
                "csms_id": csms_id,
                "reference_id": sms.reference_id,
            }
        ],
    }


def _isms_token_valid(token: str) -> bool:
    accepted = [ISMS_SANDBOX_TOKEN, settings.SSLWIRELESS_API_TOKEN]
    return any(
        candidate and hmac.compare_digest(token.encode(), candidate.encode())
        for candidate in accepted
    )


def _isms_failed(code: int, reason: str, *, http_status: int = 200) -> tuple[int, dict]:
    # ISMS reports business errors with HTTP 200 and the code in the body.
    return http_status, {
        "status": "FAILED",
        "status_code": code,
        "error_message": reason,
        "smsinfo": [],
    }


# ---------------------------------------------------------------------------------------------
# BulkSMSBD: GET|POST /api/smsapi
# ---------------------------------------------------------------------------------------------
BULKSMSBD_SANDBOX_KEY = "sandbox-key"
BULKSMSBD_FAILING_SUFFIX = "0000000"


def bulksmsbd_send(form: Any) -> tuple[int, dict]:
    """Simulate BulkSMSBD smsapi: validate like the provider, store each SMS, answer its JSON."""
    form = form if isinstance(form, dict) else {}
    fields = {name: str(form.get(name) or "").strip() for name in ("api_key", "type", "number")}
    message = str(form.get("message") or "")
    if not (fields["api_key"] and fields["number"] and message) or fields["type"] != "text":
        return _bulksmsbd_failed(1003, "Please Required all fields")
    if not _bulksmsbd_key_valid(fields["api_key"]):
        return _bulksmsbd_failed(1011, "User Id not found")
    if not str(form.get("senderid") or "").strip():
        return _bulksmsbd_failed(1002, "Sender Id not correct/sender id is disabled")
    numbers = [number.strip() for number in fields["number"].split(",")]
    if not all(_BD_MSISDN.match(number) for number in numbers):
        return _bulksmsbd_failed(1001, "Invalid Number")
    if any(number.endswith(BULKSMSBD_FAILING_SUFFIX) for number in numbers):
        return _bulksmsbd_failed(1005, "Internal Error")

    message_id = 10_000_000 + secrets.randbelow(90_000_000)
    for number in numbers:
        _store(SandboxSmsProvider.BULKSMSBD, number=number, text=message, reference=message_id)
    return 200, {
        "response_code": 202,
        "message_id": message_id,
        "success_message": "SMS Submitted Successfully",
        "error_message": "",
    }


def _bulksmsbd_key_valid(key: str) -> bool:
    accepted = [BULKSMSBD_SANDBOX_KEY, settings.BULKSMSBD_API_KEY]
    return any(
        candidate and hmac.compare_digest(key.encode(), candidate.encode())
        for candidate in accepted
    )


def _bulksmsbd_failed(code: int, reason: str) -> tuple[int, dict]:
    return 200, {"response_code": code, "success_message": "", "error_message": reason}


# ---------------------------------------------------------------------------------------------
# Shared: storing and reading the outbox
# ---------------------------------------------------------------------------------------------
def _store(
    provider: str, *, number: str, text: str, csms_id: str | None = None, reference: Any = None
) -> SandboxSms | None:
    """Store one accepted SMS; None when its csms_id was taken (also by a concurrent request)."""
    if csms_id and SandboxSms.objects.filter(provider=provider, csms_id=csms_id).exists():
        return None
    try:
        with (
            transaction.atomic()
        ):  # a savepoint, so a lost race leaves the caller's transaction usable
            return SandboxSms.objects.create(
                provider=provider,
                msisdn=number,
                phone=f"+{number}",
                text=text,
                csms_id=csms_id,
                reference_id=str(reference) if reference is not None else uuid.uuid4().hex,
            )
    except IntegrityError:
        return None


def _e164_or_none(phone: str | None) -> str | None:
    try:
        return normalize_phone(phone) if phone else None
    except ValidationError:
        return None


def sandbox_outbox(phone: str | None, limit: int = 50) -> QuerySet[SandboxSms]:
    """The newest SMS the simulators accepted for ``phone`` (any spelling); none if invalid."""
    e164 = _e164_or_none(phone)
    if e164 is None:
        return SandboxSms.objects.none()
    return SandboxSms.objects.filter(phone=e164).order_by("-created_at")[:limit]


def sms_on_its_way(phone: str | None, newest: SandboxSms | None) -> bool:
    """Whether a live code was issued to ``phone`` after its newest text here (still queued)."""
    e164 = _e164_or_none(phone)
    if e164 is None:
        return False
    codes = OTPVerification.objects.filter(
        phone=e164, is_verified=False, is_void=False, expires_at__gt=timezone.now()
    )
    if newest is not None:
        codes = codes.filter(created_at__gt=newest.created_at)
    return codes.exists()


def code_in(text: str) -> str | None:
    """The one-time code in a text (the first run of exactly OTP_LENGTH digits), if any."""
    match = re.search(rf"(?<!\d)\d{{{settings.OTP_LENGTH}}}(?!\d)", text)
    return match.group() if match else None
