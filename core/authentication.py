"""JWT authentication for the API, plus revocation of single access tokens at sign-out.

Access tokens live 24 hours (seed SIMPLE_JWT). Signing out must end the session at once, so
the access token's ``jti`` is kept in the cache until the token would have expired anyway.
A password change ends every session through simplejwt's ``hash_password`` claim instead.
"""

import time

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import InvalidToken

_REVOKED = "jwt:revoked:{jti}"


def access_token_revoke(token) -> None:
    """Refuse ``token`` (a validated access token) from now until it expires."""
    ttl = int(token["exp"] - time.time())
    if ttl > 0:
        cache.set(_REVOKED.format(jti=token["jti"]), 1, timeout=ttl)


class JWTAuthentication(authentication.JWTAuthentication):
    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if cache.get(_REVOKED.format(jti=token.get("jti"))):
            raise InvalidToken(
                {"detail": _("This session has been signed out."), "code": "token_not_valid"}
            )
        return token


class JWTScheme(SimpleJWTScheme):
    """Documents our subclass in OpenAPI exactly like simplejwt's own class."""

    target_class = "core.authentication.JWTAuthentication"
