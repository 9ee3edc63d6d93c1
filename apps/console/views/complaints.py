"""The complaint screens: the queue (filters, search, CSV, bulk assign) and one complaint's page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.complaints import selectors, services
from apps.complaints.enums import STATUS_CODES, Status
from apps.complaints.policy import can_manage, is_overdue, may_assign, status_moves
from apps.users.selectors import users_assignable
from core.exceptions import ApplicationError
from core.filters import requested_ward

from ..exports import complaints_csv_rows
from ..forms import (
    AssignForm,
    QueueSearchForm,
    StatusForm,
    category_options,
    priority_options,
    status_options,
)
from ..maps import complaint_map
from .access import section_required
from .common import assign_from_form, form_problems, found_or_404, paged, status_from_form


def _queue_complaints(request):
    """The viewer's complaints narrowed by the queue's filters and search (the API's own); a
    search the form refuses (NUL, too long) searches nothing and is shown as a problem."""
    filters = selectors.ComplaintFilter(
        request.GET,
        queryset=selectors.complaint_list(viewer=request.user, ward=requested_ward(request.GET)),
    )
    searched = QueueSearchForm(request.GET)
    return filters, searched, selectors.complaint_search(filters.qs, searched.text())


@require_safe
@section_required("queue")
def queue(request):
    filters, searched, complaints = _queue_complaints(request)
    listing = paged(request, complaints)
    now = timezone.now()
    for complaint in listing["page"]:
        complaint.status_code = STATUS_CODES[complaint.status]
        complaint.overdue = is_overdue(complaint, now=now)
    return render(
        request,
        "console/queue.html",
        {
            **listing,
            "filters": filters,
            "chosen": request.GET,
            "search": searched.text(),
            "search_errors": searched.errors.get("search", []),
            "status_options": status_options(),
            "category_options": category_options(),
            "priority_options": priority_options(),
            "overdue_hours": settings.CONSOLE_OVERDUE_HOURS,
            "can_assign": may_assign(request.user),
            "assignees": users_assignable(),
        },
    )


@require_safe
@section_required("queue")
def queue_export(request):
    """The queue as filtered, every page, as CSV (UTF-8 with a byte-order mark, so spreadsheet
    programs read the Bengali); streamed, so a big ward costs no memory."""
    _filters, searched, complaints = _queue_complaints(request)
    if not searched.is_valid():  # the queue shows why; no export of an unsearched queue
        return redirect(f"{reverse('console:queue')}?{request.GET.urlencode()}")
    rows = complaints_csv_rows(selectors.complaint_export_list(complaints))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.csv"'
    return response


def _visible(request, complaint_id):
    """The complaint if the viewer's scope (the API's selector) holds it, else 404."""
    return found_or_404(selectors.complaint_get, viewer=request.user, complaint_id=complaint_id)


@require_safe
@section_required("queue")
def complaint_detail(request, complaint_id):
    complaint = _visible(request, complaint_id)
    moves = [(STATUS_CODES[value], Status(value).label) for value in status_moves(complaint.status)]
    return render(
        request,
        "console/complaint.html",
        {
            "complaint": complaint,
            "status_code": STATUS_CODES[complaint.status],
            "history": selectors.complaint_history(complaint=complaint),
            "photos": complaint.photos,
            "moves": moves,
            "may_manage": can_manage(request.user, complaint),
            "assignees": users_assignable(),
            "map": complaint_map(complaint),
        },
    )


def _after_write(request, complaint):
    """Back to the complaint, or to the queue when the change took it out of the viewer's view."""
    if selectors.complaint_visible(viewer=request.user, complaint_id=complaint.pk):
        return redirect("console:complaint", complaint_id=complaint.pk)
    return redirect("console:queue")


def status_change_from_form(request, complaint) -> None:
    """Apply the posted StatusForm through complaint_change_status; the outcome is a message."""
    status_from_form(
        request,
        StatusForm(request.POST, request.FILES),
        lambda data: services.complaint_change_status(
            complaint=complaint,
            actor=request.user,
            new_status=data["status"],
            comment=data["comment"] or None,
            photo=data.get("photo"),
            request=request,
        ),
        label_of=lambda status: Status(status).label,
    )


@require_POST
@section_required("queue")
def complaint_status(request, complaint_id):
    complaint = _visible(request, complaint_id)
    status_change_from_form(request, complaint)
    return _after_write(request, complaint)


@require_POST
@section_required("queue")
def complaint_assign(request, complaint_id):
    complaint = _visible(request, complaint_id)
    assigned = assign_from_form(
        request,
        lambda assignee_id: services.complaint_assign(
            complaint=complaint, actor=request.user, assignee_id=assignee_id, request=request
        ),
    )
    return _after_write(request, assigned or complaint)


@require_POST
@section_required("queue")
def bulk_assign(request):
    """Give the ticked complaints to one person (or take them back): ``complaint_assign`` for
    each, so every rule and audit row is the single assignment's; refusals are listed."""
    form = AssignForm(request.POST)
    if not form.is_valid():
        form_problems(request, form)
        return _back_to_queue(request)
    ids = request.POST.getlist("complaint")
    chosen = selectors.complaints_chosen(viewer=request.user, ids=ids)
    done = 0
    for complaint in chosen:
        try:
            services.complaint_assign(
                complaint=complaint,
                actor=request.user,
                assignee_id=form.cleaned_data["assigned_to"],
                request=request,
            )
            done += 1
        except ApplicationError as exc:
            messages.error(request, f"{complaint.tracking_number}: {exc.message}")
    if done:
        messages.success(request, _("%(n)d complaint(s) assigned.") % {"n": done})
    elif not ids:
        messages.error(request, _("Tick the complaints to assign first."))
    return _back_to_queue(request)


def _back_to_queue(request):
    query = request.POST.get("next", "")
    return redirect(reverse("console:queue") + (query if query.startswith("?") else ""))
