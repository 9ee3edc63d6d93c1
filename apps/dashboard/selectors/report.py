"""A report's figures: the dashboard's figures narrowed to one period (uncached: asked once)."""

from __future__ import annotations

from .accounts import user_stats
from .common import Period, Wards
from .complaints import complaint_overview
from .emergencies import emergency_stats
from .money import financial_overview
from .stations import sts_period

REPORT_WARD_LIMIT = 15


def report_figures(
    *, wards: Wards, payment_wards: Wards, emergency_wards: Wards, period: Period
) -> dict:
    """Everything a report prints for ``period``: complaints filed in it (status, category,
    satisfaction, service time and the ward ranking from two grouped reads), the accounts
    created in it, the money that moved in it (over ``payment_wards``, the payments
    permission's wards), the emergencies raised in it (over ``emergency_wards``) and the load of
    the transfer stations of ``wards`` in it."""
    overview = complaint_overview(wards=wards, period=period, ward_limit=REPORT_WARD_LIMIT)
    return {
        **overview,
        "user_stats": user_stats(wards=wards, period=period),
        "financial": financial_overview(wards=payment_wards, period=period),
        "emergencies": emergency_stats(wards=emergency_wards, period=period),
        "stations": sts_period(wards=wards, period=period),
    }
