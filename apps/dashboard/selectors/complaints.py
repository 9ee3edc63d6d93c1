"""Complaint figures: counts by status and category, satisfaction, service time, ward ranking,
the last hour. The database counts per group (status × category × star, ward × status: a few
hundred rows at most); Python adds the groups up, so kpi/ and the reports get every figure from
two grouped reads. On PostgreSQL the figures over all time read the complaint tally (a few
thousand rows the triggers keep exact, models.ComplaintTally) instead of a million complaints;
the reports' periods, and SQLite, count the complaints themselves."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db import connections
from django.db.models import Aggregate, Count, F, Q, QuerySet, Subquery, Sum, Value
from django.utils import timezone

from apps.complaints.enums import CATEGORY_CODES, STATUS_CODES, Status
from apps.complaints.models import Complaint
from apps.users.policy import ALL_WARDS

from ..models import ComplaintTally, ServiceTimeTally
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
BREAKDOWN = ("status", "category", "priority", "rating")  # idx_complaints_breakdown's columns


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


# ---------------------------------------------------------------------------------------------
# Grouped reads: the database counts per group (a few hundred groups at most), Python adds them up
# ---------------------------------------------------------------------------------------------
def _tallied(period: Period | None) -> bool:
    """Whether figures over ``period`` come from the complaint tally (all time, PostgreSQL)."""
    return period is None and _is_postgresql(ComplaintTally.objects.all())


def tallied_counts_by(wards: Wards, *fields: str) -> list[dict]:
    """The tally's sums per combination of ``fields`` (any of ward_number, status, category,
    rating), shaped as the grouped reads of the complaints are: a count, how many have a
    resolution time and their service-time sum (None when none), no ward or rating as None."""
    rows = (
        in_wards(ComplaintTally.objects.order_by(), "ward_number", wards)
        .values(*fields)
        .annotate(count=Sum("complaints"), timed=Sum("timed"), service_sum=Sum("service_sum"))
    )
    groups = []
    for row in rows:
        if not row["count"]:
            continue  # every complaint of the group has moved on
        if "rating" in row:
            row["rating"] = row["rating"] or None
        if "ward_number" in row:
            row["ward_number"] = row["ward_number"] or None
        if not row["timed"]:
            row["service_sum"] = None
        groups.append(row)
    return groups


def complaint_counts(wards: Wards, period: Period | None, *fields: str) -> list[dict]:
    """How many complaints in each combination of ``fields``, from the tally when it can."""
    if _tallied(period):
        return tallied_counts_by(wards, *fields)
    return counts_by(complaints_in(wards, period), *fields)


def ward_status_counts(wards: Wards, period: Period | None) -> list[dict]:
    """Per ward and status: count, timed and service-time sum, from the tally when it can."""
    if _tallied(period):
        return tallied_counts_by(wards, "ward_number", "status")
    return ward_status_groups(complaints_in(wards, period))


def counts_by(complaints: QuerySet, *fields: str) -> list[dict]:
    """How many complaints in each combination of ``fields`` (count(*) only, so PostgreSQL
    can read them from idx_complaints_breakdown alone)."""
    return list(complaints.values(*fields).annotate(count=Count("*")).order_by())


def tally(groups: list[dict]) -> dict:
    """The counts every figure reads (total, per status, per category, per star, rated and the
    rating sum), added up from grouped rows; a field the groups lack leaves its counts at zero."""
    row = {"total": 0, "rated_count": 0, "rating_sum": 0}
    row.update({f"status_{code}": 0 for code in STATUS_CODES.values()})
    row.update({f"category_{code}": 0 for code in CATEGORY_CODES.values()})
    row.update({f"rating_{n}": 0 for n in RATINGS})
    for group in groups:
        count = group["count"]
        row["total"] += count
        if "status" in group:
            row[f"status_{STATUS_CODES[group['status']]}"] += count
        if "category" in group:
            row[f"category_{CATEGORY_CODES[group['category']]}"] += count
        if group.get("rating") is not None:
            row["rated_count"] += count
            row["rating_sum"] += group["rating"] * count
            row[f"rating_{group['rating']}"] += count
    return row


def ward_status_groups(complaints: QuerySet) -> list[dict]:
    """Per ward and status: how many, how many have a resolution time, and the sum of those
    times (read from idx_complaints_ward_status alone on PostgreSQL)."""
    return list(
        complaints.values("ward_number", "status")
        .annotate(count=Count("*"), timed=Count("resolved_at"), service_sum=Sum(_service_time()))
        .order_by()
    )


def resolved_totals(groups: list[dict]) -> dict:
    """The resolved complaints' count and service-time sum over every ward (none included)."""
    resolved = [group for group in groups if group["status"] == Status.RESOLVED]
    sums = [group["service_sum"] for group in resolved if group["service_sum"] is not None]
    return {
        "resolved_count": sum(group["timed"] for group in resolved),
        "service_sum": sum(sums, timedelta()) if sums else None,
    }


def ward_ranking(groups: list[dict], limit: int | None = None) -> list[dict]:
    """Per ward with complaints: totals, resolution rate and mean service time; best first
    (highest resolution rate, then shortest mean service time, then ward number), compared
    exactly (fractions, not floats)."""
    wards: dict[str, dict] = {}
    for group in groups:
        if not group["ward_number"]:
            continue
        ward = wards.setdefault(
            group["ward_number"], {"total": 0, "resolved": 0, "service_sum": None}
        )
        ward["total"] += group["count"]
        if group["status"] == Status.RESOLVED:
            ward["resolved"], ward["service_sum"] = group["timed"], group["service_sum"]
    ranked = sorted(wards.items(), key=lambda item: _rank(*item))
    return [
        {
            "ward_number": number,
            "total": ward["total"],
            "resolved": ward["resolved"],
            "resolution_rate": percent(ward["resolved"], ward["total"]),
            "avg_service_hours": mean_hours(ward["service_sum"], ward["resolved"]),
        }
        for number, ward in ranked[:limit]
    ]


def _rank(number: str, ward: dict) -> tuple:
    mean = None
    if ward["resolved"] and ward["service_sum"] is not None:
        mean = Fraction(ward["service_sum"] // timedelta(microseconds=1), ward["resolved"])
    rate = Fraction(ward["resolved"], ward["total"])
    return (-rate, mean is None, mean or 0, len(number), number)


def service_median(complaints: QuerySet) -> Subquery:
    """PostgreSQL's median service time as a scalar subquery, so it rides along in another read
    (percentile_cont over idx_complaints_service_time, not over the table)."""
    resolved = complaints.filter(RESOLVED).annotate(everything=Value(1)).values("everything")
    return Subquery(resolved.annotate(median=Median(_service_time())).values("median"))


def complaint_overview(*, wards: Wards, ward_limit: int, period: Period | None = None) -> dict:
    """Counts by status, category and star, service time and the ward ranking of the complaints
    in ``wards`` (filed in ``period``): two grouped reads of the tally and the median's, or of the
    complaints (the median riding along on PostgreSQL, a third read on SQLite)."""
    complaints = complaints_in(wards, period)
    if _tallied(period):
        groups = tallied_counts_by(wards, "status", "category", "rating")
    else:
        # Priority is not shown here, but grouping by the whole of idx_complaints_breakdown, in
        # its order, lets PostgreSQL count while it reads the index instead of hashing every entry.
        groups = complaints.values(*BREAKDOWN).annotate(count=Count("*"))
        if _is_postgresql(complaints):
            groups = groups.annotate(service_median=service_median(complaints))
        groups = list(groups.order_by())
    ward_groups = ward_status_counts(wards, period)
    row = {**tally(groups), **resolved_totals(ward_groups)}
    if _tallied(period):
        row["service_median"] = tallied_median(wards, complaints, row["resolved_count"])
    elif groups and "service_median" in groups[0]:
        row["service_median"] = groups[0]["service_median"]
    return {
        "complaint_stats": status_figures(row),
        "categories": category_figures(row),
        "satisfaction": satisfaction_figures(row),
        "service_time": service_time_figures(row, complaints),
        "ward_performance": ward_ranking(ward_groups, ward_limit),
    }


def status_figures(row: dict) -> dict:
    return {
        "total": row["total"],
        "by_status": [
            {"status": value, "code": code, "count": row[f"status_{code}"]}
            for value, code in STATUS_CODES.items()
        ],
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


def median_by_offset(
    complaints: QuerySet, count: int, *, shorter: int = 0, from_hours: int | None = None
) -> timedelta | None:
    """The median of ``count`` resolved complaints' service times, reading only the middle one
    or two in duration order (SQLite; PostgreSQL over all time). With ``from_hours``, reading
    starts at that many hours, ``shorter`` being how many durations lie before it."""
    if not count:
        return None
    resolved = complaints.filter(RESOLVED).annotate(service_time=_service_time())
    if from_hours is not None:
        resolved = resolved.filter(service_time__gte=timedelta(hours=from_hours))
    middle = list(
        resolved.order_by("service_time").values_list("service_time", flat=True)[
            (count - 1) // 2 - shorter : count // 2 + 1 - shorter
        ]
    )
    return sum(middle, timedelta()) / len(middle)


def tallied_median(wards: Wards, complaints: QuerySet, count: int) -> timedelta | None:
    """The median over all time on PostgreSQL. For the whole city the hour tally says which hour
    holds the middle and how many durations come before it, so only that hour's index entries
    are read (a ward admin's few wards are read whole from idx_complaints_ward_status)."""
    if wards is not ALL_WARDS or not count:
        return median_by_offset(complaints, count)
    middle, shorter = (count - 1) // 2, 0
    hours_tally = ServiceTimeTally.objects.values("hours").annotate(count=Sum("complaints"))
    for hour in hours_tally.order_by("hours"):
        if shorter + hour["count"] > middle:
            return median_by_offset(complaints, count, shorter=shorter, from_hours=hour["hours"])
        shorter += hour["count"]
    return median_by_offset(complaints, count)  # a write landed between the two reads


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
    return status_figures(tally(complaint_counts(wards, period, "status")))


def complaint_categories(*, wards: Wards, period: Period | None = None) -> list[dict]:
    """Each category's count and share; shares sum to exactly 100.00 (all 0.00 when none)."""
    return category_figures(tally(complaint_counts(wards, period, "category")))


def citizen_satisfaction(*, wards: Wards, period: Period | None = None) -> dict:
    """Mean rating of the rated complaints, how many were rated, and how many got each star."""
    return satisfaction_figures(tally(complaint_counts(wards, period, "rating")))


def service_time(*, wards: Wards, period: Period | None = None) -> dict:
    """Mean and median hours from filing to resolution of the complaints now resolved."""
    complaints = complaints_in(wards, period)
    if _tallied(period):
        row = resolved_totals(tallied_counts_by(wards, "status"))
        row["service_median"] = tallied_median(wards, complaints, row["resolved_count"])
    else:
        row = complaints.aggregate(**service_time_aggregates(complaints))
    return service_time_figures(row, complaints)


def ward_performance(
    *, wards: Wards, limit: int | None = None, period: Period | None = None
) -> list[dict]:
    """Per ward with complaints: totals, resolution rate and mean service time; best first."""
    return ward_ranking(ward_status_counts(wards, period), limit)


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
