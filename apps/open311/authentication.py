"""The ``api_key`` parameter: who files a service request (the key's integration account)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from core.exceptions import ErrorCode, PermissionDenied

from .models import Open311ApiKey
from .selectors import open311_api_key_find
from .services import open311_api_key_touch

PARAMETER = "api_key"


def _api_key_sent(request) -> str:
    data = request.data if isinstance(request.data, Mapping) else {}
    return str(data.get(PARAMETER) or request.query_params.get(PARAMETER) or "").strip()


class ApiKeyAuthentication(BaseAuthentication):
    """Reads ``api_key`` from the form (or the query string) of a POST; reads need no key.

    No ``authenticate_header``, so DRF answers a bad key with 403, as the spec asks.
    """

    def authenticate(self, request):
        if request.method != "POST":
            return None
        raw = _api_key_sent(request)
        if not raw:
            return None
        api_key = open311_api_key_find(raw=raw)
        if api_key is None or not api_key.is_active or not api_key.owner.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked api_key."))
        open311_api_key_touch(api_key=api_key)
        return api_key.owner, api_key


class ApiKeyRequired(BasePermission):
    def has_permission(self, request, view) -> bool:
        # Only POST files anything; other methods go on to their answer (or to 405).
        if request.method != "POST" or isinstance(request.auth, Open311ApiKey):
            return True
        raise PermissionDenied(
            _("An api_key is required to submit a service request."),
            code=ErrorCode.API_KEY_REQUIRED,
        )


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apps.open311.authentication.ApiKeyAuthentication"
    name = "open311ApiKey"

    def get_security_definition(self, auto_schema):
        # The spec sends it as a form field; OpenAPI can only name query, header or cookie.
        return {"type": "apiKey", "in": "query", "name": PARAMETER}
