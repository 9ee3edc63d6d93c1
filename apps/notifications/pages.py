"""What a person's kept inbox pages and unread count (core/lists.py) carry, and what retires them.

Both are kept under their inbox's part, ``notifications:inbox:<user id>``. Every write of one of
their notifications through the ORM touches it (post_save and post_delete, connected in
apps.py), and the services' queryset updates that mark notifications read touch it themselves
(an ``update()`` sends no signal). What the delivery tasks update (SMS and push status) is not on
the page, so their updates need not touch.
"""

from __future__ import annotations

from uuid import UUID

from apps.users.models import User
from core.lists import list_touch

from .models import Notification

LIST = "notifications"


def page_names(user: User) -> list[str]:
    return [inbox(user.pk)]


def inbox(user_id: UUID) -> str:
    return f"{LIST}:inbox:{user_id}"


def notification_written(sender, instance: Notification, **kwargs) -> None:
    """post_save and post_delete of Notification."""
    list_touch([inbox(instance.user_id)])
