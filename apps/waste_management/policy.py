"""Who may see and change which schedules and special collections; selectors, services and the
admin all ask here. Staff act on the wards their `waste` permission rows grant."""

from __future__ import annotations

from django.db.models import Q

from apps.users.models import User, UserType
from apps.users.policy import ALL_WARDS, Action, permitted_wards

RESOURCE = "waste"


def waste_wards(user: User, *, action: Action):
    """The wards where ``user`` may ``action`` waste records: ALL_WARDS or a set."""
    return permitted_wards(user, resource=RESOURCE, action=action)


def may_act(user: User, ward_number: str, *, action: Action) -> bool:
    return ward_number in waste_wards(user, action=action)


def schedules_visible(viewer: User) -> Q:
    """Active schedules are public; staff also see the paused ones of the wards they may read."""
    wards = waste_wards(viewer, action="read")
    if wards is ALL_WARDS:
        return Q()
    return Q(is_active=True) | Q(ward_number__in=list(wards))


def special_requests_visible(viewer: User) -> Q | None:
    """Special collections ``viewer`` may read (None: none at all): a citizen their own; staff
    those of the wards their `waste` rows let them read; a super admin every one."""
    if not viewer.is_authenticated or not viewer.is_active:
        return None
    if viewer.user_type == UserType.CITIZEN:
        return Q(citizen=viewer)
    wards = waste_wards(viewer, action="read")
    if wards is ALL_WARDS:
        return Q()
    if not wards:
        return None
    return Q(ward_number__in=list(wards))
