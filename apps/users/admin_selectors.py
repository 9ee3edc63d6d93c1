"""Reads of /admin-users/: staff accounts, their permission rows and their activity trail."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, QuerySet

from core.exceptions import NotFound, PermissionDenied
from core.filters import BoundedIsoDateTimeFilter

from .models import ActivityLog, AdminPermission, User, UserType
from .policy import STAFF_ACCOUNT_TYPES
from .selectors import UserFilter


class StaffAccountFilter(UserFilter):
    user_type = django_filters.ChoiceFilter(
        choices=[(value, UserType(value).label) for value in STAFF_ACCOUNT_TYPES]
    )


class ActivityLogFilter(django_filters.FilterSet):
    action = django_filters.CharFilter()
    resource_type = django_filters.CharFilter()
    created_after = BoundedIsoDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text="ISO 8601 date-time; rows at or after it.",
    )
    created_before = BoundedIsoDateTimeFilter(
        field_name="created_at",
        lookup_expr="lt",
        help_text="ISO 8601 date-time; rows strictly before it.",
    )

    class Meta:
        model = ActivityLog
        fields = ["action", "resource_type"]


def _require_super_admin(viewer: User) -> None:
    if not (viewer.is_authenticated and viewer.user_type == UserType.SUPER_ADMIN):
        raise PermissionDenied()


PERMISSION_ORDER = ("permission_type", "resource_type", "created_at")


def admin_permission_list(*, account: User) -> QuerySet[AdminPermission]:
    return AdminPermission.objects.filter(admin=account).order_by(*PERMISSION_ORDER)


def staff_account_list(*, viewer: User) -> QuerySet[User]:
    """Ward admins and service providers, newest first, each with their permission rows."""
    _require_super_admin(viewer)
    permissions = AdminPermission.objects.order_by(*PERMISSION_ORDER)
    return (
        User.objects.filter(user_type__in=STAFF_ACCOUNT_TYPES)
        .prefetch_related(Prefetch("admin_permissions", queryset=permissions))
        .order_by("-created_at")
    )


def staff_account_get(*, viewer: User, user_id) -> User:
    """One staff account; a citizen's or super admin's id is as unknown as a made-up one."""
    try:
        return staff_account_list(viewer=viewer).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def staff_activity_list(*, viewer: User, user_id) -> QuerySet[ActivityLog]:
    """What a staff account did, newest first (the view narrows it with ActivityLogFilter)."""
    account = staff_account_get(viewer=viewer, user_id=user_id)
    return ActivityLog.objects.filter(user=account).order_by("-created_at", "-id")
