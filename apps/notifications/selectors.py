"""Reads of notifications: a person sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.users.models import User

from .models import Notification


def notification_list(*, user: User, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's inbox, newest first; ``unread`` True/False narrows it, None keeps all."""
    notifications = Notification.objects.filter(user=user, in_app=True)
    if unread is not None:
        notifications = notifications.filter(is_read=not unread)
    return notifications.order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, in_app=True, is_read=False).count()
