"""Writes of chat: opening a room, sending (REST and WebSocket alike), reading, handing on, closing.

``message_send`` is the one write path for a message: it is stored, and only once its
transaction commits is it broadcast to the room's sockets, the staff feed told of a citizen
waiting, and an offline participant queued a notification (one per unread stretch).
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.complaints.models import Complaint
from apps.notifications.services import notification_send, staff_feed_publish
from apps.users.models import ActivityAction, AdminPermission, User, UserType
from apps.users.services import activity_record
from core.exceptions import (
    Conflict,
    ErrorCode,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from core.websocket import sockets_recheck

from . import events
from .attachments import attachment_prepare
from .enums import MESSAGE_MAX_CHARS, PREVIEW_CHARS, MessageType
from .models import ChatMessage, ChatPresence, ChatRoom
from .policy import (
    RESOURCE,
    can_answer,
    is_citizen_side,
    is_participant,
    staff_may_open_about,
    staff_may_take,
)

# NUL (PostgreSQL refuses it in text) and lone surrogates (not encodable as UTF-8).
UNSAFE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
ROOM_CLOSED = _("This conversation has been closed.")
ROOM_CONTINUES = _("This conversation continues in another room; please write there.")
MESSAGE_TITLE = _("New message from %(name)s")
WAITING_TITLE = _("%(name)s is waiting for an answer")


# ---------------------------------------------------------------------------------------------
# Rooms
# ---------------------------------------------------------------------------------------------
def room_open(
    *, citizen: User, complaint_id=None, subject: str | None = None
) -> tuple[ChatRoom, bool]:
    """Open a conversation (about one of the citizen's complaints, or in general).

    The citizen's open room for the same complaint (or their open general room) is returned
    instead of a second one; ``created`` says which happened.
    """
    complaint = None
    if complaint_id is not None:
        complaint = Complaint.objects.filter(pk=complaint_id, user=citizen).first()
        if complaint is None:
            message = _("You have no complaint with this id.")
            raise ValidationFailed(message, details={"complaint": [message]})
    existing = _open_room(citizen, complaint)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            room = ChatRoom.objects.create(
                citizen=citizen,
                complaint=complaint,
                subject=subject or None,
                ward_number=(complaint.ward_number if complaint else None) or citizen.ward_number,
            )
    except IntegrityError:  # the same citizen opened it at the same moment
        existing = _open_room(citizen, complaint)
        if existing is None:
            raise
        return existing, False
    return room, True


def _open_room(citizen: User, complaint: Complaint | None) -> ChatRoom | None:
    return ChatRoom.objects.filter(citizen=citizen, complaint=complaint, is_closed=False).first()


@transaction.atomic
def room_open_about_complaint(*, actor: User, complaint: Complaint) -> tuple[ChatRoom, bool]:
    """Staff open the conversation about a complaint with its citizen (or find the open one),
    as the citizen's own ``room_open`` would; only staff the chat policy lets do so."""
    if not staff_may_open_about(actor, complaint):
        raise PermissionDenied(_("You cannot start a conversation about this complaint."))
    return room_open(citizen=complaint.user, complaint_id=complaint.pk, subject=complaint.title)


def room_assign(*, room: ChatRoom, actor: User, assignee_id, request=None) -> ChatRoom:
    """Hand the room to a colleague (None takes it back to the ward); they are told."""
    assignee = None
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id).first()
        if assignee is None:
            raise NotFound()
    room = ChatRoom.objects.select_for_update().get(pk=room.pk)
    if not can_answer(actor, room):
        raise PermissionDenied()
    if assignee is not None and not staff_may_take(assignee, room):
        message = _("A conversation can be handed to active staff only.")
        raise ValidationFailed(
            message, code=ErrorCode.INVALID_ASSIGNEE, details={"assigned_to": [message]}
        )
    if room.assigned_to_id == (assignee.pk if assignee else None):
        return room
    if room.assigned_to_id is not None:
        sockets_recheck(room.assigned_to_id)  # the previous holder may no longer belong there
    room.assigned_to = assignee
    room.save(update_fields=["assigned_to", "updated_at"])
    audit = activity_record(
        action=ActivityAction.CHAT_ASSIGNED,
        actor=actor,
        request=request,
        resource=room,
        details={"assigned_to": str(assignee.pk) if assignee else None},
    )
    if assignee is not None and assignee.pk != actor.pk:
        notification_send(
            user=assignee,
            kind="chat.assigned",
            title=_("A conversation was handed to you"),
            body=_("%(actor)s handed you the conversation with %(citizen)s."),
            params={"actor": actor.name, "citizen": room.citizen.name},
            data=_room_data(room),
            channels=("in_app", "push"),
            dedupe_key=f"chat-assigned:{audit.pk}",
        )
    return room


@transaction.atomic
def room_close(*, room: ChatRoom, actor: User, request=None) -> ChatRoom:
    """Staff close a conversation; the citizen reopens it by writing again."""
    room = ChatRoom.objects.select_for_update().get(pk=room.pk)
    if not can_answer(actor, room):
        raise PermissionDenied()
    if room.is_closed:
        return room
    room.is_closed = True
    room.closed_at = timezone.now()
    room.save(update_fields=["is_closed", "closed_at", "updated_at"])
    activity_record(action=ActivityAction.CHAT_CLOSED, actor=actor, request=request, resource=room)
    return room


def _room_data(room: ChatRoom) -> dict:
    return {"room_id": str(room.pk), "ward_number": room.ward_number}


# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------
def message_validate(*, text: str | None, message_type: str, file) -> str:
    """The text of a message, or a 400 naming what is wrong (nothing is written)."""
    text = (text or "").strip()
    if UNSAFE_CHARACTERS.search(text):
        message = _("A message cannot contain control or broken characters.")
        raise ValidationFailed(message, details={"message": [message]})
    if message_type not in MessageType.values:
        message = _("“%(value)s” is not a message type.") % {"value": str(message_type)[:20]}
        raise ValidationFailed(message, details={"message_type": [message]})
    if len(text) > MESSAGE_MAX_CHARS:
        message = _("A message can be at most %(max)d characters.") % {"max": MESSAGE_MAX_CHARS}
        raise ValidationFailed(message, details={"message": [message]})
    if message_type == MessageType.TEXT:
        if file is not None:
            message = _("Send a file as an image or file message.")
            raise ValidationFailed(message, details={"file": [message]})
        if not text:
            message = _("Write a message first.")
            raise ValidationFailed(message, details={"message": [message]})
    elif file is None:
        message = _("Attach the file to send.")
        raise ValidationFailed(message, details={"file": [message]})
    return text


def _rate_check(user: User) -> None:
    """At most CHAT_RATE_MESSAGES messages per CHAT_RATE_SECONDS for one person (any socket)."""
    window = settings.CHAT_RATE_SECONDS
    now = time.time()
    key = f"chat-rate:{user.pk}:{int(now // window)}"
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window * 2)
        count = 1
    if count > settings.CHAT_RATE_MESSAGES:
        raise RateLimited(
            _("You are sending messages too fast. Please wait a moment."),
            retry_after=window - (now % window),
        )


def message_send(
    *,
    room: ChatRoom,
    sender: User,
    text: str | None,
    message_type: str = MessageType.TEXT,
    file=None,
) -> ChatMessage:
    """Store a message and, after commit, broadcast it. The one way a message is written."""
    text = message_validate(text=text, message_type=message_type, file=file)
    _rate_check(sender)
    prepared = attachment_prepare(file, message_type=message_type) if file is not None else None
    saved: list[str] = []
    try:
        with transaction.atomic():
            message = _message_store(
                room=room,
                sender=sender,
                text=text,
                message_type=message_type,
                prepared=prepared,
                saved=saved,
            )
    except BaseException:
        storage = ChatMessage._meta.get_field("file").storage
        for name in saved:
            storage.delete(name)
        raise
    return message


def _message_store(
    *, room: ChatRoom, sender: User, text: str, message_type: str, prepared, saved: list[str]
) -> ChatMessage:
    """Write the message under the room's lock; ``saved`` collects stored file names so the
    caller can remove them if the transaction fails."""
    room = (
        ChatRoom.objects.select_for_update(of=("self",))
        .select_related("last_message")
        .get(pk=room.pk)
    )
    if not is_participant(sender, room):
        raise PermissionDenied()
    from_citizen = is_citizen_side(sender, room)
    # The staff feed hears of a citizen waiting once: at the first message after an answer.
    was_waiting = (
        not room.is_closed
        and room.last_message is not None
        and room.last_message.sender_id == room.citizen_id
    )
    if room.is_closed:
        if not from_citizen:
            raise Conflict(ROOM_CLOSED, code=ErrorCode.ROOM_CLOSED)
        _room_reopen(room)
    message = ChatMessage(
        room=room,
        sender=sender,
        receiver_id=room.assigned_to_id if from_citizen else room.citizen_id,
        message=text,
        message_type=message_type,
    )
    if prepared is not None:
        message.file.save(prepared.content.name, prepared.content, save=False)
        saved.append(message.file.name)
        message.file_name = prepared.original_name
        message.file_size = prepared.content.size
    message.save()
    room.last_message = message
    room.last_message_at = message.created_at
    try:
        with transaction.atomic():  # a reopening can lose to another room opened meanwhile
            room.save(update_fields=["last_message", "last_message_at", "is_closed", "closed_at"])
    except IntegrityError as exc:
        raise Conflict(ROOM_CONTINUES, code=ErrorCode.ROOM_CLOSED) from exc

    starts_wait = from_citizen and not was_waiting
    events.message_published(message)
    transaction.on_commit(
        lambda: message_notify_offline(message_id=message.pk, starts_wait=starts_wait),
        robust=True,
    )
    if starts_wait:
        staff_feed_publish(
            resource=RESOURCE,
            ward_number=room.ward_number,
            payload={
                "type": "chat.waiting",
                "room_id": str(room.pk),
                "ward_number": room.ward_number,
                "citizen_name": sender.name,
                "preview": _preview(message),
                "created_at": timezone.localtime(message.created_at).isoformat(),
            },
        )
    return message


def _room_reopen(room: ChatRoom) -> None:
    """A citizen writing in a closed room opens it again, unless a newer room took its place."""
    if ChatRoom.objects.filter(
        citizen_id=room.citizen_id, complaint_id=room.complaint_id, is_closed=False
    ).exists():
        raise Conflict(ROOM_CONTINUES, code=ErrorCode.ROOM_CLOSED)
    room.is_closed = False
    room.closed_at = None


def _preview(message: ChatMessage) -> str:
    if message.message_type == MessageType.IMAGE:
        return str(_("📷 Photo"))
    if message.message_type == MessageType.FILE:
        return str(_("📄 Document"))
    text = message.message
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Offline participants
# ---------------------------------------------------------------------------------------------
def message_notify_offline(*, message_id, starts_wait: bool = False) -> list:
    """Tell the other side of a message when no socket of theirs is open on the room.

    Staff write → the citizen. The citizen writes → whoever the room is assigned to; in a room
    nobody holds, the first message since the last answer goes to every staff member who may
    answer in the ward. One notification per unread stretch and CHAT_NOTIFY_COALESCE_SECONDS:
    the dedupe key is the recipient's read marker and the time since it, so a burst is one push
    and a later answer to someone who never looked is another.

    Runs in the process that stored the message, right after commit, so the in-app copy reaches
    the recipient's /ws/notifications/ socket in embedded mode too (deliveries still go through
    the workers). Returns the notifications sent.
    """
    message = (
        ChatMessage.objects.select_related("room__citizen", "room__assigned_to", "sender")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return []
    room = message.room
    if not is_citizen_side(message.sender, room):
        recipients, read_at = [room.citizen], room.citizen_read_at
    elif room.assigned_to is not None:
        recipients, read_at = [room.assigned_to], room.staff_read_at
    elif starts_wait:
        recipients, read_at = ward_chat_staff(room), room.staff_read_at
    else:
        return []
    if read_at is not None and read_at >= message.created_at:
        return []  # already read (live, or before this ran)
    anchor = read_at or room.created_at
    stretch = int((message.created_at - anchor).total_seconds()) // max(
        settings.CHAT_NOTIFY_COALESCE_SECONDS, 1
    )
    waiting = is_citizen_side(message.sender, room) and room.assigned_to is None
    sent = []
    for recipient in recipients:
        if recipient.pk == message.sender_id or not recipient.is_active:
            continue
        if room_is_watched(room=room, user=recipient):
            continue
        sent.append(
            notification_send(
                user=recipient,
                kind="chat.waiting" if waiting else "chat.message",
                title=WAITING_TITLE if waiting else MESSAGE_TITLE,
                body=_("%(preview)s"),
                params={"name": message.sender.name, "preview": _preview(message)},
                data={**_room_data(room), "message_id": str(message.pk)},
                channels=("in_app", "push"),
                dedupe_key=f"chat:{room.pk}:{int(anchor.timestamp() * 1_000_000)}:{stretch}",
            )
        )
    return sent


def ward_chat_staff(room: ChatRoom) -> list[User]:
    """Active ward admins who may answer in the room's ward (chat update right)."""
    if not room.ward_number:
        return []
    rows = AdminPermission.objects.filter(
        permission_type=RESOURCE,
        can_update=True,
        admin__is_active=True,
        admin__user_type=UserType.ADMIN,
    ).select_related("admin")
    return [
        row.admin for row in rows if room.ward_number in {str(w) for w in row.ward_numbers or []}
    ]


def room_is_watched(*, room: ChatRoom, user: User) -> bool:
    fresh = timezone.now() - timedelta(seconds=settings.CHAT_IDLE_TIMEOUT_SECONDS)
    return ChatPresence.objects.filter(room=room, user=user, seen_at__gte=fresh).exists()


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def room_mark_read(*, room: ChatRoom, reader: User) -> dict:
    """Mark everything the reader's side received as read; the other side hears a ``read``."""
    room = ChatRoom.objects.select_for_update().get(pk=room.pk)
    if not is_participant(reader, room):
        raise PermissionDenied()
    now = timezone.now()
    unread = ChatMessage.objects.filter(room=room, is_read=False)
    if is_citizen_side(reader, room):
        unread = unread.exclude(sender_id=room.citizen_id)
        room.citizen_read_at = now
        marker = "citizen_read_at"
    else:
        unread = unread.filter(sender_id=room.citizen_id)
        room.staff_read_at = now
        marker = "staff_read_at"
    marked = unread.update(is_read=True, read_at=now)
    room.save(update_fields=[marker])
    if marked:  # nothing new to tell the other side otherwise
        events.read_published(room_id=room.pk, user_id=reader.pk, up_to=now)
    return {"room_id": room.pk, "marked": marked, "up_to": now}


# ---------------------------------------------------------------------------------------------
# Presence of sockets (the consumer's bookkeeping)
# ---------------------------------------------------------------------------------------------
def presence_join(*, room: ChatRoom, user: User, channel_name: str) -> None:
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"room": room, "user": user, "seen_at": timezone.now()},
    )


def presence_touch(*, channel_name: str) -> None:
    ChatPresence.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())


def presence_leave(*, channel_name: str) -> None:
    ChatPresence.objects.filter(channel_name=channel_name).delete()


def presence_purge() -> int:
    """Drop rows of sockets that died without saying so (beat)."""
    stale = timezone.now() - timedelta(seconds=settings.CHAT_IDLE_TIMEOUT_SECONDS)
    deleted, _rows = ChatPresence.objects.filter(seen_at__lt=stale).delete()
    return deleted
