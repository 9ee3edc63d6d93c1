"""The work list: complaints assigned to the signed-in staff member (a service provider's day),
open first and oldest first, each with the moves they may make: start work, resolve with a
photo of the fixed spot (complaint_change_status requires it of a service provider)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from apps.complaints import selectors
from apps.complaints.enums import STATUS_CODES, Status
from apps.complaints.policy import status_moves

from ..maps import complaints_map
from .access import section_required
from .common import paged
from .complaints import _visible, status_change_from_form


@require_safe
@section_required("work")
def work_list(request):
    listing = paged(request, selectors.complaint_work_list(viewer=request.user))
    page = listing["page"]
    for complaint in page:
        complaint.status_code = STATUS_CODES[complaint.status]
        moves = status_moves(complaint.status)
        # Reopening a resolved job is a decision for the complaint's page, not a list button.
        complaint.may_start = complaint.status == Status.SUBMITTED and Status.IN_PROGRESS in moves
        complaint.may_resolve = Status.RESOLVED in moves
    return render(
        request, "console/work.html", {**listing, "map": complaints_map(page.object_list)}
    )


@require_POST
@section_required("work")
def work_status(request, complaint_id):
    """Start or resolve from the work list; back to the list, the outcome as a message."""
    status_change_from_form(request, _visible(request, complaint_id))
    return redirect("console:work")
