"""The complaint screens: the queue (filters, search, CSV, bulk assign) and one complaint's page."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.complaints import selectors, services
from apps.complaints.enums import STATUS_CODES, TRANSITIONS, Status
from apps.complaints.policy import can_manage
from apps.users.models import UserType
from apps.users.selectors import users_assignable
from core.exceptions import ApplicationError, NotFound

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
from .access import staff_required

PAGE_SIZE = 25


def _queue_complaints(request):
    """The viewer's complaints narrowed by the queue's filters and search (the API's own); a
    search the form refuses (NUL, too long) searches nothing and is shown as a problem."""
    filters = selectors.ComplaintFilter(
        request.GET, queryset=selectors.complaint_list(viewer=request.user)
    )
    searched = QueueSearchForm(request.GET)
    return filters, searched, selectors.complaint_search(filters.qs, searched.text())


@staff_required
def queue(request):
    filters, searched, complaints = _queue_complaints(request)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    overdue_before = timezone.now() - timedelta(hours=settings.CONSOLE_OVERDUE_HOURS)
    for complaint in page:
        complaint.status_code = STATUS_CODES[complaint.status]
        complaint.overdue = (
            complaint.status == Status.SUBMITTED and complaint.created_at < overdue_before
        )
    others = request.GET.copy()
    others.pop("page", None)
    return render(
        request,
        "console/queue.html",
        {
            "page": page,
            "filters": filters,
            "chosen": request.GET,
            "search": searched.text(),
            "search_errors": searched.errors.get("search", []),
            "others": others.urlencode(),
            "status_options": status_options(),
            "category_options": category_options(),
            "priority_options": priority_options(),
            "overdue_hours": settings.CONSOLE_OVERDUE_HOURS,
            "can_assign": request.user.user_type in (UserType.ADMIN, UserType.SUPER_ADMIN),
            "assignees": users_assignable(),
        },
    )


@staff_required
def queue_export(request):
    """The queue as filtered, every page, as CSV (UTF-8 with a byte-order mark, so spreadsheet
    programs read the Bengali); streamed, so a big ward costs no memory."""
    _filters, searched, complaints = _queue_complaints(request)
    if not searched.is_valid():  # the queue shows why; no export of an unsearched queue
        return redirect(f"{reverse('console:queue')}?{request.GET.urlencode()}")
    rows = complaints_csv_rows(complaints.select_related(None).select_related("assigned_to"))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.csv"'
    return response


def _visible(request, complaint_id):
    """The complaint if the viewer's scope (the API's selector) holds it, else 404."""
    try:
        return selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
    except NotFound as exc:
        raise Http404 from exc


@staff_required
def complaint_detail(request, complaint_id):
    complaint = _visible(request, complaint_id)
    moves = [
        (STATUS_CODES[value], Status(value).label)
        for value in Status.values
        if value in TRANSITIONS[complaint.status]
    ]
    return render(
        request,
        "console/complaint.html",
        {
            "complaint": complaint,
            "status_code": STATUS_CODES[complaint.status],
            "history": selectors.complaint_history(complaint=complaint),
            "photos": complaint.images.all(),
            "moves": moves,
            "may_manage": can_manage(request.user, complaint),
            "assignees": users_assignable(),
            "map": complaint_map(complaint),
        },
    )


def _after_write(request, complaint):
    """Back to the complaint, or to the queue when the change took it out of the viewer's view."""
    if selectors.complaint_list(viewer=request.user).filter(pk=complaint.pk).exists():
        return redirect("console:complaint", complaint_id=complaint.pk)
    return redirect("console:queue")


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def status_change_from_form(request, complaint) -> None:
    """Apply the posted StatusForm through complaint_change_status; the outcome is a message."""
    form = StatusForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return
    try:
        services.complaint_change_status(
            complaint=complaint,
            actor=request.user,
            new_status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"] or None,
            photo=form.cleaned_data.get("photo"),
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Status changed to “%(status)s”.")
            % {"status": Status(form.cleaned_data["status"]).label},
        )


@require_POST
@staff_required
def complaint_status(request, complaint_id):
    complaint = _visible(request, complaint_id)
    status_change_from_form(request, complaint)
    return _after_write(request, complaint)


@require_POST
@staff_required
def complaint_assign(request, complaint_id):
    complaint = _visible(request, complaint_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _after_write(request, complaint)
    try:
        complaint = services.complaint_assign(
            complaint=complaint,
            actor=request.user,
            assignee_id=form.cleaned_data["assigned_to"],
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The assignment has been saved."))
    return _after_write(request, complaint)


@require_POST
@staff_required
def bulk_assign(request):
    """Give the ticked complaints to one person (or take them back): ``complaint_assign`` for
    each, so every rule and audit row is the single assignment's; refusals are listed."""
    form = AssignForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to_queue(request)
    ids = [value for value in request.POST.getlist("complaint") if _is_uuid(value)]
    chosen = selectors.complaint_list(viewer=request.user).filter(pk__in=ids)
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


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _back_to_queue(request):
    query = request.POST.get("next", "")
    return redirect(reverse("console:queue") + (query if query.startswith("?") else ""))
