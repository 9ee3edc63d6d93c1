"""What the public pages may show: a complaint's public status and a ward's scorecard.

Both answers are plain dicts built here, so a template never holds a Complaint or a User and
cannot print a name, a phone, a comment or the complaint's own words by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.complaints.enums import STATUS_CODES, Category, Status
from apps.complaints.selectors import complaint_by_tracking_number
from apps.dashboard.cache import dashboard_cached
from apps.dashboard.selectors import citizen_satisfaction, complaint_stats, service_time
from apps.dashboard.selectors.common import Period, month_start, percent, round_hundredths
from apps.users.models import Ward
from apps.users.selectors import ward_list
from core.exceptions import NotFound

HOURS_PER_DAY = Decimal(24)


@dataclass(frozen=True)
class TimelineStep:
    status_code: str
    status_label: str
    at: datetime


def ward_public(number: str | None) -> Ward | None:
    """The ward numbered ``number`` (the city's first, should two corporations share one)."""
    if not number:
        return None
    return ward_list().filter(number=number).first()


def tracking_status(*, tracking_number: str) -> dict | None:
    """The public facts of the complaint with this tracking number, or None if there is none:
    status, category, ward, dates and the timeline of status changes (when, never who or why)."""
    try:
        complaint = complaint_by_tracking_number(tracking_number)
    except NotFound:
        return None
    timeline = [
        TimelineStep(STATUS_CODES[Status.SUBMITTED], Status.SUBMITTED.label, complaint.created_at)
    ]
    timeline += [
        TimelineStep(STATUS_CODES[row.new_status], Status(row.new_status).label, row.created_at)
        for row in complaint.updates.all()
    ]
    return {
        "tracking_number": complaint.tracking_number,
        "status_code": STATUS_CODES[complaint.status],
        "status_label": Status(complaint.status).label,
        "category_label": Category(complaint.category).label,
        "ward": ward_public(complaint.ward_number),
        "ward_number": complaint.ward_number,
        "created_at": complaint.created_at,
        "updated_at": complaint.updated_at,
        "resolved_at": complaint.resolved_at,
        "timeline": timeline,
        "proof_photo_url": _proof_photo_url(complaint),
    }


def _proof_photo_url(complaint) -> str | None:
    """Once resolved: the photo of the fixed spot the resolving step carried, if it had one
    (re-encoded without metadata when it was uploaded)."""
    if complaint.status != Status.RESOLVED:
        return None
    steps = [row for row in complaint.updates.all() if row.new_status == Status.RESOLVED]
    proof = steps[-1].photo if steps else None
    return proof.url if proof else None


def _month(now: datetime) -> Period:
    since = month_start(now)
    return Period(since=since, until=month_start(since + timedelta(days=32)))


def ward_scorecard_figures(*, number: str, now: datetime) -> dict:
    """The scorecard's four figures for ward ``number``, counted by the dashboard's selectors:
    complaints filed this (Dhaka) month, and over every complaint the ward has had the share
    resolved, the median days from filing to resolution and the mean rating."""
    wards = {number}
    stats = complaint_stats(wards=wards)
    resolved = next(row["count"] for row in stats["by_status"] if row["status"] == Status.RESOLVED)
    median_hours = service_time(wards=wards)["median_hours"]
    satisfaction = citizen_satisfaction(wards=wards)
    return {
        "filed_this_month": complaint_stats(wards=wards, period=_month(now))["total"],
        "total": stats["total"],
        "resolved_share": percent(resolved, stats["total"]) if stats["total"] else None,
        "median_days": (
            round_hundredths(median_hours / HOURS_PER_DAY) if median_hours is not None else None
        ),
        "average_rating": satisfaction["average_rating"],
        "rated_count": satisfaction["rated_count"],
    }


def ward_scorecard(*, number: str, now: datetime | None = None) -> dict | None:
    """Ward ``number``'s public scorecard (None for a ward the city does not have), from the
    dashboard's cache: any complaint write retires it (core.figures.dashboard_touch), and the
    month is part of the key so a new month starts a new count."""
    ward = ward_public(number)
    if ward is None:
        return None
    now = now or timezone.now()
    figures = dashboard_cached(
        figure="ward_scorecard",
        scope=f"ward:{ward.number}:{timezone.localtime(now):%Y-%m}",
        compute=lambda: ward_scorecard_figures(number=ward.number, now=now),
    )
    return {"ward": ward, "month": timezone.localtime(now), **figures}
