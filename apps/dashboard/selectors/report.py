"""A report's figures: the dashboard's figures narrowed to one period (uncached: asked once)."""

from __future__ import annotations

from .accounts import user_stats
from .common import Period, Wards
from .complaints import (
    category_aggregates,
    category_figures,
    complaints_in,
    satisfaction_aggregates,
    satisfaction_figures,
    service_time_aggregates,
    service_time_figures,
    status_aggregates,
    status_figures,
    ward_performance,
)
from .money import financial_overview

REPORT_WARD_LIMIT = 15


def report_figures(*, wards: Wards, payment_wards: Wards, period: Period) -> dict:
    """Everything a report prints for ``period``: complaints filed in it (one pass for status,
    category, satisfaction and service time; then the ward ranking), the accounts created in it,
    and the money that moved in it (over ``payment_wards``, the payments permission's wards)."""
    complaints = complaints_in(wards, period)
    row = complaints.aggregate(
        **status_aggregates(),
        **category_aggregates(),
        **satisfaction_aggregates(),
        **service_time_aggregates(complaints),
    )
    return {
        "complaint_stats": status_figures(row),
        "categories": category_figures(row),
        "satisfaction": satisfaction_figures(row),
        "service_time": service_time_figures(row, complaints),
        "ward_performance": ward_performance(wards=wards, limit=REPORT_WARD_LIMIT, period=period),
        "user_stats": user_stats(wards=wards, period=period),
        "financial": financial_overview(wards=payment_wards, period=period),
    }
