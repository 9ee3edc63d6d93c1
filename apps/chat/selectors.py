"""Reads of chat, always through the viewer's scope (policy.rooms_visible_to)."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from apps.users.models import User, UserType
from core.exceptions import NotFound
from core.queries import shown_with

from .models import ChatMessage, ChatRoom
from .policy import is_participant, rooms_visible_to, staff_may_open_about, staff_may_take


def _unread_for(viewer: User) -> Coalesce:
    """Messages of the other side the viewer's side has not read, per room (one subquery)."""
    unread = ChatMessage.objects.filter(room=OuterRef("pk"), is_read=False)
    if viewer.user_type == UserType.CITIZEN:
        unread = unread.exclude(sender=OuterRef("citizen"))
    else:
        unread = unread.filter(sender=OuterRef("citizen"))
    counted = unread.order_by().values("room").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def room_list(*, viewer: User) -> QuerySet[ChatRoom]:
    """Visible rooms, busiest first, with the last message and the unread count loaded."""
    return (
        rooms_visible_to(viewer)
        .select_related("citizen", "assigned_to", "last_message__sender")
        .annotate(unread_count=_unread_for(viewer))
        .order_by(F("last_message_at").desc(nulls_last=True), "-created_at")
    )


def room_rows(*, viewer: User) -> QuerySet[ChatRoom]:
    """room_list as the API's list answers it: loading what ChatRoomSerializer reads, every
    column of the room, the citizen's and the assignee's names, and the last message with its
    sender's name."""
    last = ("id", "sender", "sender__name", "message", "message_type", "created_at")
    return shown_with(
        room_list(viewer=viewer),
        "citizen__name",
        "assigned_to__name",
        *(f"last_message__{name}" for name in last),
    )


def room_inbox(*, viewer: User) -> QuerySet[ChatRoom]:
    """The staff inbox: the visible rooms (``room_list``) with ``waiting`` (open, and the
    citizen wrote last) first, unassigned before assigned among them, then busiest first."""
    waiting = Q(is_closed=False, last_message__sender=F("citizen"))
    return (
        room_list(viewer=viewer)
        .annotate(
            waiting=Case(When(waiting, then=True), default=False, output_field=BooleanField())
        )
        .order_by(
            "is_closed",
            F("waiting").desc(),
            F("assigned_to").asc(nulls_first=True),
            F("last_message_at").desc(nulls_last=True),
            "-created_at",
        )
    )


def room_get(*, viewer: User, room_id) -> ChatRoom:
    try:
        return room_list(viewer=viewer).get(pk=room_id)
    except (ChatRoom.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def room_after_write(*, viewer: User, room_id) -> ChatRoom:
    """Reload a room its actor has just changed, to answer them even if the change took it out
    of their view (a provider who hands a conversation on still gets the result)."""
    return (
        ChatRoom.objects.select_related("citizen", "assigned_to", "last_message__sender")
        .annotate(unread_count=_unread_for(viewer))
        .get(pk=room_id)
    )


def room_for_socket(*, user: User, room_id) -> ChatRoom | None:
    """The room a socket may join: the user must be a participant, not only able to see it."""
    try:
        room = rooms_visible_to(user).get(pk=room_id)
    except (ChatRoom.DoesNotExist, ValueError, TypeError):
        return None
    return room if is_participant(user, room) else None


def message_list(*, room: ChatRoom) -> QuerySet[ChatMessage]:
    """A room's messages, newest first (the room is one the viewer may see)."""
    return _newest_first(room.pk)


def room_messages(*, viewer: User, room_id) -> QuerySet[ChatMessage]:
    """The messages of a room ``viewer`` may see, newest first; 404 for any other room. Only
    the room's visibility is asked: room_get's people, last message and unread count would be
    loaded for nothing."""
    if not rooms_visible_to(viewer).filter(pk=room_id).exists():
        raise NotFound()
    return _newest_first(room_id)


def _newest_first(room_id) -> QuerySet[ChatMessage]:
    return (
        ChatMessage.objects.filter(room_id=room_id)
        .select_related("sender")
        .order_by("-created_at", "-pk")
    )


def message_with_file(*, viewer: User, message_id) -> ChatMessage:
    """A message whose attachment the viewer may download (the room must be visible to them)."""
    try:
        message = ChatMessage.objects.select_related("room").get(pk=message_id)
    except (ChatMessage.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not message.file or not rooms_visible_to(viewer).filter(pk=message.room_id).exists():
        raise NotFound()
    return message


def room_assignees(*, room: ChatRoom) -> list[User]:
    """Who the room may be handed to (the chat policy's ``staff_may_take``), by name."""
    staff = User.objects.filter(
        is_active=True,
        user_type__in=(UserType.ADMIN, UserType.SERVICE_PROVIDER, UserType.SUPER_ADMIN),
    ).order_by("name", "phone")
    return [user for user in staff if staff_may_take(user, room)]


def complaint_rooms(*, viewer: User, complaint) -> dict:
    """For a complaint's page: the viewer's visible rooms about it, and whether they may start
    one (no open one yet, and the policy lets them)."""
    rooms = list(room_list(viewer=viewer).filter(complaint=complaint))
    may_start = all(room.is_closed for room in rooms) and staff_may_open_about(viewer, complaint)
    return {"chat_rooms": rooms, "may_start_chat": may_start, "complaint": complaint}


def room_visible(*, viewer: User, room_id) -> bool:
    """Whether the room is (still) in the viewer's view, e.g. after handing it on."""
    return room_list(viewer=viewer).filter(pk=room_id).exists()
