"""Sign-up, verification, sign-in and passwords: the account flows of /auth/."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.users.models import ActivityAction, User, UserType
from apps.users.services import (
    activity_record,
    phone_taken,
    user_apply_registration,
    user_create,
    user_details_clean,
    user_revoke_tokens,
)
from core.accounts import account_forget
from core.exceptions import (
    ErrorCode,
    NotAuthenticated,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from core.figures import accounts_touch
from core.phone import mask_phone
from core.websocket import sockets_recheck

from ..models import OtpPurpose
from .otp import otp_consume, otp_invalid, otp_issue, otp_latest_payload
from .tokens import tokens_for_user

logger = logging.getLogger(__name__)


def _password_validate(password: str, *, user: User) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages[0], details={"password": exc.messages}) from exc


def _active_user(phone: str) -> User:
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        raise otp_invalid()
    return user


@transaction.atomic
def auth_register(
    *,
    phone: str,
    name: str,
    password: str,
    email: str | None = None,
    nid: str | None = None,
    address: str | None = None,
    ward_number: str | None = None,
    language: str = "bn",
    request=None,
) -> User:
    """Create an unverified citizen and text an OTP.

    Registering again with a phone that never got verified sends a new code carrying the new
    details; they replace the pending account's only when that code is verified, so a stranger
    re-registering someone's number changes nothing unless the phone's owner types the code.
    A verified, deactivated or staff account is refused.
    """
    existing = User.objects.select_for_update().filter(phone=phone).first()
    if existing is not None and (
        existing.is_verified or not existing.is_active or existing.user_type != UserType.CITIZEN
    ):
        raise phone_taken()
    _password_validate(password, user=User(phone=phone, name=name, email=email or None))
    details = user_details_clean(
        data={"email": email, "nid": nid, "address": address, "ward_number": ward_number},
        exclude=existing,
    )
    if existing is None:
        user = user_create(phone=phone, name=name, password=password, language=language, **details)
    else:
        user = existing
    payload = {**details, "name": name, "language": language, "password": make_password(password)}
    otp_issue(user=user, purpose=OtpPurpose.REGISTRATION, payload=payload, request=request)
    activity_record(
        action=ActivityAction.REGISTER,
        actor=user,
        request=request,
        resource=user,
        details={"again": existing is not None},
    )
    return user


def auth_verify_registration(*, phone: str, code: str, request=None) -> tuple[User, dict]:
    """Check the registration OTP, apply the details it carries, sign the person in."""
    user = _active_user(phone)
    otp = otp_consume(user=user, purpose=OtpPurpose.REGISTRATION, code=code, request=request)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if otp.payload:
            user_apply_registration(user=user, payload=otp.payload)
        user.is_verified = True
        user.last_login = timezone.now()
        user.save(update_fields=["is_verified", "last_login", "updated_at"])
        transaction.on_commit(accounts_touch)
        activity_record(
            action=ActivityAction.OTP_VERIFIED, actor=user, request=request, resource=user
        )
        return user, tokens_for_user(user)


def auth_resend_otp(*, phone: str, purpose: str, request=None) -> None:
    """Send a fresh code. For password reset it behaves exactly like password-reset (no hints)."""
    if purpose == OtpPurpose.PASSWORD_RESET:
        auth_password_reset_request(phone=phone, request=request)
        return
    with transaction.atomic():
        user = User.objects.select_for_update().filter(phone=phone, is_active=True).first()
        if user is None or user.is_verified:
            message = _("There is no registration waiting for a code on this number.")
            raise ValidationFailed(
                message, code=ErrorCode.NO_PENDING_REGISTRATION, details={"phone": [message]}
            )
        payload = otp_latest_payload(phone=phone, purpose=OtpPurpose.REGISTRATION)
        otp_issue(user=user, purpose=OtpPurpose.REGISTRATION, payload=payload, request=request)


def auth_credentials_check(*, phone: str, password: str, request=None) -> User:
    """The active, verified user behind ``phone`` + ``password``; a miss is audited."""
    user = authenticate(request, phone=phone, password=password)
    if user is None:
        activity_record(
            action=ActivityAction.LOGIN_FAILED,
            actor=User.objects.filter(phone=phone).first(),
            request=request,
            details={"phone": mask_phone(phone)},
        )
        raise NotAuthenticated(
            _("Wrong phone number or password."), code=ErrorCode.INVALID_CREDENTIALS
        )
    if not user.is_verified:
        raise PermissionDenied(
            _("Please verify your phone number with the code we sent first."),
            code=ErrorCode.NOT_VERIFIED,
        )
    return user


def auth_login_record(*, user: User, request=None, details: dict | None = None) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        account_forget(user.pk)  # update() sends no post_save
        activity_record(
            action=ActivityAction.LOGIN,
            actor=user,
            request=request,
            resource=user,
            details=details,
        )


STAFF_TYPES = frozenset({UserType.ADMIN, UserType.SUPER_ADMIN, UserType.SERVICE_PROVIDER})


def auth_login(*, phone: str, password: str, code: str = "", request=None) -> tuple[User, dict]:
    """Tokens for the right phone + password. Staff, when CONSOLE_OTP_REQUIRED, also need the
    code texted to them: the API is as hard to enter as the console, or the console's second
    factor would only be a detour."""
    user = auth_credentials_check(phone=phone, password=password, request=request)
    details = None
    if settings.CONSOLE_OTP_REQUIRED and user.user_type in STAFF_TYPES:
        if not code:
            auth_second_factor_ask(user=user, request=request)
        otp_consume(user=user, purpose=OtpPurpose.LOGIN, code=code, request=request)
        details = {"second_factor": "sms"}
    auth_login_record(user=user, request=request, details=details)
    user.refresh_from_db()
    return user, tokens_for_user(user)


def auth_second_factor_ask(*, user: User, request=None):
    """Text a sign-in code (unless one went moments ago and is still on its way) and refuse
    with ``second_factor_required``, so the client asks its user for the code."""
    try:
        auth_staff_code_send(user=user, request=request)
    except RateLimited as exc:
        if exc.code != ErrorCode.OTP_COOLDOWN:
            raise
    raise PermissionDenied(
        _("We sent a sign-in code by SMS. Send it as “code” with your phone and password."),
        code=ErrorCode.SECOND_FACTOR_REQUIRED,
    )


def auth_staff_credentials_check(*, phone: str, password: str, request=None) -> User:
    """The staff member behind ``phone`` + ``password``, not yet signed in (no LOGIN row); a
    citizen's right password is refused and audited."""
    user = auth_credentials_check(phone=phone, password=password, request=request)
    if user.user_type not in STAFF_TYPES:
        activity_record(
            action=ActivityAction.LOGIN_FAILED,
            actor=user,
            request=request,
            details={"phone": mask_phone(phone), "channel": "console", "reason": "not_staff"},
        )
        raise PermissionDenied(_("The console is for city staff. Citizens use the Clean Care app."))
    return user


def auth_staff_sign_in(*, phone: str, password: str, request=None) -> User:
    """Sign-in to the staff console by password alone (CONSOLE_OTP_REQUIRED off)."""
    user = auth_staff_credentials_check(phone=phone, password=password, request=request)
    auth_login_record(user=user, request=request, details={"channel": "console"})
    return user


@transaction.atomic
def auth_staff_code_send(*, user: User, request=None):
    """Second factor: text a sign-in code (the API's OTP, with its cooldown and hourly cap)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    return otp_issue(user=user, purpose=OtpPurpose.LOGIN, request=request)


def auth_staff_code_verify(*, user: User, code: str, request=None) -> User:
    """Second factor: the right, live code completes the console sign-in (LOGIN recorded then);
    a wrong one counts against the code's attempt limit (otp_consume)."""
    otp_consume(user=user, purpose=OtpPurpose.LOGIN, code=code, request=request)
    auth_login_record(
        user=user, request=request, details={"channel": "console", "second_factor": "sms"}
    )
    return user


def auth_staff_sign_out(*, user: User, request=None) -> None:
    """The console session has ended (the view cleared it first): the trail shows when, and
    sockets opened with that session's cookie check again and close."""
    sockets_recheck(user.pk)
    activity_record(
        action=ActivityAction.LOGOUT,
        actor=user,
        request=request,
        resource=user,
        details={"channel": "console"},
    )


@transaction.atomic
def auth_change_password(
    *, user: User, current_password: str, new_password: str, request=None
) -> dict:
    """Change the password; every other session ends (tokens minted before stop working)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(current_password):
        message = _("The current password is wrong.")
        raise ValidationFailed(
            message, code=ErrorCode.WRONG_PASSWORD, details={"current_password": [message]}
        )
    _password_validate(new_password, user=user)
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    user_revoke_tokens(user=user)
    activity_record(
        action=ActivityAction.PASSWORD_CHANGED, actor=user, request=request, resource=user
    )
    return tokens_for_user(user)


def auth_password_reset_request(*, phone: str, request=None) -> None:
    """Text a reset code if the account exists. Callers answer the same either way."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(phone=phone, is_active=True).first()
        if user is None:
            logger.info("password reset asked for unknown phone %s", mask_phone(phone))
            return
        try:
            with transaction.atomic():
                otp_issue(user=user, purpose=OtpPurpose.PASSWORD_RESET, request=request)
        except RateLimited:
            # Answering 429 here would tell a stranger the account exists.
            logger.info("password reset for %s inside its SMS limits", mask_phone(phone))


def auth_password_reset_confirm(*, phone: str, code: str, new_password: str, request=None) -> None:
    # The password is judged before the account is looked up, so every phone gets the same
    # answer to a weak password (no way to learn which numbers are registered).
    _password_validate(new_password, user=User(phone=phone))
    user = _active_user(phone)
    otp_consume(user=user, purpose=OtpPurpose.PASSWORD_RESET, code=code, request=request)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(new_password)
        # Reading the code proves the person holds the phone.
        user.is_verified = True
        user.save(update_fields=["password", "is_verified", "updated_at"])
        transaction.on_commit(accounts_touch)
        user_revoke_tokens(user=user)
        activity_record(
            action=ActivityAction.PASSWORD_RESET, actor=user, request=request, resource=user
        )
