"""Console screens: each parses a form, calls the complaints' or accounts' services, renders."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.authentication.services import (
    auth_change_password,
    auth_staff_sign_in,
    auth_staff_sign_out,
)
from apps.authentication.services.accounts import STAFF_TYPES
from apps.complaints import selectors, services
from apps.complaints.enums import STATUS_CODES, TRANSITIONS, Status
from apps.complaints.policy import can_manage
from apps.users.models import UserType
from apps.users.selectors import users_assignable
from core.exceptions import ApplicationError, NotFound
from core.throttles import login_attempt_wait

from .exports import complaints_csv_rows
from .forms import (
    AssignForm,
    PasswordChangeForm,
    SignInForm,
    StatusForm,
    category_options,
    priority_options,
    status_options,
)

PAGE_SIZE = 25


def staff_required(view):
    """Anonymous → the sign-in page; a signed-in citizen → a refusal page (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("console:login"))
        if request.user.user_type not in STAFF_TYPES:
            return render(request, "console/refused.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def sign_in(request):
    form = SignInForm(request.POST or None)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        wait = login_attempt_wait(request)
        if wait is not None:
            status = 429
            error = _(
                "Too many sign-in attempts. Please wait %(seconds)d seconds and try again."
            ) % {"seconds": max(1, round(wait))}
        else:
            try:
                user = auth_staff_sign_in(**form.cleaned_data, request=request)
            except ApplicationError as exc:
                error = str(exc.message)
            else:
                login(request, user)
                target = request.POST.get("next") or request.GET.get("next")
                if not url_has_allowed_host_and_scheme(
                    target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    target = reverse("console:queue")
                return redirect(target)
    return render(
        request,
        "console/login.html",
        {"form": form, "error": error, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        auth_staff_sign_out(user=request.user, request=request)
    logout(request)
    return redirect("console:login")


@staff_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            auth_change_password(user=request.user, **form.cleaned_data, request=request)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("console:queue")
    return render(request, "console/password.html", {"form": form})


def _queue_complaints(request):
    """The viewer's complaints narrowed by the queue's filters and search (the API's own)."""
    filters = selectors.ComplaintFilter(
        request.GET, queryset=selectors.complaint_list(viewer=request.user)
    )
    return filters, selectors.complaint_search(filters.qs, request.GET.get("search", ""))


@staff_required
def queue(request):
    filters, complaints = _queue_complaints(request)
    search = request.GET.get("search", "").strip()
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
            "search": search,
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
    _filters, complaints = _queue_complaints(request)
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


@require_POST
@staff_required
def complaint_status(request, complaint_id):
    complaint = _visible(request, complaint_id)
    form = StatusForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return _after_write(request, complaint)
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
