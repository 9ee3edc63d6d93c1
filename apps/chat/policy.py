"""Who may see and act in which chat rooms; selectors, services and the consumer all ask here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.users.models import User, UserType
from apps.users.policy import ALL_WARDS, permitted_wards

from .models import ChatRoom

RESOURCE = "chat"


def rooms_visible_to(viewer: User) -> QuerySet[ChatRoom]:
    """Citizen: own rooms. Ward admin: rooms of their `chat` wards and rooms assigned to them.
    Service provider: rooms assigned to them. Super admin: all."""
    rooms = ChatRoom.objects.all()
    if not viewer.is_authenticated or not viewer.is_active:
        return rooms.none()
    if viewer.user_type == UserType.SUPER_ADMIN:
        return rooms
    if viewer.user_type == UserType.ADMIN:
        wards = permitted_wards(viewer, resource=RESOURCE, action="read")
        return rooms.filter(Q(ward_number__in=wards) | Q(assigned_to=viewer))
    if viewer.user_type == UserType.SERVICE_PROVIDER:
        return rooms.filter(assigned_to=viewer)
    return rooms.filter(citizen=viewer)


def is_citizen_side(user: User, room: ChatRoom) -> bool:
    return room.citizen_id == user.pk


def can_answer(user: User, room: ChatRoom) -> bool:
    """May write in the room as the city, hand it on or close it."""
    if not user.is_active or is_citizen_side(user, room):
        return False
    if user.user_type == UserType.SUPER_ADMIN:
        return True
    if room.assigned_to_id == user.pk:
        return True
    if user.user_type == UserType.ADMIN:
        wards = permitted_wards(user, resource=RESOURCE, action="update")
        return wards is ALL_WARDS or room.ward_number in wards
    return False


def is_participant(user: User, room: ChatRoom) -> bool:
    """The citizen whose room it is, or staff who may answer in it."""
    return user.is_active and (is_citizen_side(user, room) or can_answer(user, room))


def staff_may_take(user: User, room: ChatRoom) -> bool:
    """Who a room may be handed to: a super admin, a ward admin who may read chats of the
    room's ward, or a service provider (field staff a ward hands work to, as with complaints).
    An admin of another ward may not be handed a conversation they could not see otherwise."""
    if not user.is_active:
        return False
    if user.user_type in (UserType.SUPER_ADMIN, UserType.SERVICE_PROVIDER):
        return True
    if user.user_type == UserType.ADMIN:
        wards = permitted_wards(user, resource=RESOURCE, action="read")
        return wards is ALL_WARDS or room.ward_number in wards
    return False


def staff_may_open_about(user: User, complaint) -> bool:
    """Staff may open the conversation about a complaint with its citizen when they manage the
    complaint and could answer in its ward (``can_answer``, asked of the room it would be)."""
    from apps.complaints.policy import can_manage

    would_be = ChatRoom(citizen=complaint.user, ward_number=complaint.ward_number)
    return can_manage(user, complaint) and can_answer(user, would_be)
