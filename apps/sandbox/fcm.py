"""FCM HTTP v1 simulator (Google's OAuth2 token endpoint and ``messages:send``), plus its outbox.

``fcm_token(form)`` answers the token endpoint for a JWT-bearer assertion: it checks the claims
(issuer, scope, audience, a lifetime of at most an hour) and, when SANDBOX_FCM_PUBLIC_KEY holds a
PEM public key, the RS256 signature against it. ``fcm_send(project_id, body, bearer)`` validates a
v1 send request like FCM does and stores what it accepted as a SandboxPush row. Both return
``(http_status, body)`` with Google's field names; ``views.py`` serves them over HTTP and the
sandbox push backend calls ``fcm_send`` in-process with SANDBOX_BEARER.

Failure knobs, chosen by the device token's prefix so any client can trigger them (nothing is
stored): ``unregistered-`` → 404 UNREGISTERED, ``invalid-`` → 400 INVALID_ARGUMENT (bad token),
``unavailable-`` → 503 UNAVAILABLE, ``quota-`` → 429 QUOTA_EXCEEDED, ``internal-`` → 500 INTERNAL.
Input the outbox cannot hold (a token over 512 characters, a title over 500, a project id over
100) is refused as FCM refuses bad input, never a database error.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from typing import Any

import jwt
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

# One definition of Google's wire constants, shared with the real client the simulator mirrors.
from apps.notifications.push.fcm import BAD_REQUEST_TYPE, FCM_ERROR_TYPE, GRANT_TYPE

from .models import SandboxPush

SANDBOX_PROJECT_ID = "clean-care-sandbox"
SANDBOX_BEARER = "sandbox-fcm-access-token"  # a public sandbox value, not a secret
SCOPES = frozenset(
    {
        "https://www.googleapis.com/auth/firebase.messaging",
        "https://www.googleapis.com/auth/cloud-platform",
    }
)
ACCESS_TOKEN_TTL = 3600
MAX_ASSERTION_LIFETIME = 3600
CLOCK_SKEW = 60
_ISSUED = "sandbox:fcm:access:"

# What the outbox can hold; FCM refuses oversized input with 400 too, so the simulator answers
# that instead of letting the database fail.
MAX_PROJECT_ID = SandboxPush._meta.get_field("project_id").max_length
MAX_TOKEN = SandboxPush._meta.get_field("token").max_length
MAX_TITLE = SandboxPush._meta.get_field("title").max_length
BAD_TOKEN_MESSAGE = "The registration token is not a valid FCM registration token"  # noqa: S105
MESSAGE_FIELDS = frozenset(
    {"name", "data", "notification", "android", "webpush", "apns", "fcm_options"}
    | {"token", "topic", "condition"}
)
NOTIFICATION_FIELDS = frozenset({"title", "body", "image"})
TOKEN_KNOBS = {
    "unregistered-": (404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED"),
    "invalid-": (400, "INVALID_ARGUMENT", BAD_TOKEN_MESSAGE, "INVALID_ARGUMENT"),
    "unavailable-": (503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE"),
    "quota-": (429, "RESOURCE_EXHAUSTED", "Quota exceeded for sending messages.", "QUOTA_EXCEEDED"),
    "internal-": (500, "INTERNAL", "Internal error encountered.", "INTERNAL"),
}
UNAUTHENTICATED_MESSAGE = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential."
)
SHORT_LIVED = (
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
    "Check your iat and exp values in the JWT claim."
)


# ---------------------------------------------------------------------------------------------
# OAuth2 token endpoint: POST token_uri (form: grant_type, assertion)
# ---------------------------------------------------------------------------------------------
def fcm_token(form: Any, *, audience: str | None = None) -> tuple[int, dict]:
    """Exchange a signed JWT assertion for an access token, as Google's token endpoint does.

    ``audience`` is the endpoint's own URL; when given, the assertion's ``aud`` must equal it.
    """
    form = form if isinstance(form, dict) else {}
    if form.get("grant_type") != GRANT_TYPE:
        return _oauth_error("unsupported_grant_type", "Invalid grant_type.")
    assertion = str(form.get("assertion") or "")
    try:
        if jwt.get_unverified_header(assertion).get("alg") != "RS256":
            return _oauth_error("invalid_grant", "Invalid JWT Signature.")
        claims = _decode(assertion)
    except jwt.InvalidSignatureError:
        return _oauth_error("invalid_grant", "Invalid JWT Signature.")
    except jwt.PyJWTError:
        return _oauth_error("invalid_request", "Invalid JWT: the assertion cannot be read.")
    problem = _claims_problem(claims, audience=audience)
    if problem:
        return problem
    access_token = f"ya29.sandbox.{secrets.token_urlsafe(32)}"
    cache.set(_issued_key(access_token), claims["iss"], timeout=ACCESS_TOKEN_TTL)
    return 200, {
        "access_token": access_token,
        "expires_in": ACCESS_TOKEN_TTL - 1,
        "token_type": "Bearer",
    }


def _decode(assertion: str) -> dict:
    public_key = settings.SANDBOX_FCM_PUBLIC_KEY
    if public_key:
        return jwt.decode(
            assertion,
            public_key,
            algorithms=["RS256"],
            options={"verify_aud": False, "verify_exp": False, "verify_iat": False},
        )
    return jwt.decode(assertion, options={"verify_signature": False})


def _claims_problem(claims: dict, *, audience: str | None) -> tuple[int, dict] | None:
    if not isinstance(claims.get("iss"), str) or not claims["iss"]:
        return _oauth_error("invalid_request", "Invalid JWT: the iss claim is missing.")
    if audience is not None and claims.get("aud") != audience:
        return _oauth_error("invalid_grant", "Invalid JWT: aud is not this token endpoint.")
    scopes = set(str(claims.get("scope") or "").split())
    if not scopes & SCOPES:
        return _oauth_error("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
    iat, exp, now = claims.get("iat"), claims.get("exp"), time.time()
    if not (isinstance(iat, int) and isinstance(exp, int)):
        return _oauth_error("invalid_grant", SHORT_LIVED)
    if not (iat - CLOCK_SKEW <= now < exp and exp - iat <= MAX_ASSERTION_LIFETIME):
        return _oauth_error("invalid_grant", SHORT_LIVED)
    return None


def _oauth_error(error: str, description: str) -> tuple[int, dict]:
    return 400, {"error": error, "error_description": description}


def _issued_key(access_token: str) -> str:
    return _ISSUED + hashlib.sha256(access_token.encode()).hexdigest()


def fcm_revoke_access_token(access_token: str) -> None:
    """Forget one issued access token, as Google does when it revokes or expires one early."""
    cache.delete(_issued_key(access_token))


def _bearer_valid(bearer: str | None) -> bool:
    if not bearer:
        return False
    if hmac.compare_digest(bearer.encode(), SANDBOX_BEARER.encode()):
        return True
    return cache.get(_issued_key(bearer)) is not None


# ---------------------------------------------------------------------------------------------
# POST /v1/projects/{project_id}/messages:send
# ---------------------------------------------------------------------------------------------
def fcm_send(project_id: str, body: Any, bearer: str | None) -> tuple[int, dict]:
    """Simulate messages:send: check the bearer and the request, store the message, answer."""
    if not _bearer_valid(bearer):
        return _fcm_error(401, "UNAUTHENTICATED", UNAUTHENTICATED_MESSAGE)
    if len(project_id) > MAX_PROJECT_ID:
        return _fcm_error(404, "NOT_FOUND", "Requested entity was not found.")
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, dict):
        return _invalid("message", "Required field 'message' is missing.")
    unknown = sorted(set(message) - MESSAGE_FIELDS)
    if unknown:
        return _invalid(f"message.{unknown[0]}", f'Unknown name "{unknown[0]}": Cannot find field.')
    targets = [field for field in ("token", "topic", "condition") if message.get(field)]
    if targets != ["token"] or not isinstance(message["token"], str):
        return _invalid("message.token", "Exactly one target (a device token) must be given.")
    if len(message["token"]) > MAX_TOKEN:
        return _invalid("message.token", BAD_TOKEN_MESSAGE)
    notification = message.get("notification") or {}
    if not isinstance(notification, dict) or not _strings(notification, NOTIFICATION_FIELDS):
        return _invalid("message.notification", "Invalid value at 'message.notification'.")
    if len(notification.get("title", "")) > MAX_TITLE:
        field = "message.notification.title"
        return _invalid(field, f"Invalid value at '{field}': longer than {MAX_TITLE} characters.")
    data = message.get("data") or {}
    if not isinstance(data, dict):
        return _invalid("message.data", "Invalid value at 'message.data'.")
    for index, (key, value) in enumerate(data.items()):
        if not isinstance(value, str):
            field = f"message.data[{index}].value"
            return _invalid(field, f"Invalid value at '{field}' (TYPE_STRING), {value}")
        if key.startswith(("google.", "gcm.")) or key in ("from", "message_type"):
            return _invalid(f"message.data[{index}].key", f"Invalid data key: {key}.")
    token = message["token"]
    for prefix, (http_status, status, reason, fcm_code) in TOKEN_KNOBS.items():
        if token.startswith(prefix):
            return _fcm_error(http_status, status, reason, fcm_code=fcm_code)

    name = f"projects/{project_id}/messages/0:{time.time_ns()}%{uuid.uuid4().hex[:16]}"
    SandboxPush.objects.create(
        project_id=project_id,
        token=token,
        title=notification.get("title", ""),
        body=notification.get("body", ""),
        data=data,
        message_id=name,
    )
    return 200, {"name": name}


def _strings(mapping: dict, allowed: frozenset[str]) -> bool:
    return set(mapping) <= allowed and all(isinstance(v, str) for v in mapping.values())


def _invalid(field: str, description: str) -> tuple[int, dict]:
    return _fcm_error(
        400,
        "INVALID_ARGUMENT",
        description,
        extra={
            "@type": BAD_REQUEST_TYPE,
            "fieldViolations": [{"field": field, "description": description}],
        },
    )


def _fcm_error(
    http_status: int,
    status: str,
    message: str,
    *,
    fcm_code: str | None = None,
    extra: dict | None = None,
) -> tuple[int, dict]:
    """Google's error body: {"error": {"code", "message", "status", "details": [...]}}."""
    details = [{"@type": FCM_ERROR_TYPE, "errorCode": fcm_code}] if fcm_code else []
    if extra:
        details.append(extra)
    error: dict[str, Any] = {"code": http_status, "message": message, "status": status}
    if details:
        error["details"] = details
    return http_status, {"error": error}


# ---------------------------------------------------------------------------------------------
# Outbox
# ---------------------------------------------------------------------------------------------
def sandbox_push_outbox(
    *, user_id: uuid.UUID | None = None, token: str | None = None, limit: int = 50
) -> QuerySet[SandboxPush]:
    """The newest messages pushed to ``token``, or to any token ``user_id`` has registered."""
    pushes = SandboxPush.objects.order_by("-created_at")
    if token:
        return pushes.filter(token=token)[:limit]
    if user_id:
        # By name, not import: the simulator knows no model of our apps beyond this lookup.
        device_tokens = apps.get_model("notifications", "DeviceToken").objects
        return pushes.filter(token__in=device_tokens.filter(user_id=user_id).values("token"))[
            :limit
        ]
    return pushes.none()
