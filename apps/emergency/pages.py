"""What a viewer's kept emergency pages (core/lists.py) carry, and what retires them.

Kept for two scopes only (policy.emergencies_visible_to): the super admin's, the whole city
(``emergency:any``, which every write touches), and a citizen's own calls
(``emergency:owner:<id>``). A ward admin's or a provider's scope also follows dispatches and
duty rights; their pages are rendered for each request.

A write of an emergency touches ``any`` and its citizen's part (post_save and post_delete,
connected in apps.py); the escalation's queryset ``update()`` touches for itself
(services._escalate_now). The list shows no dispatch or status
move, so their writes need not touch.
"""

from __future__ import annotations

from uuid import UUID

from apps.users.models import User, UserType
from core.lists import list_touch

from .models import EmergencyRequest

LIST = "emergency"
ANY = f"{LIST}:any"


def page_names(viewer: User) -> list[str] | None:
    """The parts ``viewer``'s pages show, or None when their pages are not kept."""
    if viewer.user_type == UserType.SUPER_ADMIN:
        return [ANY]
    if viewer.user_type == UserType.CITIZEN:
        return [owner(viewer.pk)]
    return None


def owner(user_id: UUID) -> str:
    return f"{LIST}:owner:{user_id}"


def page_parts(emergency: EmergencyRequest) -> list[str]:
    """The parts whose pages show ``emergency`` (its citizen never changes)."""
    return [ANY, owner(emergency.user_id)]


def emergency_written(sender, instance: EmergencyRequest, **kwargs) -> None:
    """post_save and post_delete of EmergencyRequest."""
    list_touch(page_parts(instance))
