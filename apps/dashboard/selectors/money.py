"""Money figures: revenue kept, open payments, refunds and donations, by the payer's ward."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from apps.donations.models import Donation, DonationStatus
from apps.payments.models import Payment, PaymentMethod, PaymentStatus

from .common import ZERO, Period, Wards, in_period, in_wards, money, month_start

COMPLETED = Q(status=PaymentStatus.COMPLETED)
OPEN_PAYMENT = Q(status__in=(PaymentStatus.PENDING, PaymentStatus.PROCESSING))
MONEY = DecimalField(max_digits=14, decimal_places=2)


def financial_overview(
    *, wards: Wards, now: datetime | None = None, period: Period | None = None
) -> dict:
    """Money by the payer's ward (``wards`` from the ``payments`` permission): revenue kept
    (completed payments net of their refunds) in all, this Dhaka month, by method and by service;
    money still open (pending + processing); refunds; donations by project net of refunds.

    With a ``period``, a report's view: revenue, its breakdowns and refunds count the payments
    completed in the period, donations those completed in it, and the open money the payments
    created in it that are still open."""
    payments = in_wards(Payment.objects.order_by(), "user__ward_number", wards)
    if period is not None:
        payments = payments.filter(
            Q(completed_at__gte=period.since, completed_at__lt=period.until)
            | (OPEN_PAYMENT & Q(created_at__gte=period.since, created_at__lt=period.until))
        )
    net = ExpressionWrapper(F("amount") - F("refunded_amount"), output_field=MONEY)
    this_month = COMPLETED & Q(completed_at__gte=month_start(now or timezone.now()))
    by_method = {}
    for method in PaymentMethod.values:
        paid_with = COMPLETED & Q(payment_method=method)
        by_method[f"method_{method}_amount"] = Sum(net, filter=paid_with, output_field=MONEY)
        by_method[f"method_{method}_count"] = Count("pk", filter=paid_with)
    row = payments.aggregate(
        revenue=Sum(net, filter=COMPLETED, output_field=MONEY),
        revenue_count=Count("pk", filter=COMPLETED),
        month=Sum(net, filter=this_month, output_field=MONEY),
        month_count=Count("pk", filter=this_month),
        pending=Sum("amount", filter=OPEN_PAYMENT, output_field=MONEY),
        pending_count=Count("pk", filter=OPEN_PAYMENT),
        refunded=Sum("refunded_amount", output_field=MONEY),
        refunded_count=Count("pk", filter=Q(refunded_amount__gt=0)),
        **by_method,
    )
    by_service = (
        payments.filter(COMPLETED)
        .values("service_type")
        .annotate(amount=Sum(net, output_field=MONEY), count=Count("pk"))
        .order_by("-amount", "service_type")
    )
    donations = (
        in_period(
            in_wards(Donation.objects.order_by(), "user__ward_number", wards),
            "completed_at",
            period,
        )
        .filter(status=DonationStatus.COMPLETED)
        .values("project_id", "project__slug", "project__name_bn", "project__name_en")
        .annotate(
            amount=Sum(
                ExpressionWrapper(F("amount") - F("payment__refunded_amount"), output_field=MONEY)
            ),
            count=Count("pk"),
        )
        .order_by("-amount", "project__slug")
    )
    projects = [
        {
            "project_id": d["project_id"],
            "project": d["project__slug"],
            "name_bn": d["project__name_bn"],
            "name_en": d["project__name_en"],
            "amount": money(d["amount"]),
            "count": d["count"],
        }
        for d in donations
    ]
    return {
        "currency": "BDT",
        "total_revenue": money(row["revenue"]),
        "completed_count": row["revenue_count"],
        "monthly_revenue": money(row["month"]),
        "monthly_count": row["month_count"],
        "revenue_by_method": [
            {
                "payment_method": method,
                "amount": money(row[f"method_{method}_amount"]),
                "count": row[f"method_{method}_count"],
            }
            for method in PaymentMethod.values
        ],
        "revenue_by_service_type": [
            {"service_type": s["service_type"], "amount": money(s["amount"]), "count": s["count"]}
            for s in by_service
        ],
        "pending_amount": money(row["pending"]),
        "pending_count": row["pending_count"],
        "refunded_amount": money(row["refunded"]),
        "refunded_count": row["refunded_count"],
        "donations_total": money(sum((p["amount"] for p in projects), ZERO)),
        "donations_by_project": projects,
    }
