"""`/ws/chat/<room_id>/`: a thin adapter between a participant's socket and the chat services.

Frames in: ``message`` (text), ``typing``, ``read`` (and ``ping``). Frames out: the room's
``message``, ``typing`` and ``read`` events, and ``error`` for a frame that could not be taken;
the socket stays open after an error. The sender of a message is always the token's user, read
again from the database for every frame, so a deactivated account cannot write; the session and
the right to be in the room are checked again every SOCKET_RECHECK_SECONDS, so a signed-out
token or a lost right ends the socket (4401 / 4403) even while the user only listens.
Close codes: 4401 no valid session, 4403 not a participant, 4408 idle for
CHAT_IDLE_TIMEOUT_SECONDS (traffic either way counts).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError, ErrorCode
from core.websocket import (
    CLOSE_FORBIDDEN,
    CLOSE_UNAUTHENTICATED,
    JsonSocket,
    bearer_subprotocol,
    session_group,
    session_user,
)

from . import events, selectors, services
from .enums import MessageType

logger = logging.getLogger(__name__)

CLOSE_IDLE = 4408
PRESENCE_REFRESH_SECONDS = 60
TYPING_EVERY_SECONDS = 2.0  # typing frames closer together than this are dropped
READ_EVERY_SECONDS = 1.0

INVALID_FRAME = _("This frame could not be understood.")
UNKNOWN_FRAME = _("Unknown frame type “%(type)s”.")
FILES_OVER_REST = _("Send photos and documents through the messages endpoint.")
SERVER_ERROR = _("Something went wrong on our side. Please try again.")


def _still_here(token, room_id):
    """(close code, user): None when the session and the right to the room still stand."""
    user = session_user(token)
    if user is None:
        return CLOSE_UNAUTHENTICATED, None
    if selectors.room_for_socket(user=user, room_id=room_id) is None:
        return CLOSE_FORBIDDEN, user
    return None, user


class ChatConsumer(JsonSocket):
    room = None
    watchdog = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        room_id = self.scope["url_route"]["kwargs"]["room_id"]
        room = await database_sync_to_async(selectors.room_for_socket)(user=user, room_id=room_id)
        if room is None:
            await self.refuse(CLOSE_FORBIDDEN)
            return
        self.room, self.user = room, user
        self.group = events.room_group(room.pk)
        # Present before the handshake completes: nothing sent after it is missed or notified.
        await database_sync_to_async(services.presence_join)(
            room=room, user=user, channel_name=self.channel_name
        )
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(session_group(user.pk), self.channel_name)
        await self.accept(subprotocol=bearer_subprotocol(self.scope))
        now = time.monotonic()
        self.last_traffic = self.presence_at = now
        # Spread the checks: sockets opened together must not all check at the same moment.
        spread = random.uniform(0.5, 1.0)  # noqa: S311 - spreading load, not a secret
        self.next_check = now + settings.SOCKET_RECHECK_SECONDS * spread
        self.typing_at = self.read_at = 0.0
        self.watchdog = asyncio.create_task(self._watch())

    async def disconnect(self, code):
        if self.watchdog is not None:
            self.watchdog.cancel()
        if self.room is None:
            return
        try:  # the presence row first: a dead one would silence this user's notifications
            await database_sync_to_async(services.presence_leave)(channel_name=self.channel_name)
        finally:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.channel_layer.group_discard(session_group(self.user.pk), self.channel_name)

    # -- frames in ------------------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        if self.room is None:
            return
        await self._traffic()
        await super().receive(text_data=text_data, bytes_data=bytes_data)

    async def receive_invalid(self) -> None:
        await self._error(ErrorCode.INVALID_FRAME, INVALID_FRAME)

    async def receive_frame(self, frame: dict) -> None:
        kind = frame.get("type")
        now = time.monotonic()
        if kind == "message":
            await self._message(frame)
        elif kind == "typing":
            if now - self.typing_at >= TYPING_EVERY_SECONDS:
                self.typing_at = now
                await events.typing_publish(
                    room_id=self.room.pk, user_id=self.user.pk, channel_name=self.channel_name
                )
        elif kind == "read":
            if now - self.read_at >= READ_EVERY_SECONDS:
                self.read_at = now
                room = self.room
                await self._call(lambda user: services.room_mark_read(room=room, reader=user))
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
        room = self.room
        await self._call(
            lambda user: services.message_send(
                room=room, sender=user, text=text, message_type=message_type
            )
        )

    async def _call(self, work) -> None:
        """Run ``work(user)`` (one service call) as the socket's user, read again now, in their
        language. A business-rule error becomes an ``error`` frame; any other failure is logged
        and answered with ``server_error``, and the socket stays open."""
        token, room_id = self.scope.get("access_token"), self.room.pk

        def run():
            code, user = _still_here(token, room_id)
            if code is not None:
                return ("close", code)
            with translation.override(user.language):
                try:
                    work(user)
                except ApplicationError as exc:
                    return ("error", (exc.code, force_str(exc.message)))
            return None

        try:
            outcome = await database_sync_to_async(run)()
        except Exception:
            logger.exception("chat frame failed in room %s", room_id)
            await self._error(ErrorCode.SERVER_ERROR, SERVER_ERROR)
            return
        if outcome is None:
            return
        kind, detail = outcome
        if kind == "close":
            await self.close(code=detail)
        else:
            await self._error(*detail)

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

    async def session_recheck(self, event):
        """The user signed out, was switched off or lost rights somewhere: check now."""
        await self._check()

    # -- plumbing -------------------------------------------------------------------------------
    async def _send(self, frame: dict) -> None:
        await self._traffic()
        await self.send_frame(frame)

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

    async def _check(self) -> bool:
        """Close with 4401/4403 unless the session and the right to the room still stand."""
        token, room_id = self.scope.get("access_token"), self.room.pk
        code, _user = await database_sync_to_async(_still_here)(token, room_id)
        if code is None:
            return True
        await self.close(code=code)
        return False

    async def _watch(self) -> None:
        """Close the socket when idle too long, or when its session or right is gone (checked
        every SOCKET_RECHECK_SECONDS, besides the checks a sign-out or a change asks for)."""
        idle_limit = settings.CHAT_IDLE_TIMEOUT_SECONDS
        while True:
            now = time.monotonic()
            if now - self.last_traffic >= idle_limit:
                await self.close(code=CLOSE_IDLE)
                return
            if now >= self.next_check:
                self.next_check = now + settings.SOCKET_RECHECK_SECONDS
                if not await self._check():
                    return
            wake = min(self.last_traffic + idle_limit, self.next_check)
            await asyncio.sleep(max(wake - time.monotonic(), 0.01))

    def _absolute(self, path: str) -> str:
        host = dict(self.scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if not host:
            return path
        scheme = "https" if self.scope.get("scheme") in ("wss", "https") else "http"
        return f"{scheme}://{host}{path}"
