"""Transfer stations (STS) on the dashboard: the waste app's figures, scoped by `waste` rights."""

from __future__ import annotations

from apps.waste_management.station_selectors import station_overview, station_period_figures

from .common import Period, Wards


def sts_overview(*, wards: Wards) -> list[dict]:
    """Every station in service in ``wards`` with its fill level and the last 7 Dhaka days'
    trend (each day's last reading)."""
    return station_overview(wards=wards)


def sts_period(*, wards: Wards, period: Period) -> list[dict]:
    """Each station in ``wards`` over a report's period: readings, peak and closing load."""
    return station_period_figures(wards=wards, since=period.since, until=period.until)
