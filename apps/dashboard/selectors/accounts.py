"""Account figures: users by type for the dashboard, and the home screen's city-wide summary."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from apps.complaints.enums import STATUS_CODES, Status
from apps.users.models import User, UserType
from apps.users.policy import ALL_WARDS

from ..cache import accounts_cached
from .common import Period, Wards, in_period, month_start
from .complaints import complaint_counts, tally


def user_stats(*, wards: Wards, now: datetime | None = None, period: Period | None = None) -> dict:
    """Accounts by type, verified, active and new this (Dhaka) month. A ward admin counts the
    citizens registered in their wards only. With a ``period``: the accounts created in it."""
    users = in_period(User.objects.order_by(), "created_at", period)
    if wards is not ALL_WARDS:
        users = users.filter(user_type=UserType.CITIZEN, ward_number__in=sorted(wards))
    by_type = {f"type_{kind}": Count("pk", filter=Q(user_type=kind)) for kind in UserType.values}
    row = users.aggregate(
        total=Count("pk"),
        verified=Count("pk", filter=Q(is_verified=True)),
        active=Count("pk", filter=Q(is_active=True)),
        new_this_month=Count("pk", filter=Q(created_at__gte=month_start(now or timezone.now()))),
        **by_type,
    )
    return {
        "total": row["total"],
        "by_user_type": [
            {"user_type": kind, "count": row[f"type_{kind}"]} for kind in UserType.values
        ],
        "total_users": row[f"type_{UserType.CITIZEN}"],
        "total_admins": row[f"type_{UserType.ADMIN}"],
        "total_super_admins": row[f"type_{UserType.SUPER_ADMIN}"],
        "total_service_providers": row[f"type_{UserType.SERVICE_PROVIDER}"],
        "verified_users": row["verified"],
        "active_users": row["active"],
        "new_this_month": row["new_this_month"],
    }


def active_citizens() -> int:
    return User.objects.filter(user_type=UserType.CITIZEN, is_active=True).count()


def home_stats() -> dict:
    """The mobile home screen's city-wide counts (any signed-in user; nothing personal)."""
    row = tally(complaint_counts(ALL_WARDS, None, "status"))
    citizens = accounts_cached(figure="citizens", compute=active_citizens)
    return {
        "total_complaints": row["total"],
        "pending_complaints": row[f"status_{STATUS_CODES[Status.SUBMITTED]}"],
        "in_progress_complaints": row[f"status_{STATUS_CODES[Status.IN_PROGRESS]}"],
        "resolved_complaints": row[f"status_{STATUS_CODES[Status.RESOLVED]}"],
        "cancelled_complaints": row[f"status_{STATUS_CODES[Status.CANCELLED]}"],
        "total_citizens": citizens,
    }
