"""Typed application errors and the one handler that renders every API error in the same shape.

Shape: ``{"error": <message for a person>, "code": <machine code>, "details": {field: [msgs]}}``.
Services raise the classes below; views never catch them.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """Base of every business-rule error; carries its own HTTP status and machine code."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "bad_request"
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, code: str | None = None, details: dict | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.details = details or {}
        super().__init__(force_str(self.message))

    def headers(self) -> dict[str, str]:
        return {}


class ValidationFailed(ApplicationError):
    code = "validation_error"
    default_message = _("Some of the information you sent is not valid.")


class NotAuthenticated(ApplicationError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = "not_authenticated"
    default_message = _("Please sign in to continue.")


class PermissionDenied(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"
    default_message = _("You do not have permission to do this.")


class NotFound(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    default_message = _("Not found.")


class Conflict(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    default_message = _("This conflicts with the current state of the record.")


class PayloadTooLarge(ApplicationError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "too_large"
    default_message = _("The upload is too large.")


class UnsupportedMedia(ApplicationError):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    code = "unsupported_media_type"
    default_message = _("This file type is not supported.")


class RateLimited(ApplicationError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "throttled"
    default_message = _("Too many requests. Please try again later.")

    def __init__(self, message=None, *, retry_after: float, code: str | None = None):
        super().__init__(message, code=code, details={"retry_after": [str(_ceil(retry_after))]})
        self.retry_after = _ceil(retry_after)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class UpstreamUnavailable(ApplicationError):
    status_code = status.HTTP_502_BAD_GATEWAY
    code = "upstream_unavailable"
    default_message = _("A partner service is not answering. Please try again shortly.")


def _ceil(seconds: float | None) -> int:
    return max(1, math.ceil(seconds or 1))


# DRF's own exceptions keep their status; these are the codes we publish for them.
_DRF_CODES: dict[type[drf.APIException], str] = {
    drf.ParseError: "parse_error",
    drf.AuthenticationFailed: "authentication_failed",
    drf.NotAuthenticated: "not_authenticated",
    drf.PermissionDenied: "permission_denied",
    drf.NotFound: "not_found",
    drf.MethodNotAllowed: "method_not_allowed",
    drf.NotAcceptable: "not_acceptable",
    drf.UnsupportedMediaType: "unsupported_media_type",
    drf.Throttled: "throttled",
}


SERVER_ERROR_MESSAGE = _("Something went wrong on our side. Please try again.")
API_PATH_PREFIXES = ("/api/", "/open311/")

# What the API says when Django answers by itself (no DRF view ran): URL-level 404, handler500...
_STATUS_ERRORS = {
    400: (_("The request could not be understood."), "bad_request"),
    403: (PermissionDenied.default_message, PermissionDenied.code),
    404: (NotFound.default_message, NotFound.code),
    413: (PayloadTooLarge.default_message, PayloadTooLarge.code),
    500: (SERVER_ERROR_MESSAGE, "server_error"),
}
STATUSES_WITH_ERROR_BODY = frozenset(_STATUS_ERRORS)


def error_body(message, code: str, details: dict | None = None) -> dict[str, Any]:
    return {"error": force_str(message), "code": code, "details": details or {}}


def is_api_path(path: str) -> bool:
    return path.startswith(API_PATH_PREFIXES)


def status_error_response(status_code: int) -> JsonResponse:
    """The error body for a bare HTTP status, for code outside DRF (middleware, error handlers)."""
    message, code = _STATUS_ERRORS[status_code]
    return JsonResponse(
        error_body(message, code), status=status_code, json_dumps_params={"ensure_ascii": False}
    )


def request_parse_error_response(exc: Exception) -> JsonResponse | None:
    """The answer to a request Django refused to parse (a field too large, too many fields).

    Those are the client's mistakes, not faults of ours: no traceback, no ERROR log line.
    """
    if isinstance(exc, RequestDataTooBig):
        return status_error_response(413)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return JsonResponse(
            error_body(drf.ParseError.default_detail, _DRF_CODES[drf.ParseError]),
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return None


def _flatten_details(detail: Any) -> dict[str, list[str]]:
    """Turn DRF's nested error detail into ``{field: [messages]}`` (nested fields joined by '.')."""
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list | tuple):
            if all(not isinstance(v, dict | list | tuple) for v in value):
                out.setdefault(prefix or "non_field_errors", []).extend(force_str(v) for v in value)
            else:
                for index, inner in enumerate(value):
                    walk(f"{prefix}.{index}" if prefix else str(index), inner)
        else:
            out.setdefault(prefix or "non_field_errors", []).append(force_str(value))

    walk("", detail)
    return out


def _validation_response(detail: Any) -> Response:
    details = _flatten_details(detail)
    first = next(iter(details.values()), [ValidationFailed.default_message])[0]
    return Response(error_body(first, ValidationFailed.code, details), status=400)


def exception_handler(exc: Exception, context: dict) -> Response:
    """DRF exception handler: every error of every API view leaves in the documented shape."""
    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(
            error_body(exc.message, exc.code, exc.details),
            status=exc.status_code,
            headers=exc.headers(),
        )
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return _validation_response(detail)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = drf.ParseError()
    elif isinstance(exc, RequestDataTooBig):
        set_rollback()
        return Response(
            error_body(PayloadTooLarge.default_message, PayloadTooLarge.code), status=413
        )

    if isinstance(exc, drf.ValidationError):
        set_rollback()
        return _validation_response(exc.detail)
    if isinstance(exc, drf.APIException):
        set_rollback()
        headers = {}
        if isinstance(exc, drf.Throttled):
            headers["Retry-After"] = str(_ceil(exc.wait))
            message = RateLimited.default_message
            details = {"retry_after": [str(_ceil(exc.wait))]}
        else:
            message, details = _api_exception_message(exc)
        if isinstance(exc, drf.AuthenticationFailed | drf.NotAuthenticated):
            auth_header = _authenticate_header(context)
            if auth_header:
                headers["WWW-Authenticate"] = auth_header
        code = _code_for(exc)
        return Response(error_body(message, code, details), status=exc.status_code, headers=headers)

    # Anything else is a bug: log it with its traceback, tell the client nothing about it.
    set_rollback()
    logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
    return Response(
        error_body(SERVER_ERROR_MESSAGE, "server_error"),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def _code_for(exc: drf.APIException) -> str:
    for klass in type(exc).__mro__:
        if klass in _DRF_CODES:
            if klass is drf.AuthenticationFailed:
                # simplejwt marks bad tokens with code "token_not_valid"; keep it for clients.
                codes = exc.get_codes()
                if isinstance(codes, dict) and codes.get("code") == "token_not_valid":
                    return "token_not_valid"
            return _DRF_CODES[klass]
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else "error"


def _api_exception_message(exc: drf.APIException) -> tuple[str, dict]:
    detail = exc.detail
    if isinstance(detail, dict):
        # simplejwt's InvalidToken: {"detail": ..., "code": ..., "messages": [...]}
        message = detail.get("detail") or next(iter(detail.values()), "")
        return force_str(message), {}
    if isinstance(detail, list):
        return force_str(detail[0]) if detail else "", {}
    return force_str(detail), {}


def _authenticate_header(context: dict) -> str | None:
    view = context.get("view")
    request = context.get("request")
    if view is None or request is None:
        return None
    return view.get_authenticate_header(request)
