"""Transfer stations (STS): each station the viewer may read (the API's selector) with its fill
level, last reading and 7-day trend drawn on the server (inline SVG, no script), and a form to
record a reading through the same service as the API, for staff who may update its ward."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from apps.waste_management import station_selectors as selectors
from apps.waste_management import station_services as services
from apps.waste_management.enums import STATION_FULL_PERCENT, STATION_WARNING_PERCENT

from .access import section_required
from .common import found_or_404, paged, posted

TREND_HEIGHT = 40  # viewBox units of a trend's tallest bar (100 % of the capacity)
TREND_BAR = 12
TREND_GAP = 4


class ReadingForm(forms.Form):
    load_tons = forms.DecimalField(
        label=gettext_lazy("Load (tons)"), max_digits=8, decimal_places=2
    )
    at = forms.DateTimeField(
        label=gettext_lazy("Weighed at"),
        required=False,
        help_text=gettext_lazy("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


def _level(percent: Decimal | None) -> str:
    """The bar's colour class: ok, warning (80 %) or full (100 %)."""
    if percent is None or percent < STATION_WARNING_PERCENT:
        return "ok"
    return "full" if percent >= STATION_FULL_PERCENT else "warning"


def _trend_chart(trend: list[dict]) -> dict:
    """One small bar per day, as tall as the day's share of the capacity (capped at 100 %)."""
    bars = []
    for index, point in enumerate(trend):
        percent = point["utilization_percent"]
        share = min(float(percent or 0), 100.0) / 100
        height = round(share * TREND_HEIGHT, 1)
        bars.append(
            {
                **point,
                "x": index * (TREND_BAR + TREND_GAP),
                "y": round(TREND_HEIGHT - height, 1),
                "height": height,
                "level": _level(percent),
            }
        )
    return {"bars": bars, "width": len(trend) * (TREND_BAR + TREND_GAP), "height": TREND_HEIGHT}


@require_safe
@section_required("stations")
def station_list(request):
    listing = paged(request, selectors.station_list(viewer=request.user))
    stations = list(listing["page"].object_list)
    trends = selectors.station_trends(stations)
    weighable = selectors.station_wards(request.user, action="update")  # once, not per row
    for station in stations:
        station.percent = selectors.utilization_percent(
            station.current_load_tons, station.capacity_tons
        )
        station.fill_width = min(float(station.percent or 0), 100.0)
        station.level = _level(station.percent)
        station.trend = _trend_chart(trends[station.pk])
        station.may_weigh = station.ward_number in weighable
    return render(
        request,
        "console/stations.html",
        {**listing, "stations": stations, "form": ReadingForm()},
    )


@require_POST
@section_required("stations")
def station_reading(request, station_id):
    station = found_or_404(selectors.station_get, viewer=request.user, station_id=station_id)
    posted(
        request,
        ReadingForm(request.POST),
        lambda data: services.station_reading_record(
            station=station,
            load_tons=data["load_tons"],
            at=data.get("at"),
            actor=request.user,
            request=request,
        ),
        success=_("The reading of %(station)s has been recorded.") % {"station": station.name},
    )
    return redirect("console:stations")
