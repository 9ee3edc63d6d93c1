"""Who may act where: the wards a staff member's AdminPermission rows grant for a resource.

The one place that turns permission rows into ward sets; selectors of every app scope their
querysets with it, so no view can forget a check.
"""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext_lazy as _

from core.accounts import account_fact

from .models import AdminPermission, User, UserType

Action = Literal["create", "read", "update", "delete"]

# The resources a permission row may name (AdminPermission.permission_type): each app passes its
# own to permitted_wards(). A value outside this list would grant nothing, so it is refused.
PERMISSION_TYPES = (
    "complaints",
    "payments",
    "users",
    "donations",
    "emergency",
    "notices",
    "chat",
    "waste",
    "gallery",
    "calendar",
)

# What people call each of them (the console's permission matrix shows these, never the codes).
PERMISSION_TYPE_LABELS = {
    "complaints": _("Complaints"),
    "payments": _("Payments"),
    "users": _("Residents"),
    "donations": _("Donations"),
    "emergency": _("Emergencies"),
    "notices": _("Notices"),
    "chat": _("Chat"),
    "waste": _("Waste"),
    "gallery": _("Gallery"),
    "calendar": _("Calendar"),
}

# What each flag of a permission row lets the account do, as people say it.
PERMISSION_FLAG_LABELS = {
    "can_create": _("Create"),
    "can_read": _("Read"),
    "can_update": _("Update"),
    "can_delete": _("Delete"),
}

# The accounts a super admin manages at /admin-users/ (citizens and super admins are not).
STAFF_ACCOUNT_TYPES = (UserType.ADMIN, UserType.SERVICE_PROVIDER)

# What a new staff account given ``ward_numbers`` may do there: read and update complaints.
DEFAULT_STAFF_PERMISSION = {
    "permission_type": "complaints",
    "resource_type": "complaint",
    "can_create": False,
    "can_read": True,
    "can_update": True,
    "can_delete": False,
}


class AllWards:
    """Marker for "no ward restriction" (super admins)."""

    def __contains__(self, ward) -> bool:
        return True

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "ALL_WARDS"


ALL_WARDS = AllWards()


def permitted_wards(
    user: User, *, resource: str | None, action: Action = "read", fresh: bool = False
):
    """Wards where ``user`` may ``action`` on ``resource``: ALL_WARDS, or a (possibly empty) set.

    ``resource=None`` means "any resource": a ward admin may read the residents of every ward
    some permission of theirs covers. ``fresh`` reads the rows from the database whatever is
    kept (a long-lived socket's recheck).
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.user_type == UserType.SUPER_ADMIN:
        return ALL_WARDS
    if user.user_type != UserType.ADMIN:
        return set()
    wards: set[str] = set()
    for row in permission_rows(user, fresh=fresh):
        if row[f"can_{action}"] and (resource is None or row["permission_type"] == resource):
            wards.update(str(w) for w in row["ward_numbers"] or [])
    return wards


# What permitted_wards reads of each permission row (kept in the cache with the account).
_KEPT_PERMISSION_FIELDS = (
    "permission_type", "ward_numbers", "can_create", "can_read", "can_update", "can_delete",
)  # fmt: skip


def permission_rows(user: User, *, fresh: bool = False) -> list[dict]:
    """The staff member's permission rows as read on every request of theirs: kept with their
    account (core.accounts.account_fact), retired by every write of a row through the ORM or
    of the account; a write around the ORM (the city seed's set-wise deletes) is seen within
    ACCOUNT_CACHE_SECONDS, or at once with ``fresh``."""

    def load() -> list[dict]:
        return list(AdminPermission.objects.filter(admin=user).values(*_KEPT_PERMISSION_FIELDS))

    return load() if fresh else account_fact(user.pk, "permissions", load)
