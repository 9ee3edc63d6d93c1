"""The waste screens: each ward's collection schedules (add, edit, remove through the schedule
services, their refusals on the form) and the special collections queue (schedule, collect or
reject with a comment through the same service as the API's PATCH)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.users.selectors import ward_list_permitted
from apps.waste_management import selectors, services
from apps.waste_management.enums import (
    SPECIAL_MOVES,
    PaymentState,
    SpecialStatus,
    WasteType,
    Weekday,
)
from apps.waste_management.policy import RESOURCE, may_act, waste_wards
from core.exceptions import ApplicationError

from ..waste_forms import ScheduleForm, SpecialPlanForm, schedule_initial
from .access import section_required
from .common import attempt, found_or_404, paged, show_refusal


def _ward_choices(viewer, action: str) -> list[tuple[str, str]]:
    """The wards ``viewer`` may ``action`` waste records in, as (number, label) choices."""
    bengali = (get_language() or "").startswith("bn")
    return [
        (ward.number, f"{ward.number} · {ward.name_bn if bengali else ward.name_en}")
        for ward in ward_list_permitted(viewer=viewer, resource=RESOURCE, action=action)
    ]


# ---------------------------------------------------------------------------------------------
# Collection schedules
# ---------------------------------------------------------------------------------------------
@require_safe
@section_required("waste-schedules")
def schedule_list(request):
    filters = selectors.ScheduleFilter(
        request.GET, queryset=selectors.schedules_managed(viewer=request.user)
    )
    listing = paged(request, filters.qs)
    changeable = waste_wards(request.user, action="update")  # once, not a query per row
    removable = waste_wards(request.user, action="delete")
    for schedule in listing["page"]:
        schedule.may_change = schedule.ward_number in changeable
        schedule.may_remove = schedule.ward_number in removable
    context = {
        **listing,
        "filters": filters,
        "chosen": request.GET,
        "wards": _ward_choices(request.user, "read"),
        "may_add": bool(_ward_choices(request.user, "create")),
        "waste_types": WasteType.choices,
        "days": Weekday.choices,
    }
    return render(request, "console/waste_schedules.html", context)


@section_required("waste-schedules")
def schedule_new(request):
    wards = _ward_choices(request.user, "create")
    initial = {"is_active": True, "ward_number": request.GET.get("ward_number")}
    form = ScheduleForm(request.POST or None, initial=initial, wards=wards)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_create(actor=request.user, data=form.cleaned_data, request=request)
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request, _("The schedule has been added; its ward's citizens are told.")
            )
            return redirect("console:waste-schedules")
    return render(request, "console/waste_schedule_form.html", {"form": form, "schedule": None})


def _managed(request, schedule_id):
    """The schedule if it is of a ward the viewer may read (the console's list), else 404."""
    schedule = selectors.schedules_managed(viewer=request.user).filter(pk=schedule_id).first()
    if schedule is None:
        raise Http404
    return schedule


@section_required("waste-schedules")
def schedule_edit(request, schedule_id):
    schedule = _managed(request, schedule_id)
    wards = _ward_choices(request.user, "update")
    form = ScheduleForm(request.POST or None, initial=schedule_initial(schedule), wards=wards)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_update(
                schedule=schedule, actor=request.user, data=form.cleaned_data, request=request
            )
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The schedule has been saved."))
            return redirect("console:waste-schedules")
    return render(request, "console/waste_schedule_form.html", {"form": form, "schedule": schedule})


@require_POST
@section_required("waste-schedules")
def schedule_remove(request, schedule_id):
    schedule = _managed(request, schedule_id)
    attempt(
        request,
        lambda: services.schedule_delete(schedule=schedule, actor=request.user, request=request),
        success=_("The schedule has been removed; its ward's citizens are told."),
    )
    return redirect("console:waste-schedules")


# ---------------------------------------------------------------------------------------------
# Special collections
# ---------------------------------------------------------------------------------------------
@require_safe
@section_required("special-collections")
def special_list(request):
    filters = selectors.SpecialRequestFilter(
        request.GET, queryset=selectors.special_request_list(viewer=request.user)
    )
    context = {
        **paged(request, filters.qs),
        "filters": filters,
        "chosen": request.GET,
        "wards": _ward_choices(request.user, "read"),
        "statuses": SpecialStatus.choices,
        "payment_states": PaymentState.choices,
    }
    return render(request, "console/waste_specials.html", context)


@section_required("special-collections")
def special_detail(request, request_id):
    special = found_or_404(
        selectors.special_request_get, viewer=request.user, request_id=request_id
    )
    may_plan = may_act(request.user, special.ward_number, action="update")
    form = SpecialPlanForm(
        request.POST or None,
        initial={"comment": special.staff_comment, "scheduled_date": special.scheduled_date},
    )
    moves = SPECIAL_MOVES[SpecialStatus(special.status)]
    form.fields["status"].choices = [
        ("", _("Keep the status")),
        *((value, label) for value, label in SpecialStatus.choices if value in moves),
    ]
    if request.method == "POST":
        if not may_plan:
            messages.error(request, str(services.SPECIAL_REFUSAL))
            return redirect("console:special-collection", request_id=special.pk)
        if form.is_valid():
            try:
                services.special_request_update(
                    special=special, actor=request.user, data=form.service_data(), request=request
                )
            except ApplicationError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, _("The special collection has been updated."))
                return redirect("console:special-collection", request_id=special.pk)
    context = {"special": special, "form": form, "may_plan": may_plan and bool(moves)}
    return render(request, "console/waste_special.html", context)
