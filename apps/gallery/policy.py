"""Who may change which gallery photos; services, the admin and the console ask here.

Anyone may look at the gallery. Staff write with their `gallery` rights: a ward admin for the
wards their rows grant (create, update or delete), a photo of no ward (city-wide) only a super
admin.
"""

from __future__ import annotations

from apps.users.models import User
from apps.users.policy import ALL_WARDS, Action, permitted_wards

RESOURCE = "gallery"


def may_act(actor: User, ward: str | None, *, action: Action) -> bool:
    """May ``actor`` ``action`` a photo of ``ward`` (None: city-wide, super admins only)?"""
    return covers(wards_for(actor, action=action), ward)


def wards_for(actor: User, *, action: Action):
    """The wards where ``actor`` may ``action`` photos (ALL_WARDS for super admins)."""
    return permitted_wards(actor, resource=RESOURCE, action=action)


def covers(permitted, ward: str | None) -> bool:
    """Do ``permitted`` wards (from wards_for) cover a photo of ``ward``? City-wide photos
    (None) are covered only by ALL_WARDS. For lists: one query for the rights, not one a row."""
    if permitted is ALL_WARDS:
        return True
    return ward is not None and ward in permitted


def may_upload(actor: User) -> bool:
    """Does ``actor`` hold any right to add photos (the console shows its form then)?"""
    return bool(permitted_wards(actor, resource=RESOURCE, action="create"))


def may_manage(user: User) -> bool:
    """Does ``user`` hold any right to add, change or remove photos somewhere (the console's
    gallery screen opens for them)?"""
    return any(
        permitted_wards(user, resource=RESOURCE, action=action)
        for action in ("create", "update", "delete")
    )
