"""Reads of donations: open projects with what they raised, who sees which donation, the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek, TruncYear
from django.utils import timezone

from apps.users.models import User
from apps.users.policy import ALL_WARDS, permitted_wards
from core.exceptions import NotFound, PermissionDenied

from .models import Donation, DonationProject, DonationStatus

PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}
MAX_PERIODS = 400  # a report answers at most this many periods (a year and a month of days)
ZERO = Decimal("0.00")


def projects_open() -> QuerySet[DonationProject]:
    """Projects taking donations today, with what they raised (completed gifts only)."""
    today = timezone.localdate()
    completed = Q(donations__status=DonationStatus.COMPLETED)
    return (
        DonationProject.objects.filter(is_active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .annotate(
            raised=Sum("donations__amount", filter=completed, default=ZERO),
            donor_count=Count("donations__user", filter=completed, distinct=True),
        )
    )


def _scope(viewer: User) -> Q | None:
    """Donations ``viewer`` may read beyond their own: None when only their own. Money is read
    under the ``payments`` permission, by the donor's ward, like payments."""
    wards = permitted_wards(viewer, resource="payments", action="read")
    if wards is ALL_WARDS:
        return Q()
    return Q(user__ward_number__in=wards) if wards else None


def donations_own(viewer: User) -> QuerySet[Donation]:
    return Donation.objects.filter(user=viewer).select_related("project", "payment")


def donation_get(*, viewer: User, donation_id) -> Donation:
    """The donor's own donation, or one a staff member may read; 404 otherwise."""
    scope = _scope(viewer)
    donations = Donation.objects.select_related("project", "payment", "user")
    if scope is None:
        donations = donations.filter(user=viewer)
    elif scope:  # an empty Q() means every donation; OR-ing it would drop it
        donations = donations.filter(Q(user=viewer) | scope)
    donation = donations.filter(pk=donation_id).first()
    if donation is None:
        raise NotFound()
    return donation


@dataclass(frozen=True)
class ReportQuery:
    start: date
    end: date
    period: str = "month"
    project: str | None = None  # slug


def _buckets(start: date, end: date, period: str) -> list[date]:
    """Every period start from ``start`` to ``end``, so quiet periods show as zero."""
    if period == "day":
        first, step = start, lambda d: d + timedelta(days=1)
    elif period == "week":
        first, step = start - timedelta(days=start.weekday()), lambda d: d + timedelta(days=7)
    elif period == "month":
        first = start.replace(day=1)

        def step(d):
            return date(d.year + d.month // 12, d.month % 12 + 1, 1)
    else:
        first, step = start.replace(month=1, day=1), lambda d: d.replace(year=d.year + 1)
    buckets, current = [], first
    while current <= end:
        buckets.append(current)
        current = step(current)
    return buckets


def report_periods(query: ReportQuery) -> list[date]:
    return _buckets(query.start, query.end, query.period)


def donation_report(*, viewer: User, query: ReportQuery) -> dict:
    """Completed donations between two Dhaka dates, totalled by project and by period."""
    scope = _scope(viewer)
    if scope is None:
        raise PermissionDenied()
    buckets = report_periods(query)
    zone = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(query.start, time.min), zone)
    until = timezone.make_aware(datetime.combine(query.end + timedelta(days=1), time.min), zone)
    donations = Donation.objects.filter(
        scope,
        status=DonationStatus.COMPLETED,
        completed_at__gte=since,
        completed_at__lt=until,
    )
    if query.project:
        donations = donations.filter(project__slug=query.project)
    truncate = PERIODS[query.period]
    rows = list(
        donations.annotate(bucket=truncate("completed_at", tzinfo=zone))
        .values("bucket", "project_id")
        .annotate(amount=Sum("amount"), count=Count("id"))
        .order_by("bucket")
    )
    totals = donations.aggregate(
        amount=Sum("amount", default=ZERO),
        count=Count("id"),
        donors=Count("user", distinct=True),
    )
    by_project = {
        row["project_id"]: row
        for row in donations.values("project_id").annotate(
            amount=Sum("amount"), count=Count("id"), donors=Count("user", distinct=True)
        )
    }
    projects = DonationProject.objects.filter(
        Q(pk__in=by_project.keys())
        | (Q(is_active=True) & (Q(slug=query.project) if query.project else Q()))
    ).order_by("sort_order", "name_en")
    slugs = {project.pk: project.slug for project in projects}
    per_period: dict[date, dict] = {day: {"amount": ZERO, "count": 0} for day in buckets}
    cells = []
    for row in rows:
        day = timezone.localtime(row["bucket"], zone).date()
        bucket = per_period.setdefault(day, {"amount": ZERO, "count": 0})
        bucket["amount"] += row["amount"]
        bucket["count"] += row["count"]
        cells.append(
            {
                "period": day,
                "project": slugs.get(row["project_id"]),
                "amount": row["amount"],
                "count": row["count"],
            }
        )
    return {
        "date_from": query.start,
        "date_to": query.end,
        "period": query.period,
        "total": totals,
        "projects": [
            {
                "project": project.slug,
                "name_bn": project.name_bn,
                "name_en": project.name_en,
                "amount": by_project.get(project.pk, {}).get("amount", ZERO),
                "count": by_project.get(project.pk, {}).get("count", 0),
                "donors": by_project.get(project.pk, {}).get("donors", 0),
            }
            for project in projects
        ],
        "periods": [{"period": day, **values} for day, values in sorted(per_period.items())],
        "rows": cells,
    }
