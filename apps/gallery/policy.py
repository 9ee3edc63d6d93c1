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
    permitted = permitted_wards(actor, resource=RESOURCE, action=action)
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
