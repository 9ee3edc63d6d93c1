"""One-time passwords: issue within the sending limits, consume with the guess limit, purge."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import sms_queue
from apps.users.models import ActivityAction, User
from apps.users.services import activity_record
from core.exceptions import ErrorCode, RateLimited, ValidationFailed

from ..models import OtpPurpose, OTPVerification

OTP_INVALID = _("The code is wrong or no longer valid. Request a new code.")
_NAME_IN_SMS = 24  # characters of the registering name echoed in the text


def otp_invalid() -> ValidationFailed:
    return ValidationFailed(
        OTP_INVALID, code=ErrorCode.OTP_INVALID, details={"otp_code": [OTP_INVALID]}
    )


def _hash(*, phone: str, purpose: str, code: str) -> str:
    return salted_hmac(
        "clean_care.otp", f"{phone}:{purpose}:{code}", algorithm="sha256"
    ).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(settings.OTP_LENGTH))


def _text(*, code: str, purpose: str, language: str, name: str | None) -> str:
    """The SMS. A registration text names who is registering, so a phone's owner who receives a
    code they did not ask for can see it is not theirs and not type it in."""
    minutes = int(settings.OTP_TTL.total_seconds() // 60)
    with translation.override(language):
        if purpose == OtpPurpose.PASSWORD_RESET:
            template = gettext(
                "Clean Care: your password reset code is %(code)s. It is valid for %(minutes)d "
                "minutes. Never share it with anyone."
            )
        elif purpose == OtpPurpose.LOGIN:
            template = gettext(
                "Clean Care: your staff sign-in code is %(code)s. It is valid for %(minutes)d "
                "minutes. Never share it with anyone."
            )
        else:
            template = gettext(
                "Clean Care: code %(code)s to register %(name)s. It is valid for %(minutes)d "
                "minutes. Never share it with anyone."
            )
        return template % {"code": code, "minutes": minutes, "name": (name or "")[:_NAME_IN_SMS]}


def _check_limits(*, phone: str, purpose: str, now) -> None:
    """Resend cooldown per phone and purpose; at most N texts per phone and purpose in any hour.

    Per purpose, so that anyone who knows a staff member's phone cannot spend that person's
    sign-in codes by asking for password resets (anonymous) until the console is out of reach."""
    latest = (
        OTPVerification.objects.filter(phone=phone, purpose=purpose)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    cooldown = settings.OTP_RESEND_COOLDOWN
    if latest is not None and now - latest < cooldown:
        raise RateLimited(
            _("Please wait before asking for another code."),
            code=ErrorCode.OTP_COOLDOWN,
            retry_after=(latest + cooldown - now).total_seconds(),
        )
    sent = OTPVerification.objects.filter(
        phone=phone, purpose=purpose, created_at__gte=now - timedelta(hours=1)
    )
    if sent.count() >= settings.OTP_MAX_PER_PHONE_PER_HOUR:
        oldest = sent.order_by("created_at").values_list("created_at", flat=True).first()
        raise RateLimited(
            _("Too many codes were sent to this number. Try again later."),
            code=ErrorCode.OTP_HOURLY_LIMIT,
            retry_after=(oldest + timedelta(hours=1) - now).total_seconds(),
        )


def otp_issue(
    *, user: User, purpose: str, payload: dict | None = None, request=None
) -> OTPVerification:
    """Void older codes, create a new one and text it after commit. Raises 429 inside the limits.

    ``payload`` travels with the code (a pending registration's details, applied only when this
    code is verified). Callers hold a lock on ``user`` so two requests cannot both pass the
    cooldown check.
    """
    now = timezone.now()
    _check_limits(phone=user.phone, purpose=purpose, now=now)
    OTPVerification.objects.filter(
        phone=user.phone, purpose=purpose, is_verified=False, is_void=False
    ).update(is_void=True)
    code = _new_code()
    otp = OTPVerification.objects.create(
        phone=user.phone,
        purpose=purpose,
        code_hash=_hash(phone=user.phone, purpose=purpose, code=code),
        payload=payload,
        expires_at=now + settings.OTP_TTL,
    )
    language = (payload or {}).get("language") or user.language
    name = (payload or {}).get("name") or user.name
    sms_queue(
        phone=user.phone,
        text=_text(code=code, purpose=purpose, language=language, name=name),
        csms_id=f"otp{otp.id.hex[:17]}",  # stable across retries of this one text
    )
    activity_record(
        action=ActivityAction.OTP_SENT,
        actor=user,
        request=request,
        resource=user,
        details={"purpose": purpose, "otp_id": str(otp.id)},
    )
    return otp


def otp_consume(*, user: User, purpose: str, code: str, request=None) -> OTPVerification:
    """Check ``code`` against the live OTP and use it up.

    A wrong guess is counted and committed before the error is raised (so callers must not wrap
    this in a transaction the error would roll back); the fifth wrong guess kills the code.
    """
    with transaction.atomic():
        otp = (
            OTPVerification.objects.select_for_update()
            .filter(phone=user.phone, purpose=purpose, is_verified=False, is_void=False)
            .order_by("-created_at")
            .first()
        )
        if otp is None:
            raise otp_invalid()
        if otp.is_expired:
            message = _("The code has expired. Request a new code.")
            raise ValidationFailed(
                message, code=ErrorCode.OTP_EXPIRED, details={"otp_code": [message]}
            )
        if hmac.compare_digest(_hash(phone=user.phone, purpose=purpose, code=code), otp.code_hash):
            otp.is_verified = True
            otp.verified_at = timezone.now()
            otp.save(update_fields=["is_verified", "verified_at"])
            return otp
        otp.attempts += 1
        remaining = settings.OTP_MAX_ATTEMPTS - otp.attempts
        if remaining <= 0:
            otp.is_void = True
            message = _("Too many wrong codes. Request a new code.")
            failure = ValidationFailed(
                message, code=ErrorCode.OTP_ATTEMPTS_EXCEEDED, details={"otp_code": [message]}
            )
        else:
            message = _("The code is wrong. %(remaining)d attempts left.") % {
                "remaining": remaining
            }
            failure = ValidationFailed(
                message, code=ErrorCode.OTP_INVALID, details={"otp_code": [message]}
            )
        otp.save(update_fields=["attempts", "is_void"])
        activity_record(
            action=ActivityAction.OTP_FAILED,
            actor=user,
            request=request,
            resource=user,
            details={"purpose": purpose, "attempts": otp.attempts},
        )
    raise failure


def otp_latest_payload(*, phone: str, purpose: str) -> dict | None:
    """The details carried by the newest code of a phone (a resend keeps them)."""
    return (
        OTPVerification.objects.filter(phone=phone, purpose=purpose)
        .order_by("-created_at")
        .values_list("payload", flat=True)
        .first()
    )


def otp_purge_expired() -> int:
    """Drop codes that expired over a day ago (recent ones still count toward the hourly cap)."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _detail = OTPVerification.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
