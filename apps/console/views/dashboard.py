"""The dashboard: the viewer's scope figures (the API's cached ``dashboard_figure``) as bar
charts drawn on the server (inline SVG, no script) with the same numbers in tables."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.complaints.enums import Category, Status
from apps.dashboard.selectors import dashboard_figure, figure_has_scope
from apps.emergency.enums import EmergencyType
from apps.payments.models import PaymentMethod
from apps.payments.selectors import payment_service_name

from .access import section_required

ROW_HEIGHT = 40  # viewBox units per bar: a label line above a bar
CHART_WIDTH = 320


def bar_chart(rows: list[tuple[str, Decimal | int | None]], *, key: str) -> dict:
    """Geometry of a horizontal bar chart: each row's label above a bar as long as its share of
    the largest value (an empty figure draws no bars)."""
    largest = max((value or 0 for _label, value in rows), default=0)
    bars = []
    for index, (label, value) in enumerate(rows):
        share = float(value or 0) / float(largest) if largest else 0.0
        bars.append(
            {
                "label": label,
                "value": "—" if value is None else value,
                "width": round(share * (CHART_WIDTH - 60), 1),
                "text_y": index * ROW_HEIGHT + 14,
                "bar_y": index * ROW_HEIGHT + 20,
            }
        )
    return {
        "key": key,
        "bars": bars,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "width": CHART_WIDTH,
    }


def _complaint_charts(kpi: dict) -> dict:
    wards = kpi["ward_performance"]
    return {
        "status": bar_chart(
            [
                (Status(row["status"]).label, row["count"])
                for row in kpi["complaint_stats"]["by_status"]
            ],
            key="status",
        ),
        "category": bar_chart(
            [(Category(row["category"]).label, row["count"]) for row in kpi["categories"]],
            key="category",
        ),
        "wards": bar_chart(
            [
                (_("Ward %(number)s") % {"number": w["ward_number"]}, w["resolution_rate"])
                for w in wards
            ],
            key="wards",
        ),
        "satisfaction": bar_chart(
            [
                (_("%(n)d stars") % {"n": row["rating"]}, row["count"])
                for row in kpi["satisfaction"]["distribution"]
            ],
            key="satisfaction",
        ),
    }


def _emergency_chart(stats: dict) -> dict:
    return bar_chart(
        [(EmergencyType(row["emergency_type"]).label, row["count"]) for row in stats["by_type"]],
        key="emergency",
    )


def _money_charts(money: dict) -> dict:
    return {
        "method": bar_chart(
            [
                (PaymentMethod(row["payment_method"]).label, row["amount"])
                for row in money["revenue_by_method"]
            ],
            key="method",
        ),
        "service": bar_chart(
            [
                (str(payment_service_name(row["service_type"])), row["amount"])
                for row in money["revenue_by_service_type"]
            ],
            key="service",
        ),
    }


@require_safe
@section_required("dashboard")
def dashboard(request):
    viewer = request.user
    kpi = dashboard_figure(viewer=viewer, figure="kpi")
    context = {
        "kpi": kpi,
        "charts": _complaint_charts(kpi),
        "emergency": None,
        "money": None,
    }
    if figure_has_scope(viewer=viewer, figure="emergency_stats"):
        context["emergency"] = kpi["emergency_stats"]
        context["emergency_chart"] = _emergency_chart(kpi["emergency_stats"])
    if figure_has_scope(viewer=viewer, figure="financial"):
        money = dashboard_figure(viewer=viewer, figure="financial")
        context["money"] = money
        context["money_charts"] = _money_charts(money)
    if figure_has_scope(viewer=viewer, figure="sts_overview"):
        stations = dashboard_figure(viewer=viewer, figure="sts_overview")
        context["stations_chart"] = bar_chart(
            [(row["name"], row["utilization_percent"]) for row in stations], key="stations"
        )
    return render(request, "console/dashboard.html", context)
