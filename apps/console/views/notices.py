"""The notices editor: the notices the viewer manages (the API's staff listing and filters),
publishing, editing and withdrawing through the notice services, whose refusals show on the form."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.notices import selectors, services
from apps.notices.enums import State
from apps.notices.policy import RESOURCE, may_target, state_of, target_check
from apps.users.policy import ALL_WARDS, permitted_wards
from apps.users.selectors import ward_list
from core.exceptions import ApplicationError

from ..board_forms import NoticeForm, notice_initial
from .access import found_or_404, ward_admin_required

PAGE_SIZE = 25


def _ward_choices(viewer, action: str) -> tuple[list[tuple[str, str]], bool]:
    """The wards ``viewer`` may ``action`` notices for, as (number, label) choices, and whether
    they may also address the whole city (the notices policy's rule, read not repeated)."""
    permitted = permitted_wards(viewer, resource=RESOURCE, action=action)
    wards = ward_list()
    if permitted is not ALL_WARDS:
        wards = wards.filter(number__in=permitted)
    bengali = (get_language() or "").startswith("bn")
    choices = [
        (ward.number, f"{ward.number} · {ward.name_bn if bengali else ward.name_en}")
        for ward in wards
    ]
    return choices, may_target(viewer, set(), action=action)


def _ward_numbers(notice) -> list[str]:
    return [row.ward_number for row in notice.wards.all()]


@ward_admin_required
def notice_list(request):
    filters = selectors.NoticeFilter(
        request.GET, queryset=selectors.notice_list(viewer=request.user)
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    may_update = target_check(request.user, action="update")  # the viewer's wards, read once
    for notice in page:
        notice.state = state_of(notice, now=now)
        notice.ward_numbers = _ward_numbers(notice)
        notice.may_change = notice.state != State.WITHDRAWN and may_update(set(notice.ward_numbers))
    others = request.GET.copy()
    others.pop("page", None)
    wards, _city_wide = _ward_choices(request.user, "read")
    return render(
        request,
        "console/notices.html",
        {
            "page": page,
            "filters": filters,
            "chosen": request.GET,
            "others": others.urlencode(),
            "wards": wards,
        },
    )


def _show_refusal(form, exc: ApplicationError) -> None:
    """A service's refusal on the form: beside the field it names, else above the form."""
    shown = False
    for field, errors in (exc.details or {}).items():
        if field in form.fields:
            for error in errors if isinstance(errors, list | tuple) else [errors]:
                form.add_error(field, str(error))
            shown = True
    if not shown:
        form.add_error(None, str(exc.message))


@ward_admin_required
def notice_new(request):
    wards, city_wide = _ward_choices(request.user, "create")
    form = NoticeForm(request.POST or None, request.FILES or None, wards=wards, city_wide=city_wide)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_create(
                actor=request.user, data=form.service_data(editing=False), request=request
            )
        except ApplicationError as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, _("The notice has been published."))
            return redirect("console:notices")
    return render(request, "console/notice_form.html", {"form": form, "notice": None})


def _managed(request, notice_id):
    """The notice if the viewer manages it (the API's selector), else 404."""
    return found_or_404(selectors.notice_get, viewer=request.user, notice_id=notice_id)


@ward_admin_required
def notice_edit(request, notice_id):
    notice = _managed(request, notice_id)
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
            _show_refusal(form, exc)
        else:
            messages.success(request, _("The notice has been saved."))
            return redirect("console:notices")
    return render(
        request,
        "console/notice_form.html",
        {"form": form, "notice": notice, "state": state_of(notice, now=timezone.now())},
    )


@require_POST
@ward_admin_required
def notice_withdraw(request, notice_id):
    notice = _managed(request, notice_id)
    try:
        services.notice_withdraw(notice=notice, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The notice has been withdrawn."))
    return redirect("console:notices")
