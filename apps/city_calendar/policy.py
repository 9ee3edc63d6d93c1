"""Who may change which calendar events; services, the admin and the console all ask here.

Events are public: anyone reads every event. Staff with `calendar` rights change the events of
the wards their rows grant (create, update or delete, each by its own flag); city-wide events
(no ward) are the super admins' alone.
"""

from __future__ import annotations

from apps.users.models import User
from apps.users.policy import ALL_WARDS, Action, permitted_wards

RESOURCE = "calendar"


def may_manage(actor: User, ward: str | None, *, action: Action) -> bool:
    """May ``actor`` ``action`` an event of ``ward`` (None: city-wide, super admins only)?"""
    permitted = permitted_wards(actor, resource=RESOURCE, action=action)
    if permitted is ALL_WARDS:
        return True
    return ward is not None and ward in permitted


def manages_any(actor: User) -> bool:
    """Does ``actor`` hold any `calendar` right at all (the console shows them the editor)?"""
    return bool(permitted_wards(actor, resource=RESOURCE, action="read"))


def manage_check(actor: User, *, action: Action):
    """may_manage for many events: the actor's wards are read once, each event asks the
    returned check (a list page costs one query, not one a row)."""
    permitted = permitted_wards(actor, resource=RESOURCE, action=action)

    def check(ward: str | None) -> bool:
        return permitted is ALL_WARDS or (ward is not None and ward in permitted)

    return check
