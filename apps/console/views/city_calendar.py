"""The calendar editor: a month of the city calendar with each event's participant count (the
API's listing and month filter), adding, editing and removing events through the calendar
services, whose refusals show on the form."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.city_calendar import selectors, services
from apps.city_calendar.enums import CITY_TZ, EventType
from apps.city_calendar.policy import RESOURCE, manage_check, may_manage
from apps.users.selectors import ward_list_permitted
from core.exceptions import ApplicationError

from ..calendar_forms import EventForm, event_initial
from .access import refused, section_required
from .common import attempt, found_or_404, show_refusal

NOT_YOURS = gettext_lazy(
    "You may not change this event: it is city-wide or for a ward you do not manage."
)


def _ward_choices(viewer, action: str) -> tuple[list[tuple[str, str]], bool]:
    """The wards ``viewer`` may ``action`` events for, as (number, label) choices, and whether
    they may also act for the whole city (the calendar policy's rule, read not repeated)."""
    wards = ward_list_permitted(viewer=viewer, resource=RESOURCE, action=action)
    bengali = (get_language() or "").startswith("bn")
    choices = [
        (ward.number, f"{ward.number} · {ward.name_bn if bengali else ward.name_en}")
        for ward in wards
    ]
    return choices, may_manage(viewer, None, action=action)


def _month_of(request) -> date:
    """The first day of the month asked for (``?month=YYYY-MM``), else of this month in Dhaka."""
    asked = request.GET.get("month", "")
    bounds = selectors.month_bounds(asked) if asked else None
    if asked and bounds is None:
        messages.error(request, _("Give the month as YYYY-MM, e.g. 2025-03."))
    if bounds is not None:
        return bounds[0].date()
    return timezone.now().astimezone(CITY_TZ).date().replace(day=1)


@require_safe
@section_required("calendar")
def event_list(request):
    month = _month_of(request)
    wards, _city_wide = _ward_choices(request.user, "read")
    ward = request.GET.get("ward", "")
    if ward and ward not in dict(wards):
        ward = ""
    first, following = selectors.month_bounds(month.strftime("%Y-%m"))
    events = selectors.event_list(viewer=request.user).filter(start__lt=following, end__gte=first)
    if ward:
        events = events.filter(selectors.for_ward(ward))
    events = list(events)
    may_update = manage_check(request.user, action="update")
    may_delete = manage_check(request.user, action="delete")
    for event in events:
        event.may_change = may_update(event.ward_number)
        event.may_delete = may_delete(event.ward_number)
    previous = (month - timedelta(days=1)).replace(day=1)
    following_month = (month + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "console/calendar.html",
        {
            "events": events,
            "month": month,
            "previous": previous.strftime("%Y-%m"),
            "next": following_month.strftime("%Y-%m"),
            "wards": wards,
            "ward": ward,
            "types": dict(EventType.choices),
        },
    )


@section_required("calendar")
def event_new(request):
    wards, city_wide = _ward_choices(request.user, "create")
    form = EventForm(request.POST or None, wards=wards, city_wide=city_wide)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=request.user, data=form.service_data(editing=False), request=request
            )
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The event has been added."))
            return _back_to(event)
    return render(request, "console/calendar_form.html", {"form": form, "event": None})


@section_required("calendar")
def event_edit(request, event_id):
    event = found_or_404(selectors.event_get, viewer=request.user, event_id=event_id)
    if not may_manage(request.user, event.ward_number, action="update"):
        return refused(request, NOT_YOURS)
    wards, city_wide = _ward_choices(request.user, "create")
    if event.ward_number and event.ward_number not in dict(wards):
        # Kept where it is: moving it elsewhere needs the create right there (the service's rule).
        wards = [(event.ward_number, event.ward_number), *wards]
    form = EventForm(
        request.POST or None, initial=event_initial(event), wards=wards, city_wide=city_wide
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                event=event,
                actor=request.user,
                data=form.service_data(editing=True),
                request=request,
            )
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The event has been saved."))
            return _back_to(event)
    return render(request, "console/calendar_form.html", {"form": form, "event": event})


@require_POST
@section_required("calendar")
def event_delete(request, event_id):
    event = found_or_404(selectors.event_get, viewer=request.user, event_id=event_id)
    attempt(
        request,
        lambda: services.event_delete(event=event, actor=request.user, request=request),
        success=_("The event has been removed."),
    )
    return _back_to(event)


def _back_to(event):
    """The month of ``event`` in the editor (where the person was working)."""
    month = event.start.astimezone(CITY_TZ).strftime("%Y-%m")
    response = redirect("console:calendar")
    response["Location"] += f"?month={month}"
    return response
