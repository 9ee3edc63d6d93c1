"""The emergency board (live over the staff feed), one emergency's page, taking and moving it."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from apps.emergency import selectors, services
from apps.emergency.enums import STATUS_CODES, EmergencyStatus
from apps.emergency.policy import can_manage, escalation_deadline, manageable, status_moves

from .access import section_required
from .common import assign_from_form, found_or_404, status_from_form

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
    """What the board shows besides the row: codes, the moves, the escalation countdown (the
    emergency policy's rules, read)."""
    emergency.status_code = STATUS_CODES[emergency.status]
    emergency.moves = [
        (STATUS_CODES[value], EmergencyStatus(value).label)
        for value in status_moves(emergency.status)
    ]
    emergency.may_manage = may_manage
    emergency.deadline = escalation_deadline(emergency)
    if emergency.deadline is not None:
        emergency.minutes_left = max(0, int((emergency.deadline - now).total_seconds() // 60))


@require_safe
@section_required("emergencies")
def board(request):
    """Open emergencies newest first, then the latest resolved ones (the API's scope)."""
    open_ones, resolved = selectors.emergency_board(
        viewer=request.user, resolved_shown=RESOLVED_SHOWN
    )
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
    return found_or_404(selectors.emergency_get, viewer=request.user, emergency_id=emergency_id)


@require_safe
@section_required("emergencies")
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
    visible = selectors.emergency_visible(viewer=request.user, emergency_id=emergency.pk)
    if visible and request.POST.get("next") == "detail":
        return redirect("console:emergency", emergency_id=emergency.pk)
    return redirect("console:emergencies")


@require_POST
@section_required("emergencies")
def emergency_assign(request, emergency_id):
    """Take the emergency (``assigned_to`` = oneself) or hand it to a colleague."""
    emergency = _visible(request, emergency_id)
    assign_from_form(
        request,
        lambda assignee_id: services.emergency_assign(
            emergency=emergency, actor=request.user, assignee_id=assignee_id, request=request
        ),
        success=_("The emergency is now being handled."),
        required=_("Choose who takes the emergency."),
    )
    return _back(request, emergency)


@require_POST
@section_required("emergencies")
def emergency_status(request, emergency_id):
    emergency = _visible(request, emergency_id)
    status_from_form(
        request,
        EmergencyStatusForm(request.POST),
        lambda data: services.emergency_change_status(
            emergency=emergency,
            actor=request.user,
            new_status=data["status"],
            comment=data["comment"] or None,
            request=request,
        ),
        label_of=lambda status: EmergencyStatus(status).label,
    )
    return _back(request, emergency)
