"""JWT pairs: minting with our claims, single-use rotation, sign-out of one session."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from apps.users.models import ActivityAction, User
from apps.users.services import activity_record
from core.authentication import access_token_revoke
from core.exceptions import ErrorCode, NotAuthenticated, ValidationFailed

SIGNED_OUT = _("The refresh token is invalid or already signed out.")
REQUIRED = _("This field is required.")


def refresh_invalid() -> NotAuthenticated:
    return NotAuthenticated(
        _("The refresh token is invalid or expired. Please sign in again."),
        code=ErrorCode.TOKEN_NOT_VALID,
    )


def tokens_for_user(user: User) -> dict[str, str]:
    """A fresh refresh/access pair; the access token carries phone, user_type and is_verified."""
    refresh = RefreshToken.for_user(user)
    access = refresh.access_token
    access["phone"] = user.phone
    access["user_type"] = user.user_type
    access["is_verified"] = user.is_verified
    return {"access": str(access), "refresh": str(refresh)}


def auth_refresh(*, raw_refresh: str) -> dict[str, str]:
    """Rotate a refresh token: the old one is blacklisted exactly once, a new pair is issued."""
    try:
        token = RefreshToken(raw_refresh)
    except TokenError as exc:
        raise refresh_invalid() from exc
    with transaction.atomic():
        outstanding = OutstandingToken.objects.select_for_update().filter(jti=token["jti"]).first()
        if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
            raise refresh_invalid()
        user = User.objects.filter(pk=token.get("user_id"), is_active=True).first()
        if user is None or token.get("hash_password") != get_md5_hash_password(user.password):
            raise refresh_invalid()
        BlacklistedToken.objects.create(token=outstanding)
        return tokens_for_user(user)


def auth_logout(*, user: User, raw_refresh: str, access_token=None, request=None) -> None:
    """Sign out: the access token that asked (``access_token``) stops at once, whatever the
    refresh token; then the refresh token is blacklisted, which must be the user's own.

    A missing, malformed or foreign refresh token is refused (400) after the access token has
    stopped: a client that signs out with the wrong refresh token is still signed out here.
    """
    if access_token is not None:
        access_token_revoke(access_token)
    refused = None
    if not raw_refresh:
        refused = ValidationFailed(REQUIRED, details={"refresh_token": [REQUIRED]})
    else:
        try:
            token = RefreshToken(raw_refresh)
        except TokenError:
            token = None
        if token is None or str(token.get("user_id")) != str(user.pk):
            refused = ValidationFailed(
                SIGNED_OUT, code=ErrorCode.TOKEN_NOT_VALID, details={"refresh_token": [SIGNED_OUT]}
            )
        else:
            token.blacklist()
    activity_record(
        action=ActivityAction.LOGOUT,
        actor=user,
        request=request,
        resource=user,
        details={"refresh_token_signed_out": refused is None},
    )
    if refused is not None:
        raise refused
