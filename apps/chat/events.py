"""What chat sockets hear: the room's Channels group and the frames published to it after commit.

Frames carry a file's path, not its URL: each socket turns it into a URL of the host it was
opened on (the consumer), as the REST answers do with the request's host.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import ChatMessage


def room_group(room_id) -> str:
    """The Channels group every socket open on one room joins."""
    return f"chat_{room_id}"


def message_file_path(message: ChatMessage) -> str | None:
    if not message.file:
        return None
    return reverse("v1:chat-message-file", kwargs={"message_id": message.pk})


def message_frame(message: ChatMessage) -> dict:
    """The ``message`` frame of API.md (``file_path`` becomes ``file_url`` in the consumer)."""
    return {
        "type": "message",
        "id": str(message.pk),
        "room_id": str(message.room_id),
        "sender_id": str(message.sender_id),
        "sender_name": message.sender.name,
        "message": message.message,
        "message_type": message.message_type,
        "file_path": message_file_path(message),
        "created_at": timezone.localtime(message.created_at).isoformat(),
    }


def _send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def publish_after_commit(room_id, event: dict) -> None:
    """Send ``event`` to the room's sockets once the caller's transaction has committed."""
    transaction.on_commit(lambda: _send(room_group(room_id), event), robust=True)


def message_published(message: ChatMessage) -> None:
    publish_after_commit(message.room_id, {"type": "chat.message", "frame": message_frame(message)})


def read_published(*, room_id, user_id, up_to) -> None:
    frame = {
        "type": "read",
        "user_id": str(user_id),
        "up_to": timezone.localtime(up_to).isoformat(),
    }
    publish_after_commit(room_id, {"type": "chat.read", "frame": frame})


async def typing_publish(*, room_id, user_id, channel_name: str) -> None:
    """Typing is not stored: the consumer sends it straight to the others in the room."""
    layer = get_channel_layer()
    await layer.group_send(
        room_group(room_id),
        {
            "type": "chat.typing",
            "frame": {"type": "typing", "user_id": str(user_id)},
            "from_channel": channel_name,
        },
    )
