"""Reads of donations: open projects with what they raised, who sees which donation, the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek, TruncYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.users.models import User
from apps.users.policy import ALL_WARDS, permitted_wards
from core.exceptions import Conflict, ErrorCode, NotFound, PermissionDenied, ValidationFailed

from .models import Donation, DonationProject, DonationStatus
from .receipts import receipt_pdf

PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}
MAX_PERIODS = 400  # a report answers at most this many periods (a year and a month of days)
EARLIEST = date(2000, 1, 1)  # reports start no earlier (the city took no donations before)
ZERO = Decimal("0.00")
NET = F("amount") - F("payment__refunded_amount")  # what the city keeps of a gift


def project_list() -> QuerySet[DonationProject]:
    """Every project, open or closed, with what it raised: completed gifts, less any part
    refunded (a fully refunded gift is no longer completed)."""
    completed = Q(donations__status=DonationStatus.COMPLETED)
    return DonationProject.objects.annotate(
        raised=Sum(
            F("donations__amount") - F("donations__payment__refunded_amount"),
            filter=completed,
            default=ZERO,
        ),
        donor_count=Count("donations__user", filter=completed, distinct=True),
    ).order_by("sort_order", "name_en")  # Meta.ordering does not reach a GROUP BY query


def projects_open() -> QuerySet[DonationProject]:
    """Projects taking donations today, with what they raised."""
    today = timezone.localdate()
    return (
        project_list()
        .filter(is_active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


def project_get(*, project_id) -> DonationProject:
    try:
        return project_list().get(pk=project_id)
    except (DonationProject.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


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


def donation_receipt(*, viewer: User, donation_id) -> tuple[Donation, bytes]:
    """The PDF receipt of a donation ``viewer`` may read; a receipt exists once it completed."""
    donation = donation_get(viewer=viewer, donation_id=donation_id)
    if donation.status != DonationStatus.COMPLETED:
        raise Conflict(
            _("A receipt is issued once the donation is completed."),
            code=ErrorCode.RECEIPT_UNAVAILABLE,
        )
    return donation, receipt_pdf(donation)


@dataclass(frozen=True)
class ReportQuery:
    start: date
    end: date
    period: str = "month"
    project: str | None = None  # slug


def _first_of_period(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())  # weeks start on Monday
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    return day


def _period_count(start: date, end: date, period: str) -> int:
    if period == "day":
        return (end - start).days + 1
    if period == "week":
        return (_first_of_period(end, "week") - _first_of_period(start, "week")).days // 7 + 1
    if period == "month":
        return (end.year - start.year) * 12 + end.month - start.month + 1
    return end.year - start.year + 1


def _next_period(day: date, period: str) -> date:
    if period == "day":
        return day + timedelta(days=1)
    if period == "week":
        return day + timedelta(days=7)
    if period == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


def _periods(query: ReportQuery) -> list[date]:
    """Every period start from ``start`` to ``end``, so quiet periods show as zero."""
    days, current = [], _first_of_period(query.start, query.period)
    while current <= query.end:
        days.append(current)
        current = _next_period(current, query.period)
    return days


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


def report_query(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    period: str = "month",
    project: str | None = None,
) -> ReportQuery:
    """Check a report request; by default the twelve months that end with ``date_to`` (today)."""
    today = timezone.localdate()
    end = date_to or today
    back = end.month - 12  # the 1st of the month eleven months before the last one
    start = date_from or date(end.year + back // 12, back % 12 + 1, 1)
    latest = today + timedelta(days=366)
    for field, day in (("date_from", start), ("date_to", end)):
        if not EARLIEST <= day <= latest:
            raise _invalid(
                field,
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": EARLIEST.isoformat(), "last": latest.isoformat()},
            )
    if start > end:
        raise _invalid("date_from", _("date_from must not be after date_to."))
    if _period_count(start, end, period) > MAX_PERIODS:
        raise _invalid("period", _("Too many periods: choose a longer period or a shorter range."))
    if project and not DonationProject.objects.filter(slug=project).exists():
        raise _invalid("project", _("There is no such project."))
    return ReportQuery(start=start, end=end, period=period, project=project)


def donation_report(*, viewer: User, query: ReportQuery) -> dict:
    """Completed donations between two Dhaka dates, totalled (net of partial refunds) by
    project and by period."""
    scope = _scope(viewer)
    if scope is None:
        raise PermissionDenied()
    buckets = _periods(query)
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
        .annotate(amount=Sum(NET), count=Count("id"))
        .order_by("bucket")
    )
    totals = donations.aggregate(
        amount=Sum(NET, default=ZERO),
        count=Count("id"),
        donors=Count("user", distinct=True),
    )
    by_project = {
        row["project_id"]: row
        for row in donations.values("project_id").annotate(
            amount=Sum(NET), count=Count("id"), donors=Count("user", distinct=True)
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
