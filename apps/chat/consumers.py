"""`/ws/chat/<room_id>/`: a thin adapter between a participant's socket and the chat services.

Frames in: ``message`` (text), ``typing``, ``read`` (and ``ping``). Frames out: the room's
``message``, ``typing`` and ``read`` events, and ``error`` for a frame that could not be taken;
the socket stays open after an error. The sender of a message is always the token's user.
Close codes: 4401 no valid token, 4403 not a participant, 4408 idle for
CHAT_IDLE_TIMEOUT_SECONDS (traffic either way counts).
"""

from __future__ import annotations

import asyncio
import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError, ErrorCode
from core.websocket import CLOSE_UNAUTHENTICATED, bearer_subprotocol

from . import events, selectors, services
from .enums import MessageType

CLOSE_NOT_PARTICIPANT = 4403
CLOSE_IDLE = 4408
PRESENCE_REFRESH_SECONDS = 60

INVALID_FRAME = _("This frame could not be understood.")
UNKNOWN_FRAME = _("Unknown frame type “%(type)s”.")
FILES_OVER_REST = _("Send photos and documents through the messages endpoint.")


class ChatConsumer(AsyncWebsocketConsumer):
    room = None
    watchdog = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        room_id = self.scope["url_route"]["kwargs"]["room_id"]
        room = await database_sync_to_async(selectors.room_for_socket)(user=user, room_id=room_id)
        if room is None:
            await self._refuse(CLOSE_NOT_PARTICIPANT)
            return
        self.room, self.user = room, user
        self.group = events.room_group(room.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        # Present before the handshake completes: nothing sent after it is missed or notified.
        await database_sync_to_async(services.presence_join)(
            room=room, user=user, channel_name=self.channel_name
        )
        await self.accept(subprotocol=bearer_subprotocol(self.scope))
        self.presence_at = self.last_traffic = time.monotonic()
        self.watchdog = asyncio.create_task(self._close_when_idle())

    async def _refuse(self, code: int) -> None:
        """Accept, then close with ``code``: a refused handshake would reach the client as a
        bare HTTP 403, and the app needs the code to know whether to sign in again."""
        await self.accept(subprotocol=bearer_subprotocol(self.scope))
        await self.close(code=code)

    async def disconnect(self, code):
        if self.watchdog is not None:
            self.watchdog.cancel()
        if self.room is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(services.presence_leave)(channel_name=self.channel_name)

    # -- frames in ------------------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        if self.room is None:
            return
        await self._traffic()
        try:
            frame = json.loads(text_data if text_data is not None else bytes_data)
        except (TypeError, ValueError, UnicodeDecodeError, RecursionError):
            frame = None
        if not isinstance(frame, dict):
            await self._error(ErrorCode.INVALID_FRAME, INVALID_FRAME)
            return
        kind = frame.get("type")
        if kind == "message":
            await self._message(frame)
        elif kind == "typing":
            await events.typing_publish(
                room_id=self.room.pk, user_id=self.user.pk, channel_name=self.channel_name
            )
        elif kind == "read":
            await self._call(services.room_mark_read, room=self.room, reader=self.user)
        elif kind == "ping":
            await self._send({"type": "pong"})
        else:
            await self._error(ErrorCode.INVALID_FRAME, UNKNOWN_FRAME, {"type": str(kind)[:30]})

    async def _message(self, frame: dict) -> None:
        message_type = frame.get("message_type") or MessageType.TEXT
        if message_type in (MessageType.IMAGE, MessageType.FILE):
            await self._error(ErrorCode.VALIDATION_ERROR, FILES_OVER_REST)
            return
        text = frame.get("message")
        if not isinstance(text, str) or not isinstance(message_type, str):
            await self._error(ErrorCode.INVALID_FRAME, INVALID_FRAME)
            return
        # The sender is the token's user; a sender_id in the frame is never read.
        await self._call(
            services.message_send,
            room=self.room,
            sender=self.user,
            text=text,
            message_type=message_type,
        )

    async def _call(self, service, **kwargs) -> None:
        """Run a service in the user's language; a business-rule error becomes an ``error``
        frame (its message is rendered while the service runs, so in that language)."""

        def run():
            with translation.override(self.user.language):
                try:
                    service(**kwargs)
                except ApplicationError as exc:
                    return exc.code, force_str(exc.message)
            return None

        failure = await database_sync_to_async(run)()
        if failure is not None:
            await self._error(*failure)

    # -- frames out (handlers of the room group's events) ---------------------------------------
    async def chat_message(self, event):
        frame = dict(event["frame"])
        path = frame.pop("file_path", None)
        frame["file_url"] = self._absolute(path) if path else None
        await self._send(frame)

    async def chat_typing(self, event):
        if event.get("from_channel") != self.channel_name:
            await self._send(event["frame"])

    async def chat_read(self, event):
        await self._send(event["frame"])

    # -- plumbing -------------------------------------------------------------------------------
    async def _send(self, frame: dict) -> None:
        await self._traffic()
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def _error(self, code, message, params: dict | None = None) -> None:
        with translation.override(self.user.language):
            text = force_str(message) % params if params else force_str(message)
        await self._send({"type": "error", "code": str(code), "error": text})

    async def _traffic(self) -> None:
        now = time.monotonic()
        self.last_traffic = now
        if now - self.presence_at >= PRESENCE_REFRESH_SECONDS:
            self.presence_at = now
            await database_sync_to_async(services.presence_touch)(channel_name=self.channel_name)

    async def _close_when_idle(self) -> None:
        timeout = settings.CHAT_IDLE_TIMEOUT_SECONDS
        while True:
            remaining = self.last_traffic + timeout - time.monotonic()
            if remaining <= 0:
                await self.close(code=CLOSE_IDLE)
                return
            await asyncio.sleep(remaining)

    def _absolute(self, path: str) -> str:
        host = dict(self.scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if not host:
            return path
        scheme = "https" if self.scope.get("scheme") in ("wss", "https") else "http"
        return f"{scheme}://{host}{path}"
