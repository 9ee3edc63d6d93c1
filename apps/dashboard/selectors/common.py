"""What every dashboard figure shares: the ward scope, the period, rounding, and Dhaka's month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone

from apps.users.policy import ALL_WARDS, AllWards

Wards = AllWards | set[str] | frozenset[str]

HUNDREDTH = Decimal("0.01")
ZERO = Decimal("0.00")
MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)


@dataclass(frozen=True)
class Period:
    """A stretch of time for the reports: from ``since`` (included) to ``until`` (excluded)."""

    since: datetime
    until: datetime


def round_hundredths(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def money(value: Decimal | None) -> Decimal:
    return round_hundredths(value) if value is not None else ZERO


def mean_hours(total: timedelta | None, count: int) -> Decimal | None:
    """Mean of ``count`` durations summing to ``total``, in hours, exactly (no float on the way)."""
    if not count or total is None:
        return None
    microseconds = Decimal(total // timedelta(microseconds=1))
    return round_hundredths(microseconds / (MICROSECONDS_PER_HOUR * count))


def hours(duration: timedelta | None) -> Decimal | None:
    return mean_hours(duration, 1)


def percent(part: int, whole: int) -> Decimal:
    return round_hundredths(Decimal(part * 100) / whole) if whole else ZERO


def in_wards(queryset: QuerySet, field: str, wards: Wards) -> QuerySet:
    if wards is ALL_WARDS:
        return queryset
    return queryset.filter(**{f"{field}__in": sorted(wards)})


def in_period(queryset: QuerySet, field: str, period: Period | None) -> QuerySet:
    """``queryset`` narrowed to rows whose ``field`` falls in ``period`` (None: no narrowing)."""
    if period is None:
        return queryset
    return queryset.filter(**{f"{field}__gte": period.since, f"{field}__lt": period.until})


def month_start(now: datetime) -> datetime:
    """Midnight of the 1st of ``now``'s month in Dhaka (TIME_ZONE)."""
    return timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
