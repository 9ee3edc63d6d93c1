"""Typed application errors and the one handler that renders every API error in the same shape.

Shape: ``{"error": <message for a person>, "code": <machine code>, "details": {field: [msgs]}}``.
Services raise the classes below; views never catch them.
"""

from __future__ import annotations

import logging
import math
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


class ErrorCode(StrEnum):
    """Every ``code`` an error body can carry: the one vocabulary, listed with its meaning and
    HTTP status in docs/errors.md (core/tests/test_error_codes.py keeps the two equal)."""

    # Generic, by HTTP status
    BAD_REQUEST = "bad_request"
    VALIDATION_ERROR = "validation_error"
    PARSE_ERROR = "parse_error"
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    TOKEN_NOT_VALID = "token_not_valid"  # noqa: S105 - an error code, not a secret
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    SERVER_ERROR = "server_error"
    UPSTREAM_UNAVAILABLE = "upstream_unavailable"
    SERVER_BUSY = "server_busy"
    # Accounts and sign-in
    INVALID_CREDENTIALS = "invalid_credentials"
    NOT_VERIFIED = "not_verified"
    SECOND_FACTOR_REQUIRED = "second_factor_required"
    PHONE_TAKEN = "phone_taken"
    EMAIL_TAKEN = "email_taken"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - an error code, not a secret
    NO_PENDING_REGISTRATION = "no_pending_registration"
    CANNOT_CHANGE_SELF = "cannot_change_self"
    OTP_COOLDOWN = "otp_cooldown"
    OTP_HOURLY_LIMIT = "otp_hourly_limit"
    OTP_INVALID = "otp_invalid"
    OTP_EXPIRED = "otp_expired"
    OTP_ATTEMPTS_EXCEEDED = "otp_attempts_exceeded"
    API_KEY_REQUIRED = "api_key_required"
    # Idempotency-Key
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress"
    # Complaints
    TOO_MANY_IMAGES = "too_many_images"
    FIELD_NOT_EDITABLE = "field_not_editable"
    NOT_EDITABLE = "not_editable"
    NOT_DELETABLE = "not_deletable"
    INVALID_TRANSITION = "invalid_transition"
    INVALID_ASSIGNEE = "invalid_assignee"
    PROOF_PHOTO_REQUIRED = "proof_photo_required"
    COMPLAINT_CLOSED = "complaint_closed"
    NOT_RESOLVED = "not_resolved"
    ALREADY_RATED = "already_rated"
    # Payments and donations
    INVALID_SIGNATURE = "invalid_signature"
    NOT_REFUNDABLE = "not_refundable"
    REFUND_DECIDED = "refund_decided"
    RECEIPT_UNAVAILABLE = "receipt_unavailable"
    # Chat
    ROOM_CLOSED = "room_closed"
    INVALID_FRAME = "invalid_frame"
    # Emergencies
    EMERGENCY_CLOSED = "emergency_closed"
    ALREADY_ASSIGNED = "already_assigned"
    # Notices
    NOTICE_WITHDRAWN = "notice_withdrawn"
    # Waste
    FEE_UNPAID = "fee_unpaid"
    # City calendar
    EVENT_FULL = "event_full"
    EVENT_OVER = "event_over"
    # Reports
    NO_REPORT_SCOPE = "no_report_scope"
    REPORT_NOT_FOUND = "report_not_found"
    REPORT_NOT_READY = "report_not_ready"


class ApplicationError(Exception):
    """Base of every business-rule error; carries its own HTTP status and machine code."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = ErrorCode.BAD_REQUEST
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, code: ErrorCode | None = None, details: dict | None = None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            if not isinstance(code, ErrorCode):
                raise TypeError(f"An error code is an ErrorCode member, not {code!r}.")
            self.code = code
        self.details = details or {}
        super().__init__(force_str(self.message))

    def headers(self) -> dict[str, str]:
        return {}


class ValidationFailed(ApplicationError):
    code = ErrorCode.VALIDATION_ERROR
    default_message = _("Some of the information you sent is not valid.")


class NotAuthenticated(ApplicationError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = ErrorCode.NOT_AUTHENTICATED
    default_message = _("Please sign in to continue.")


class PermissionDenied(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    code = ErrorCode.PERMISSION_DENIED
    default_message = _("You do not have permission to do this.")


class NotFound(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    code = ErrorCode.NOT_FOUND
    default_message = _("Not found.")


class Conflict(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    code = ErrorCode.CONFLICT
    default_message = _("This conflicts with the current state of the record.")


class PayloadTooLarge(ApplicationError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = ErrorCode.TOO_LARGE
    default_message = _("The upload is too large.")


class UnsupportedMedia(ApplicationError):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE
    default_message = _("This file type is not supported.")


class RateLimited(ApplicationError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = ErrorCode.THROTTLED
    default_message = _("Too many requests. Please try again later.")

    def __init__(self, message=None, *, retry_after: float, code: ErrorCode | None = None):
        super().__init__(message, code=code, details={"retry_after": [str(_ceil(retry_after))]})
        self.retry_after = _ceil(retry_after)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class UpstreamUnavailable(ApplicationError):
    status_code = status.HTTP_502_BAD_GATEWAY
    code = ErrorCode.UPSTREAM_UNAVAILABLE
    default_message = _("A partner service is not answering. Please try again shortly.")


class ServerBusy(ApplicationError):
    """Every database connection of this process stayed busy for DB_POOL_TIMEOUT: more requests
    than the server can take. Not a bug, so not a 500: the client is asked to come back."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = ErrorCode.SERVER_BUSY
    default_message = _("The service is busy right now. Please try again in a moment.")
    retry_after_seconds = 5

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


def pool_exhausted(exc: BaseException) -> bool:
    """Whether ``exc`` (or the driver error Django wrapped in it) is psycopg's pool timing out."""
    from psycopg_pool import PoolTimeout

    return isinstance(exc, PoolTimeout) or isinstance(exc.__cause__, PoolTimeout)


def server_busy_response(*, api: bool = True) -> HttpResponse:
    """ServerBusy's answer for code outside DRF (middleware): the error body on API paths, the
    message as plain text for pages (the console, the public pages)."""
    busy = ServerBusy()
    if not api:
        return HttpResponse(
            str(busy.message),
            status=busy.status_code,
            headers=busy.headers(),
            content_type="text/plain; charset=utf-8",
        )
    return JsonResponse(
        error_body(busy.message, busy.code), status=busy.status_code, headers=busy.headers()
    )


def _ceil(seconds: float | None) -> int:
    return max(1, math.ceil(seconds or 1))


# DRF's own exceptions keep their status; these are the codes we publish for them.
_DRF_CODES: dict[type[drf.APIException], ErrorCode] = {
    drf.ParseError: ErrorCode.PARSE_ERROR,
    drf.AuthenticationFailed: ErrorCode.AUTHENTICATION_FAILED,
    drf.NotAuthenticated: ErrorCode.NOT_AUTHENTICATED,
    drf.PermissionDenied: ErrorCode.PERMISSION_DENIED,
    drf.NotFound: ErrorCode.NOT_FOUND,
    drf.MethodNotAllowed: ErrorCode.METHOD_NOT_ALLOWED,
    drf.NotAcceptable: ErrorCode.NOT_ACCEPTABLE,
    drf.UnsupportedMediaType: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    drf.Throttled: ErrorCode.THROTTLED,
}


SERVER_ERROR_MESSAGE = _("Something went wrong on our side. Please try again.")
API_PATH_PREFIXES = ("/api/", "/open311/")

# What the API says when Django answers by itself (no DRF view ran): URL-level 404, handler500...
_STATUS_ERRORS = {
    400: (_("The request could not be understood."), ErrorCode.BAD_REQUEST),
    403: (PermissionDenied.default_message, PermissionDenied.code),
    404: (NotFound.default_message, NotFound.code),
    413: (PayloadTooLarge.default_message, PayloadTooLarge.code),
    500: (SERVER_ERROR_MESSAGE, ErrorCode.SERVER_ERROR),
}
STATUSES_WITH_ERROR_BODY = frozenset(_STATUS_ERRORS)


def error_body(message, code: ErrorCode, details: dict | None = None) -> dict[str, Any]:
    return {"error": force_str(message), "code": str(code), "details": details or {}}


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

    if pool_exhausted(exc):
        set_rollback()
        logger.warning("No database connection within DB_POOL_TIMEOUT: answered 503")
        return exception_handler(ServerBusy(), context)

    # Anything else is a bug: log it with its traceback, tell the client nothing about it.
    set_rollback()
    logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
    return Response(
        error_body(SERVER_ERROR_MESSAGE, ErrorCode.SERVER_ERROR),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def _code_for(exc: drf.APIException) -> ErrorCode:
    for klass in type(exc).__mro__:
        if klass in _DRF_CODES:
            if klass is drf.AuthenticationFailed:
                # simplejwt marks bad tokens with code "token_not_valid"; keep it for clients.
                codes = exc.get_codes()
                if isinstance(codes, dict) and codes.get("code") == ErrorCode.TOKEN_NOT_VALID:
                    return ErrorCode.TOKEN_NOT_VALID
            return _DRF_CODES[klass]
    # Another APIException (a library's own): its code if it is one of ours, else by status.
    codes = exc.get_codes()
    if isinstance(codes, str) and codes in ErrorCode._value2member_map_:
        return ErrorCode(codes)
    return ErrorCode.BAD_REQUEST if exc.status_code < 500 else ErrorCode.SERVER_ERROR


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
