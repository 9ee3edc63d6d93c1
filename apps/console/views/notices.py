"""The notices editor: the notices the viewer manages (the API's staff listing and filters),
publishing, editing and withdrawing through the notice services, whose refusals show on the form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.notices import selectors, services
from apps.notices.enums import State
from apps.notices.policy import RESOURCE, may_change, may_target, state_of, target_check
from apps.users.selectors import ward_list_permitted
from core.exceptions import ApplicationError

from ..board_forms import NoticeForm, notice_initial
from .access import refused, section_required
from .common import attempt, found_or_404, paged, show_refusal

NOT_YOURS = gettext_lazy(
    "You may not change this notice: it is city-wide or for wards you do not manage."
)


def _ward_choices(viewer, action: str) -> tuple[list[tuple[str, str]], bool]:
    """The wards ``viewer`` may ``action`` notices for, as (number, label) choices, and whether
    they may also address the whole city (the notices policy's rule, read not repeated)."""
    wards = ward_list_permitted(viewer=viewer, resource=RESOURCE, action=action)
    bengali = (get_language() or "").startswith("bn")
    choices = [
        (ward.number, f"{ward.number} · {ward.name_bn if bengali else ward.name_en}")
        for ward in wards
    ]
    return choices, may_target(viewer, set(), action=action)


def _ward_numbers(notice) -> list[str]:
    return [row.ward_number for row in notice.wards.all()]


@require_safe
@section_required("notices")
def notice_list(request):
    filters = selectors.NoticeFilter(
        request.GET, queryset=selectors.notice_list(viewer=request.user)
    )
    listing = paged(request, filters.qs)
    now = timezone.now()
    may_update = target_check(request.user, action="update")  # the viewer's wards, read once
    for notice in listing["page"]:
        notice.state = state_of(notice, now=now)
        notice.ward_numbers = _ward_numbers(notice)
        notice.may_change = notice.state != State.WITHDRAWN and may_update(set(notice.ward_numbers))
    wards, _city_wide = _ward_choices(request.user, "read")
    return render(
        request,
        "console/notices.html",
        {**listing, "filters": filters, "chosen": request.GET, "wards": wards},
    )


@section_required("notices")
def notice_new(request):
    wards, city_wide = _ward_choices(request.user, "create")
    form = NoticeForm(request.POST or None, request.FILES or None, wards=wards, city_wide=city_wide)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_create(
                actor=request.user, data=form.service_data(editing=False), request=request
            )
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The notice has been published."))
            return redirect("console:notices")
    return render(request, "console/notice_form.html", {"form": form, "notice": None})


def _managed(request, notice_id):
    """The notice if the viewer manages it (the API's selector), else 404."""
    return found_or_404(selectors.notice_get, viewer=request.user, notice_id=notice_id)


@section_required("notices")
def notice_edit(request, notice_id):
    notice = _managed(request, notice_id)
    if not may_change(request.user, notice):
        return refused(request, NOT_YOURS)
    wards, city_wide = _ward_choices(request.user, "update")
    initial = notice_initial(notice, _ward_numbers(notice))
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        wards=wards,
        city_wide=city_wide,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(
                notice=notice,
                actor=request.user,
                data=form.service_data(editing=True),
                request=request,
            )
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The notice has been saved."))
            return redirect("console:notices")
    return render(
        request,
        "console/notice_form.html",
        {"form": form, "notice": notice, "state": state_of(notice, now=timezone.now())},
    )


@require_POST
@section_required("notices")
def notice_withdraw(request, notice_id):
    notice = _managed(request, notice_id)
    attempt(
        request,
        lambda: services.notice_withdraw(notice=notice, actor=request.user, request=request),
        success=_("The notice has been withdrawn."),
    )
    return redirect("console:notices")
