"""JWT authentication for the API, plus revocation of single access tokens at sign-out.

Access tokens live 24 hours (seed SIMPLE_JWT). Signing out must end the session at once and for
good, so the access token's ``jti`` is written to a table (RevokedAccessToken, purged by beat once
the token would have expired anyway) and the verdict is kept in the cache as a fast path:

- ``revoked`` until the token's expiry, written by the revocation itself;
- ``ok`` for JWT_REVOCATION_CHECK_SECONDS after the table said so, added only where no verdict
  is cached, so it can never overwrite a revocation that raced it.

A restart or an evicted key costs one primary-key lookup, never a signed-out session coming back.
A password change ends every session through simplejwt's ``hash_password`` claim instead.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from . import rls
from .accounts import account_get
from .models import RevokedAccessToken

_VERDICT = "jwt:revoked:{jti}"
_REVOKED = "revoked"
_OK = "ok"


def access_token_revoke(token) -> None:
    """Refuse ``token`` (a validated access token) from now until it expires."""
    expires_at = datetime.fromtimestamp(token["exp"], tz=UTC)
    ttl = int((expires_at - datetime.now(tz=UTC)).total_seconds())
    if ttl <= 0:
        return
    RevokedAccessToken.objects.get_or_create(jti=token["jti"], defaults={"expires_at": expires_at})
    cache.set(_VERDICT.format(jti=token["jti"]), _REVOKED, timeout=ttl)
    user_id = token.get(settings.SIMPLE_JWT.get("USER_ID_CLAIM", "user_id"))
    if user_id:
        from .websocket import sockets_recheck  # sockets opened with it close now

        sockets_recheck(user_id)


def access_token_revoked(token) -> bool:
    jti = token.get("jti")
    if not jti:
        return False
    key = _VERDICT.format(jti=jti)
    verdict = cache.get(key)
    if verdict is None:
        revoked = RevokedAccessToken.objects.filter(jti=jti).exists()
        if revoked:
            ttl = int(token["exp"] - datetime.now(tz=UTC).timestamp())
            cache.set(key, _REVOKED, timeout=max(ttl, 1))
        else:
            cache.add(key, _OK, timeout=settings.JWT_REVOCATION_CHECK_SECONDS)
        return revoked
    return verdict == _REVOKED


class JWTAuthentication(authentication.JWTAuthentication):
    def authenticate(self, request):
        # The token's account is looked up as the system when not cached (core.accounts); then
        # it acts, and PostgreSQL's row-level security sees that user for the rest of the request.
        found = super().authenticate(request)
        if found is not None:
            rls.act_for(found[0])
        return found

    def get_user(self, validated_token, *, fresh: bool = False):
        """simplejwt's checks on the account (exists, active, password unchanged), on the copy
        core.accounts keeps (a primary-key lookup saved on almost every request), or on the row
        itself when ``fresh``."""
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        if user_id is None:
            raise InvalidToken(_("Token contained no recognizable user identification"))
        user = account_get(user_id, fresh=fresh)
        if user is None:
            raise AuthenticationFailed(_("User not found"), code="user_not_found")
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        if api_settings.CHECK_REVOKE_TOKEN and validated_token.get(
            api_settings.REVOKE_TOKEN_CLAIM
        ) != get_md5_hash_password(user.password):
            raise AuthenticationFailed(
                _("The user's password has been changed."), code="password_changed"
            )
        return user

    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if access_token_revoked(token):
            raise InvalidToken(
                {"detail": _("This session has been signed out."), "code": "token_not_valid"}
            )
        return token


class JWTScheme(SimpleJWTScheme):
    """Documents our subclass in OpenAPI exactly like simplejwt's own class."""

    target_class = "core.authentication.JWTAuthentication"
