"""Who may see and act on which emergencies; selectors and services both ask here."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from apps.users.models import User, UserType
from apps.users.policy import ALL_WARDS, permitted_wards

from .enums import OPEN_STATUSES, TRANSITIONS, EmergencyStatus
from .models import EmergencyDispatch, EmergencyRequest

RESOURCE = "emergency"
STAFF_TYPES = (UserType.ADMIN, UserType.SERVICE_PROVIDER, UserType.SUPER_ADMIN)


def emergencies_visible_to(viewer: User) -> QuerySet[EmergencyRequest]:
    """Citizen: own. Ward admin: their `emergency` wards, plus what was dispatched or assigned
    to them. Provider: dispatched or assigned. Super admin: all."""
    emergencies = EmergencyRequest.objects.all()
    if viewer.user_type == UserType.SUPER_ADMIN:
        return emergencies
    mine = Q(assigned_to=viewer) | Q(pk__in=_dispatched_to(viewer))
    if viewer.user_type == UserType.ADMIN:
        wards = permitted_wards(viewer, resource=RESOURCE, action="read")
        return emergencies.filter(Q(ward_number__in=wards) | mine)
    if viewer.user_type == UserType.SERVICE_PROVIDER:
        return emergencies.filter(mine)
    return emergencies.filter(user=viewer)


def _dispatched_to(staff: User):
    """Emergencies the staff member was told of, while they still hold emergency duty."""
    if not _on_duty(staff):
        return EmergencyDispatch.objects.none().values("emergency_id")
    return EmergencyDispatch.objects.filter(staff=staff).values("emergency_id")


def _on_duty(staff: User) -> bool:
    """Still holds the right to act on emergencies somewhere (rights removed end what a
    dispatch gave)."""
    return bool(permitted_wards(staff, resource=RESOURCE, action="update"))


def may_hand_on(actor: User, emergency: EmergencyRequest) -> bool:
    """Who may take an emergency from the staff member holding it: that holder, a super admin,
    or a ward admin responsible for its ward; not a neighbour who was only told of it."""
    if actor.user_type == UserType.SUPER_ADMIN or emergency.assigned_to_id == actor.pk:
        return True
    if actor.user_type == UserType.ADMIN:
        wards = permitted_wards(actor, resource=RESOURCE, action="update")
        return wards is ALL_WARDS or emergency.ward_number in wards
    return False


def can_manage(viewer: User, emergency: EmergencyRequest) -> bool:
    """May take, hand on or move this emergency along."""
    return emergency.pk in manageable(viewer, [emergency])


def manageable(viewer: User, emergencies) -> set:
    """The pks of ``emergencies`` ``viewer`` may take, hand on or move along (can_manage's rule),
    in at most three queries however many there are: a board asks once, not once a row."""
    emergencies = list(emergencies)
    if not viewer.is_active or viewer.user_type not in STAFF_TYPES:
        return set()
    if viewer.user_type == UserType.SUPER_ADMIN:
        return {emergency.pk for emergency in emergencies}
    allowed = {emergency.pk for emergency in emergencies if emergency.assigned_to_id == viewer.pk}
    others = [emergency for emergency in emergencies if emergency.pk not in allowed]
    if others and _on_duty(viewer):  # told because their ward is near: they may take it
        allowed.update(
            EmergencyDispatch.objects.filter(
                staff=viewer, emergency__in=[emergency.pk for emergency in others]
            ).values_list("emergency_id", flat=True)
        )
    if others and viewer.user_type == UserType.ADMIN:
        wards = permitted_wards(viewer, resource=RESOURCE, action="update")
        allowed.update(
            emergency.pk
            for emergency in others
            if wards is ALL_WARDS or emergency.ward_number in wards
        )
    return allowed


def may_take(user: User) -> bool:
    """Who an emergency may be handed to: active staff."""
    return user.is_active and user.user_type in STAFF_TYPES


def status_moves(status: str) -> list[str]:
    """The statuses an emergency in ``status`` may move to (``emergency_change_status``'s
    rule), in the order of ``EmergencyStatus``."""
    return [value for value in EmergencyStatus.values if value in TRANSITIONS[status]]


def escalation_window() -> timedelta:
    return timedelta(seconds=settings.EMERGENCY_ESCALATION_SECONDS)


def awaiting_escalation() -> Q:
    """Open, nobody has taken it and not yet escalated: escalates when its window ends."""
    return Q(assigned_to__isnull=True, escalated_at__isnull=True, status__in=OPEN_STATUSES)


def escalation_deadline(emergency: EmergencyRequest) -> datetime | None:
    """When ``emergency`` escalates to the super admins unless someone takes it; None when it
    is not waiting for that (taken, escalated or over)."""
    waiting = (
        emergency.assigned_to_id is None
        and emergency.escalated_at is None
        and emergency.status in OPEN_STATUSES
    )
    return emergency.created_at + escalation_window() if waiting else None
