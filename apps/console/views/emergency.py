"""The emergency board (live over the staff feed), one emergency's page, taking and moving it."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.emergency import selectors, services
from apps.emergency.enums import OPEN_STATUSES, STATUS_CODES, TRANSITIONS, EmergencyStatus
from apps.emergency.policy import can_manage, manageable
from core.exceptions import ApplicationError, NotFound

from ..forms import AssignForm
from .access import staff_required
from .complaints import _form_errors

STATUS_BY_CODE = {code: value for value, code in STATUS_CODES.items()}
RESOLVED_SHOWN = 20


class EmergencyStatusForm(forms.Form):
    """The API's `status` codes and `comment`; which moves are allowed is the service's rule."""

    status = forms.ChoiceField(
        label=gettext_lazy("New status"),
        choices=lambda: [(code, EmergencyStatus(v).label) for v, code in STATUS_CODES.items()],
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=2000, required=False)

    def clean_status(self) -> str:
        return STATUS_BY_CODE[self.cleaned_data["status"]]


def _decorate(emergency, may_manage: bool, now) -> None:
    """What the board shows besides the row: codes, the moves, the escalation countdown."""
    emergency.status_code = STATUS_CODES[emergency.status]
    emergency.moves = [
        (STATUS_CODES[value], EmergencyStatus(value).label)
        for value in EmergencyStatus.values
        if value in TRANSITIONS[emergency.status]
    ]
    emergency.may_manage = may_manage
    emergency.deadline = None
    if (
        emergency.assigned_to_id is None
        and emergency.escalated_at is None
        and emergency.status in OPEN_STATUSES
    ):
        emergency.deadline = emergency.created_at + timedelta(
            seconds=settings.EMERGENCY_ESCALATION_SECONDS
        )
        emergency.minutes_left = max(0, int((emergency.deadline - now).total_seconds() // 60))


@staff_required
def board(request):
    """Open emergencies newest first, then the latest resolved ones (the API's scope)."""
    emergencies = selectors.emergency_list(viewer=request.user)
    open_ones = list(emergencies.filter(status__in=OPEN_STATUSES))
    resolved = list(emergencies.exclude(status__in=OPEN_STATUSES)[:RESOLVED_SHOWN])
    now = timezone.now()
    managed = manageable(request.user, (*open_ones, *resolved))  # one ask for the board
    for emergency in (*open_ones, *resolved):
        _decorate(emergency, emergency.pk in managed, now)
    return render(
        request,
        "console/emergencies.html",
        {"open_ones": open_ones, "resolved": resolved, "resolved_shown": RESOLVED_SHOWN},
    )


def _visible(request, emergency_id):
    try:
        return selectors.emergency_get(viewer=request.user, emergency_id=emergency_id)
    except NotFound as exc:
        raise Http404 from exc


@staff_required
def emergency_detail(request, emergency_id):
    emergency = _visible(request, emergency_id)
    _decorate(emergency, can_manage(request.user, emergency), timezone.now())
    return render(
        request,
        "console/emergency.html",
        {"emergency": emergency, "history": emergency.updates.all()},
    )


def _back(request, emergency):
    """To the page the form was on (board or emergency), or the board once out of view."""
    visible = selectors.emergency_list(viewer=request.user).filter(pk=emergency.pk).exists()
    if visible and request.POST.get("next") == "detail":
        return redirect("console:emergency", emergency_id=emergency.pk)
    return redirect("console:emergencies")


@require_POST
@staff_required
def emergency_assign(request, emergency_id):
    """Take the emergency (``assigned_to`` = oneself) or hand it to a colleague."""
    emergency = _visible(request, emergency_id)
    form = AssignForm(request.POST)
    if not form.is_valid() or form.cleaned_data["assigned_to"] is None:
        if form.is_valid():
            messages.error(request, _("Choose who takes the emergency."))
        _form_errors(request, form)
        return _back(request, emergency)
    try:
        services.emergency_assign(
            emergency=emergency,
            actor=request.user,
            assignee_id=form.cleaned_data["assigned_to"],
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The emergency is now being handled."))
    return _back(request, emergency)


@require_POST
@staff_required
def emergency_status(request, emergency_id):
    emergency = _visible(request, emergency_id)
    form = EmergencyStatusForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, emergency)
    try:
        services.emergency_change_status(
            emergency=emergency,
            actor=request.user,
            new_status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"] or None,
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Status changed to “%(status)s”.")
            % {"status": EmergencyStatus(form.cleaned_data["status"]).label},
        )
    return _back(request, emergency)
