"""Complaint figures: counts by status and category, satisfaction, service time, ward ranking,
the last hour. Each part is a set of aggregates plus the shaping of their result, so kpi/ can
compute several of them in one pass over the complaints."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connections
from django.db.models import Aggregate, Avg, Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, Length
from django.utils import timezone

from apps.complaints.enums import CATEGORY_CODES, STATUS_CODES, Status
from apps.complaints.models import Complaint

from .common import (
    HUNDREDTH,
    ZERO,
    Period,
    Wards,
    hours,
    in_period,
    in_wards,
    mean_hours,
    percent,
    round_hundredths,
)

RECENT_WINDOW = timedelta(hours=1)
RECENT_LIMIT = 20
RATINGS = range(1, 6)
RESOLVED = Q(status=Status.RESOLVED, resolved_at__isnull=False)


class Median(Aggregate):
    """PostgreSQL's exact median (``percentile_cont``: the mean of the two middle values)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _service_time():
    """Time from filing to resolution, as a database duration (an interval on PostgreSQL)."""
    return F("resolved_at") - F("created_at")


def complaints_in(wards: Wards, period: Period | None = None) -> QuerySet[Complaint]:
    """The complaints in ``wards``; with a ``period``, only those filed in it."""
    return in_period(
        in_wards(Complaint.objects.order_by(), "ward_number", wards), "created_at", period
    )


def _is_postgresql(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def status_aggregates() -> dict:
    counts = {f"status_{code}": Count("pk", filter=Q(status=v)) for v, code in STATUS_CODES.items()}
    return {"total": Count("pk"), **counts}


def status_figures(row: dict) -> dict:
    return {
        "total": row["total"],
        "by_status": [
            {"status": value, "code": code, "count": row[f"status_{code}"]}
            for value, code in STATUS_CODES.items()
        ],
    }


def category_aggregates() -> dict:
    return {
        f"category_{code}": Count("pk", filter=Q(category=value))
        for value, code in CATEGORY_CODES.items()
    }


def largest_remainder(counts: list[int]) -> list[Decimal]:
    """Percentages with two places summing to exactly 100: each share is rounded down to a
    hundredth, then the hundredths left over go to the largest remainders (ties: list order)."""
    total = sum(counts)
    if not total:
        return [ZERO for _ in counts]
    floors = [count * 10000 // total for count in counts]
    remainders = [count * 10000 % total for count in counts]
    left = 10000 - sum(floors)
    for index in sorted(range(len(counts)), key=lambda i: -remainders[i])[:left]:
        floors[index] += 1
    return [Decimal(units) / 100 for units in floors]


def category_figures(row: dict) -> list[dict]:
    items = list(CATEGORY_CODES.items())
    counts = [row[f"category_{code}"] for _value, code in items]
    shares = largest_remainder(counts)
    figures = [
        {"category": value, "code": code, "count": count, "percentage": share.quantize(HUNDREDTH)}
        for (value, code), count, share in zip(items, counts, shares, strict=True)
    ]
    return sorted(figures, key=lambda figure: -figure["count"])  # stable: ties keep enum order


def satisfaction_aggregates() -> dict:
    counts = {f"rating_{n}": Count("pk", filter=Q(rating=n)) for n in RATINGS}
    return {"rated_count": Count("rating"), "rating_sum": Sum("rating"), **counts}


def satisfaction_figures(row: dict) -> dict:
    rated = row["rated_count"]
    return {
        "average_rating": round_hundredths(Decimal(row["rating_sum"]) / rated) if rated else None,
        "rated_count": rated,
        "distribution": [{"rating": n, "count": row[f"rating_{n}"]} for n in RATINGS],
    }


def service_time_aggregates(complaints: QuerySet) -> dict:
    aggregates = {
        "resolved_count": Count("pk", filter=RESOLVED),
        "service_sum": Sum(_service_time(), filter=RESOLVED),
    }
    if _is_postgresql(complaints):
        aggregates["service_median"] = Median(_service_time(), filter=RESOLVED)
    return aggregates


def median_by_offset(complaints: QuerySet, count: int) -> timedelta | None:
    """Without percentile_cont (SQLite): read only the middle one or two durations, in order."""
    if not count:
        return None
    middle = list(
        complaints.filter(RESOLVED)
        .annotate(service_time=_service_time())
        .order_by("service_time")
        .values_list("service_time", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return sum(middle, timedelta()) / len(middle)


def service_time_figures(row: dict, complaints: QuerySet) -> dict:
    count = row["resolved_count"]
    if "service_median" in row:
        median = row["service_median"]
    else:
        median = median_by_offset(complaints, count)
    return {
        "mean_hours": mean_hours(row["service_sum"], count),
        "median_hours": hours(median),
        "resolved_count": count,
    }


# ---------------------------------------------------------------------------------------------
# The figures
# ---------------------------------------------------------------------------------------------
def complaint_stats(*, wards: Wards, period: Period | None = None) -> dict:
    """How many complaints, and how many in each status (every status, zeros included)."""
    return status_figures(complaints_in(wards, period).aggregate(**status_aggregates()))


def complaint_categories(*, wards: Wards, period: Period | None = None) -> list[dict]:
    """Each category's count and share; shares sum to exactly 100.00 (all 0.00 when none)."""
    return category_figures(complaints_in(wards, period).aggregate(**category_aggregates()))


def citizen_satisfaction(*, wards: Wards, period: Period | None = None) -> dict:
    """Mean rating of the rated complaints, how many were rated, and how many got each star."""
    return satisfaction_figures(complaints_in(wards, period).aggregate(**satisfaction_aggregates()))


def service_time(*, wards: Wards, period: Period | None = None) -> dict:
    """Mean and median hours from filing to resolution of the complaints now resolved."""
    complaints = complaints_in(wards, period)
    row = complaints.aggregate(**service_time_aggregates(complaints))
    return service_time_figures(row, complaints)


def ward_performance(
    *, wards: Wards, limit: int | None = None, period: Period | None = None
) -> list[dict]:
    """Per ward with complaints: totals, resolution rate and mean service time; best first
    (highest resolution rate, then shortest mean service time, then ward number)."""
    rows = (
        complaints_in(wards, period)
        .exclude(ward_number__isnull=True)
        .exclude(ward_number="")
        .values("ward_number")
        .annotate(
            total=Count("pk"),
            resolved=Count("pk", filter=RESOLVED),
            service_sum=Sum(_service_time(), filter=RESOLVED),
            service_mean=Avg(_service_time(), filter=RESOLVED),
            rate=Cast("resolved", FloatField()) / Cast("total", FloatField()),
        )
        .order_by(
            F("rate").desc(),
            F("service_mean").asc(nulls_last=True),
            Length("ward_number"),
            "ward_number",
        )
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        {
            "ward_number": row["ward_number"],
            "total": row["total"],
            "resolved": row["resolved"],
            "resolution_rate": percent(row["resolved"], row["total"]),
            "avg_service_hours": mean_hours(row["service_sum"], row["resolved"]),
        }
        for row in rows
    ]


def recent_complaints(*, wards: Wards, now: datetime | None = None) -> dict:
    """Complaints filed in the last hour: how many, and the latest 20 (no personal data)."""
    since = (now or timezone.now()) - RECENT_WINDOW
    recent = complaints_in(wards).filter(created_at__gte=since)
    count = recent.count()
    latest = []
    if count:
        latest = list(
            recent.order_by("-created_at", "-tracking_number").values(
                "id", "tracking_number", "category", "priority", "status", "ward_number",
                "created_at",
            )[:RECENT_LIMIT]
        )  # fmt: skip
    for row in latest:
        row["category_code"] = CATEGORY_CODES[row["category"]]
        row["status_code"] = STATUS_CODES[row["status"]]
    return {"since": since, "count": count, "complaints": latest}


def sts_overview(*, wards: Wards) -> list[dict]:
    """Transfer-station capacity: no STS data exists until the waste-management app adds it."""
    return []
