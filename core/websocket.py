"""WebSocket plumbing: JWT authentication for Channels and the per-user event stream.

Clients connect with ``?token=<access token>`` (browsers cannot set headers on a WebSocket).
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError

from .authentication import JWTAuthentication

CLOSE_UNAUTHENTICATED = 4401


def user_group(user_id) -> str:
    """The Channels group every socket of one user joins."""
    return f"user_{user_id}"


@database_sync_to_async
def _user_for_token(raw: str):
    auth = JWTAuthentication()
    try:
        token = auth.get_validated_token(raw.encode())
        return auth.get_user(token)
    except (InvalidToken, AuthenticationFailed, TokenError):
        return AnonymousUser()


class JWTAuthMiddleware(BaseMiddleware):
    """Sets ``scope["user"]`` from the query-string access token (anonymous if absent or bad)."""

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode())
        raw = (query.get("token") or [""])[0]
        scope["user"] = await _user_for_token(raw) if raw else AnonymousUser()
        return await super().__call__(scope, receive, send)


class UserEventsConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/notifications/`: pushes events published to the user's group (notifications etc.)."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def user_event(self, event):
        """Handler for ``{"type": "user.event", "payload": {...}}`` sent to the group."""
        await self.send_json(event["payload"])
