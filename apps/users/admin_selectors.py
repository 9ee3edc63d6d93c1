"""Reads of /admin-users/: staff accounts, their permission rows and their activity trail."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q, QuerySet

from core.exceptions import NotFound, PermissionDenied
from core.filters import BoundedIsoDateTimeFilter, SearchTextFilter

from .models import ActivityAction, ActivityLog, AdminPermission, User, UserType
from .policy import STAFF_ACCOUNT_TYPES
from .selectors import UserFilter


class StaffAccountFilter(UserFilter):
    user_type = django_filters.ChoiceFilter(
        choices=[(value, UserType(value).label) for value in STAFF_ACCOUNT_TYPES]
    )


class ActivityLogFilter(django_filters.FilterSet):
    action = django_filters.CharFilter()
    resource_type = SearchTextFilter()
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


class AuditTrailFilter(ActivityLogFilter):
    """The whole trail's filters: ActivityLogFilter's, plus who acted (part of a name or phone),
    the action as one of ActivityAction's values, and Dhaka calendar days (both ends kept)."""

    action = django_filters.ChoiceFilter(choices=ActivityAction.choices)
    actor = SearchTextFilter(method="filter_actor")
    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta(ActivityLogFilter.Meta):
        fields = ["action", "resource_type"]

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(user__name__icontains=value) | Q(user__phone__icontains=value))


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


def activity_log_list(*, viewer: User) -> QuerySet[ActivityLog]:
    """The audit trail, newest first, with who acted; super admins only."""
    _require_super_admin(viewer)
    return ActivityLog.objects.select_related("user").order_by("-created_at", "-id")


def staff_activity_list(*, viewer: User, user_id) -> QuerySet[ActivityLog]:
    """What a staff account did, newest first (the view narrows it with ActivityLogFilter)."""
    account = staff_account_get(viewer=viewer, user_id=user_id)
    return activity_log_list(viewer=viewer).filter(user=account)
