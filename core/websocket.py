"""WebSocket plumbing: who may connect, JWT authentication for Channels, the per-user stream.

Browsers cannot set headers on a WebSocket, so the access token comes either as ``?token=`` or
as the subprotocol ``bearer.<access token>`` (which keeps it out of URLs and so out of logs; the
server then answers with that subprotocol, as browsers require).

Origins: a browser always sends ``Origin``, and a page of another site must not open a socket
with a user's token, so a present Origin must be this site's own (on a Host that ALLOWED_HOSTS
lists) or one of CORS_ALLOWED_ORIGINS.
Native apps (the Flutter client's web_socket_channel) send no Origin at all; they are let in and
authenticated by their token like any API client.
"""

import json
import logging
import time
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.middleware import BaseMiddleware
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.module_loading import import_string
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError

from .authentication import JWTAuthentication, access_token_revoked

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
BEARER_SUBPROTOCOL = "bearer."


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def host_allowed(host: str) -> bool:
    """``host`` (a Host header) names this site by settings.ALLOWED_HOSTS, as Django judges an
    HTTP request's (with DEBUG on and none listed, the local names)."""
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


def same_origin(origin: str | None, host: str | None) -> bool:
    """``origin`` is this site's own: http(s) on the handshake's Host, which ALLOWED_HOSTS lists
    (after DNS rebinding a foreign page's Origin matches the Host it sends, so the list counts)."""
    if not origin or not host:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == host and host_allowed(host)


def origin_allowed(origin: str | None, host: str | None) -> bool:
    """No Origin (a native client), the site's own origin, or one CORS allows.

    Same-origin counts only on a Host that ALLOWED_HOSTS lists: after DNS rebinding, a foreign
    page's name resolves to this server, and its Origin matches the Host it sends.
    """
    if origin is None:
        return True
    return origin in settings.CORS_ALLOWED_ORIGINS or same_origin(origin, host)


class OriginValidator:
    """ASGI middleware refusing WebSocket handshakes from foreign browser origins."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(
            _header(scope, b"origin"), _header(scope, b"host")
        ):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)


def bearer_subprotocol(scope) -> str | None:
    """The ``bearer.<token>`` subprotocol the client offered, if any."""
    for protocol in scope.get("subprotocols") or []:
        if protocol.startswith(BEARER_SUBPROTOCOL):
            return protocol
    return None


def user_group(user_id) -> str:
    """The Channels group every socket of one user joins."""
    return f"user_{user_id}"


def session_group(user_id) -> str:
    """The group of every long-lived socket of one user that checks its session on request."""
    return f"session_{user_id}"


def sockets_recheck(user_id) -> None:
    """Ask every open socket of the user to check its session and rights again, once the
    caller's transaction commits (sign-out, deactivation, changed permissions, a hand-over).
    Sockets also check on their own every SOCKET_RECHECK_SECONDS, in case this is missed."""

    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(session_group(user_id), {"type": "session.recheck"})

    transaction.on_commit(send, robust=True)


# The staff live feed: ward admins' sockets join the groups of their wards, super admins' the
# city-wide one; every event goes to both (apps.notifications.services.staff_feed_publish).
STAFF_ALL_GROUP = "staff_all"


def staff_ward_group(ward_number: str) -> str:
    return f"staff_ward_{ward_number}"


@database_sync_to_async
def _session_for_token(raw: str):
    auth = JWTAuthentication()
    try:
        token = auth.get_validated_token(raw.encode())
        return auth.get_user(token), token
    except (InvalidToken, AuthenticationFailed, TokenError):
        return AnonymousUser(), None


class CookieSession:
    """The credential of a socket opened from the console: its Django session's key (kept in
    ``scope["access_token"]`` where a token socket keeps its token, so rechecks read it again)."""

    def __init__(self, session_key: str):
        self.session_key = session_key


def _cookie_session_user(credential: CookieSession):
    """The session's user as ``django.contrib.auth.get_user`` finds it (backend, active account,
    session hash of the current password), or None for a signed-out or stale session."""
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")(credential.session_key)
    user = get_user(SimpleNamespace(session=store))
    return user if user.is_authenticated and user.is_active else None


@database_sync_to_async
def _session_for_cookie(scope):
    """(user, credential) from the session cookie of a same-origin handshake."""
    if not same_origin(_header(scope, b"origin"), _header(scope, b"host")):
        return AnonymousUser(), None
    cookies = parse_cookie(_header(scope, b"cookie") or "")
    key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return AnonymousUser(), None
    credential = CookieSession(key)
    user = _cookie_session_user(credential)
    return (user, credential) if user is not None else (AnonymousUser(), None)


def session_user(token):
    """The user of a socket's access token (or console session) if the session still stands:
    not expired, not signed out, the account active (read again from the database). None
    otherwise."""
    if isinstance(token, CookieSession):
        return _cookie_session_user(token)
    if token is None or token.get("exp", 0) <= time.time() or access_token_revoked(token):
        return None
    try:
        return JWTAuthentication().get_user(token, fresh=True)
    except (InvalidToken, AuthenticationFailed):
        return None


class JWTAuthMiddleware(BaseMiddleware):
    """Sets ``scope["user"]`` from the access token (anonymous if absent or bad), and keeps the
    validated token in ``scope["access_token"]`` so a long-lived socket can check it again.
    With no token, a same-origin handshake's session cookie (the console) is used instead."""

    async def __call__(self, scope, receive, send):
        protocol = bearer_subprotocol(scope)
        if protocol:
            raw = protocol.removeprefix(BEARER_SUBPROTOCOL)
        else:
            query = parse_qs(scope.get("query_string", b"").decode())
            raw = (query.get("token") or [""])[0]
        if raw:
            user, token = await _session_for_token(raw)
        else:
            user, token = await _session_for_cookie(scope)
        scope["user"], scope["access_token"] = user, token
        return await super().__call__(scope, receive, send)


def frame_text(frame: dict) -> str:
    """A frame as JSON text; a lone surrogate echoed from bad input is escaped, never a crash."""
    text = json.dumps(frame, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(frame)
    return text


class JsonSocket(AsyncWebsocketConsumer):
    """Base of the project's sockets: JSON frames both ways, and refusals the app can read.

    A refusal accepts and then closes with a code (4401 no valid session, 4403 not allowed,
    4404 no such thing), since a refused handshake reaches a client as a bare HTTP 403. A frame
    that is not a JSON object (binary, malformed, nested too deep) goes to ``receive_invalid``
    and never ends the socket; ``{"type": "ping"}`` is answered with ``pong`` everywhere.
    """

    async def refuse(self, code: int) -> None:
        await self.accept(subprotocol=bearer_subprotocol(self.scope))
        await self.close(code=code)

    async def receive(self, text_data=None, bytes_data=None):
        frame = None
        if text_data is not None:
            try:
                frame = json.loads(text_data)
            except (ValueError, RecursionError):
                frame = None
        if not isinstance(frame, dict):
            await self.receive_invalid()
        elif frame.get("type") == "ping":
            await self.send_frame({"type": "pong"})
        else:
            await self.receive_frame(frame)

    async def receive_frame(self, frame: dict) -> None:
        """A JSON object other than ping; the sockets that take frames say what they do."""

    async def receive_invalid(self) -> None:
        """A frame that is not a JSON object: ignored unless a socket answers it."""

    async def send_frame(self, frame: dict) -> None:
        await self.send(text_data=frame_text(frame))


class NoSuchSocket(JsonSocket):
    """Any other path under /ws/: closed with 4404 instead of an error in the server."""

    async def connect(self):
        await self.refuse(CLOSE_NOT_FOUND)


class UserEventsConsumer(JsonSocket):
    """`/ws/notifications/`: pushes events published to the user's group (notifications etc.)."""

    group = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept(subprotocol=bearer_subprotocol(self.scope))

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def user_event(self, event):
        """Handler for ``{"type": "user.event", "payload": {...}}`` sent to the group."""
        await self.send_frame(event["payload"])
