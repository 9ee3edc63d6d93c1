"""Report periods in Dhaka time: the day, Monday–Sunday week, month, quarter or year of a date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ..models import ReportType
from ..selectors.common import Period

DHAKA = ZoneInfo("Asia/Dhaka")


def dhaka_today() -> date:
    return timezone.localdate(timezone=DHAKA)


def _month_after(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def report_period(*, report_type: str, start: date | None = None) -> tuple[date, date]:
    """First and last day (both included) of the ``report_type`` period containing ``start``
    (default: today in Dhaka)."""
    day = start or dhaka_today()
    if report_type == ReportType.DAILY:
        return day, day
    if report_type == ReportType.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if report_type == ReportType.MONTHLY:
        first = day.replace(day=1)
        return first, _month_after(first) - timedelta(days=1)
    if report_type == ReportType.QUARTERLY:
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        last = _month_after(_month_after(_month_after(first))) - timedelta(days=1)
        return first, last
    if report_type == ReportType.YEARLY:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(f"unknown report type {report_type!r}")


def period_bounds(first: date, last: date) -> Period:
    """From Dhaka midnight starting ``first`` to Dhaka midnight ending ``last``."""
    return Period(
        since=datetime.combine(first, time.min, tzinfo=DHAKA),
        until=datetime.combine(last + timedelta(days=1), time.min, tzinfo=DHAKA),
    )
