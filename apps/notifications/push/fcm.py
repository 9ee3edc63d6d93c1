"""Firebase Cloud Messaging HTTP v1: our thin httpx client for ``messages:send``.

Authorisation is a Google OAuth2 access token, obtained by posting a JWT assertion signed RS256
with the service account's private key to its ``token_uri`` and cached (sealed) in Django's cache
until shortly before it expires. Replies are mapped by the FCM error code in the error's details
(UNREGISTERED, QUOTA_EXCEEDED, ...), else by its canonical status. Neither the private key, the
access token nor a device token is ever logged; logs name a device by ``token_ref``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from core.crypto import InvalidToken, seal, unseal
from core.transports import http_client, json_or_none, network_error_code

from .base import PushError, PushReceipt, token_ref

logger = logging.getLogger("clean_care.push")

PROVIDER = "fcm"
SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL
ASSERTION_LIFETIME_SECONDS = 3600  # Google's maximum
EXPIRY_MARGIN_SECONDS = 300  # renew this long before Google says the access token expires
FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
# The app instance is gone (uninstalled, token rotated) or the token is another project's.
TOKEN_DEAD_CODES = frozenset({"UNREGISTERED", "SENDER_ID_MISMATCH"})
TRANSIENT_CODES = frozenset({"QUOTA_EXCEEDED", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "INTERNAL"})
SERVICE_ACCOUNT_FIELDS = ("client_email", "private_key", "project_id")


# ---------------------------------------------------------------------------------------------
# Wire format: the request body and the reply, shared with the sandbox backend
# ---------------------------------------------------------------------------------------------
def send_message_body(*, token: str, title: str, body: str, data: dict[str, str]) -> dict:
    """The JSON body of ``POST /v1/projects/{project}/messages:send``; data values are strings."""
    return {
        "message": {
            "token": token,
            "notification": {"title": title, "body": body},
            "data": {str(key): str(value) for key, value in data.items()},
        }
    }


def parse_send_response(
    http_status: int, body: Any, *, provider: str = PROVIDER, retry_after: float | None = None
) -> PushReceipt:
    """Turn a messages:send reply into a receipt, or raise PushError saying what to do next."""
    if 200 <= http_status < 300:
        name = body.get("name") if isinstance(body, dict) else None
        if isinstance(name, str) and name:
            return PushReceipt(provider=provider, message_id=name)
        # It may have been delivered: a retry could show the notification twice.
        raise PushError(
            f"{provider} sent an unreadable reply", code="bad_response", transient=False
        )
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return _raise_bare_status(http_status, provider, retry_after)
    code = _fcm_error_code(error) or str(error.get("status") or f"http_{http_status}")
    message = str(error.get("message") or "")
    if code in TOKEN_DEAD_CODES or (code == "INVALID_ARGUMENT" and _names_the_token(error)):
        raise PushError(
            f"{provider} refused the token: {message}",
            code=code,
            transient=False,
            token_invalid=True,
        )
    transient = code in TRANSIENT_CODES or http_status >= 500 or http_status == 429
    raise PushError(
        f"{provider} did not send: {message}",
        code=code,
        transient=transient,
        retry_after=retry_after if transient else None,
    )


def _fcm_error_code(error: dict) -> str | None:
    for detail in error.get("details") or []:
        if isinstance(detail, dict) and detail.get("@type") == FCM_ERROR_TYPE:
            return str(detail.get("errorCode") or "") or None
    return None


def _names_the_token(error: dict) -> bool:
    """INVALID_ARGUMENT is also our own malformed payload; only a bad token kills the device."""
    fields = [
        violation.get("field")
        for detail in error.get("details") or []
        if isinstance(detail, dict) and detail.get("@type") == BAD_REQUEST_TYPE
        for violation in detail.get("fieldViolations") or []
        if isinstance(violation, dict)
    ]
    if fields:
        return all(field == "message.token" for field in fields)
    return "registration token" in str(error.get("message") or "").lower()


def _raise_bare_status(http_status: int, provider: str, retry_after: float | None):
    transient = http_status >= 500 or http_status == 429
    raise PushError(
        f"{provider} answered HTTP {http_status}",
        code=f"http_{http_status}",
        transient=transient,
        retry_after=retry_after if transient else None,
    )


def parse_and_log(
    provider: str, token: str, http_status: int, body: Any, *, retry_after: float | None = None
) -> PushReceipt:
    """Parse a messages:send reply and log the outcome without the token or any credential."""
    try:
        receipt = parse_send_response(http_status, body, provider=provider, retry_after=retry_after)
    except PushError as error:
        log_failure(provider, token, error)
        raise
    logger.info(
        "push sent provider=%s token=%s message_id=%s",
        provider,
        token_ref(token),
        receipt.message_id,
    )
    return receipt


def log_failure(provider: str, token: str, error: PushError) -> None:
    logger.warning(
        "push failed provider=%s token=%s code=%s transient=%s token_invalid=%s",
        provider,
        token_ref(token),
        error.code,
        error.transient,
        error.token_invalid,
    )


# ---------------------------------------------------------------------------------------------
# Credentials
# ---------------------------------------------------------------------------------------------
def load_service_account(*, file: str | None = None, raw: str | None = None) -> dict:
    """The service account from FCM_SERVICE_ACCOUNT_JSON (the JSON itself) or ..._FILE (a path)."""
    raw = raw if raw is not None else settings.FCM_SERVICE_ACCOUNT_JSON
    file = file if file is not None else settings.FCM_SERVICE_ACCOUNT_FILE
    source = "FCM_SERVICE_ACCOUNT_JSON"
    if not raw and file:
        source = "FCM_SERVICE_ACCOUNT_FILE"
        try:
            raw = Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise ImproperlyConfigured(
                f"FCM_SERVICE_ACCOUNT_FILE cannot be read ({type(exc).__name__}); point it at "
                "the service account JSON downloaded from the Firebase console."
            ) from exc
    if not raw:
        raise ImproperlyConfigured(
            "The fcm push backend needs FCM_SERVICE_ACCOUNT_FILE or FCM_SERVICE_ACCOUNT_JSON; "
            "set one in the environment or choose another PUSH_BACKEND."
        )
    try:
        account = json.loads(raw)
    except ValueError:
        account = None
    if not isinstance(account, dict):
        raise ImproperlyConfigured(f"{source} is not a JSON object (a service account key file).")
    missing = [name for name in SERVICE_ACCOUNT_FIELDS if not account.get(name)]
    if missing:
        raise ImproperlyConfigured(f"{source} lacks {', '.join(missing)}.")
    return account


def _private_key(pem: str):
    try:
        return serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        # Never echo the key or the parser's view of it.
        raise ImproperlyConfigured(
            "The FCM service account's private_key is not a PEM private key."
        ) from exc


# ---------------------------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------------------------
class FcmBackend:
    """Sends one notification to one device token per call through FCM HTTP v1."""

    name = PROVIDER

    def __init__(
        self,
        *,
        service_account: dict | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        account = service_account if service_account is not None else load_service_account()
        missing = [name for name in SERVICE_ACCOUNT_FIELDS if not account.get(name)]
        if missing:
            raise ImproperlyConfigured(f"The FCM service account lacks {', '.join(missing)}.")
        self.client_email = account["client_email"]
        self.project_id = account["project_id"]
        self.token_uri = account.get("token_uri") or DEFAULT_TOKEN_URI
        self._key_id = account.get("private_key_id")
        self._private_key = _private_key(account["private_key"])
        self.base_url = (base_url or settings.FCM_BASE_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.PUSH_TIMEOUT_SECONDS
        self._transport = transport
        account_id = hashlib.sha256(f"{self.client_email}|{self.token_uri}".encode()).hexdigest()
        self._cache_key = f"fcm:access-token:{account_id[:24]}"

    def __repr__(self) -> str:  # keeps the key out of tracebacks and debug output
        return f"<FcmBackend {self.base_url} project={self.project_id}>"

    @property
    def send_url(self) -> str:
        return f"{self.base_url}/v1/projects/{self.project_id}/messages:send"

    def send(self, *, token: str, title: str, body: str, data: dict[str, str]) -> PushReceipt:
        payload = send_message_body(token=token, title=title, body=body, data=data)
        try:
            with self._client(self.base_url) as client:
                response = self._post(client, payload, self._access_token())
                if response.status_code == 401:
                    # The cached token was revoked or expired early: renew it once.
                    cache.delete(self._cache_key)
                    response = self._post(client, payload, self._access_token())
        except httpx.TransportError as exc:
            error = PushError(
                f"{self.name} unreachable: {type(exc).__name__}",
                code=network_error_code(exc),
                transient=True,
            )
            log_failure(self.name, token, error)
            raise error from exc
        except PushError as error:  # no access token
            log_failure(self.name, token, error)
            raise
        return parse_and_log(
            self.name,
            token,
            response.status_code,
            json_or_none(response),
            retry_after=_retry_after(response),
        )

    def _client(self, url: str) -> httpx.Client:
        # One client per host: FCM and Google's token endpoint are different hosts, and settings
        # may route each (HTTP_TRANSPORTS) on its own; an injected transport serves both.
        return http_client(base_url=url, timeout=self.timeout, transport=self._transport)

    def _post(self, client: httpx.Client, payload: dict, access_token: str) -> httpx.Response:
        return client.post(
            self.send_url, json=payload, headers={"Authorization": f"Bearer {access_token}"}
        )

    # -- OAuth2 ---------------------------------------------------------------------------------
    def _access_token(self) -> str:
        sealed = cache.get(self._cache_key)
        if sealed:
            try:
                return unseal(sealed)
            except InvalidToken:  # sealed under an older SECRET_KEY
                cache.delete(self._cache_key)
        with self._client(self.token_uri) as client:
            token, expires_in = self._fetch_access_token(client)
        lifetime = expires_in - EXPIRY_MARGIN_SECONDS
        if lifetime > 0:
            cache.set(self._cache_key, seal(token), timeout=lifetime)
        return token

    def _assertion(self) -> str:
        now = int(time.time())
        claims = {
            "iss": self.client_email,
            "scope": SCOPE,
            "aud": self.token_uri,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_SECONDS,
        }
        headers = {"kid": self._key_id} if self._key_id else None
        return jwt.encode(claims, self._private_key, algorithm="RS256", headers=headers)

    def _fetch_access_token(self, client: httpx.Client) -> tuple[str, int]:
        response = client.post(
            self.token_uri, data={"grant_type": GRANT_TYPE, "assertion": self._assertion()}
        )
        body = json_or_none(response)
        if response.status_code == 200 and isinstance(body, dict):
            token, expires_in = body.get("access_token"), body.get("expires_in")
            if isinstance(token, str) and token and isinstance(expires_in, int):
                logger.info("fcm access token obtained, expires_in=%s", expires_in)
                return token, expires_in
        transient = response.status_code >= 500 or response.status_code == 429
        reason = body.get("error") if isinstance(body, dict) else None
        description = body.get("error_description") if isinstance(body, dict) else None
        raise PushError(
            f"OAuth token endpoint answered HTTP {response.status_code}: {description or ''}",
            code=f"oauth_{reason}"
            if isinstance(reason, str)
            else f"oauth_http_{response.status_code}",
            transient=transient,
        )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None
