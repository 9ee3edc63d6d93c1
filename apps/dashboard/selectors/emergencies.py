"""Emergency figures: how many are open, how many had to be escalated, how fast staff respond.

One aggregate read (the median riding along on PostgreSQL; on SQLite a read of the middle rows),
plus one grouped read by type.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connections
from django.db.models import Count, F, Q, QuerySet, Sum

from apps.emergency.enums import OPEN_STATUSES, TYPE_CODES, EmergencyType
from apps.emergency.models import EmergencyRequest

from .common import Period, Wards, in_period, in_wards, round_hundredths
from .complaints import Median

RESPONDED = Q(responded_at__isnull=False)


def emergencies_in(wards: Wards, period: Period | None = None) -> QuerySet[EmergencyRequest]:
    """The emergencies in ``wards``; with a ``period``, only those raised in it."""
    return in_period(
        in_wards(EmergencyRequest.objects.order_by(), "ward_number", wards), "created_at", period
    )


def _response_time():
    return F("responded_at") - F("created_at")


def _minutes(duration: timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    return round_hundredths(Decimal(duration.total_seconds()) / 60)


def _median_by_offset(emergencies: QuerySet, count: int) -> timedelta | None:
    if not count:
        return None
    middle = list(
        emergencies.filter(RESPONDED)
        .annotate(response_time=_response_time())
        .order_by("response_time")
        .values_list("response_time", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return sum(middle, timedelta()) / len(middle)


def emergency_stats(*, wards: Wards, period: Period | None = None) -> dict:
    """Open, escalated and unanswered counts, and response time (raised → first staff action)."""
    emergencies = emergencies_in(wards, period)
    aggregates = {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        "unassigned_open": Count(
            "pk", filter=Q(status__in=OPEN_STATUSES, assigned_to__isnull=True)
        ),
        "escalated": Count("pk", filter=Q(escalated_at__isnull=False)),
        "responded": Count("pk", filter=RESPONDED),
        "response_sum": Sum(_response_time(), filter=RESPONDED),
    }
    postgresql = connections[emergencies.db].vendor == "postgresql"
    if postgresql:
        aggregates["response_median"] = Median(_response_time(), filter=RESPONDED)
    row = emergencies.aggregate(**aggregates)
    responded = row["responded"]
    median = row["response_median"] if postgresql else _median_by_offset(emergencies, responded)
    mean = row["response_sum"] / responded if responded else None
    by_type = dict(emergencies.values_list("emergency_type").annotate(count=Count("pk")))
    return {
        "total": row["total"],
        "open": row["open"],
        "unassigned_open": row["unassigned_open"],
        "escalated": row["escalated"],
        "responded": responded,
        "mean_response_minutes": _minutes(mean),
        "median_response_minutes": _minutes(median),
        "by_type": [
            {"emergency_type": value, "code": TYPE_CODES[value], "count": by_type.get(value, 0)}
            for value in EmergencyType.values
        ],
    }
