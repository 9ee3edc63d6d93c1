"""Staff accounts (super admin): list, create, switch on or off, and each account's permission
matrix, all through the admin-users API's selectors and services."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.users import admin_selectors, admin_services
from apps.users.admin_services import PERMISSION_FLAGS
from apps.users.policy import PERMISSION_FLAG_LABELS, PERMISSION_TYPE_LABELS, PERMISSION_TYPES
from core.exceptions import ApplicationError

from ..super_admin_forms import (
    StaffActiveForm,
    StaffCreateForm,
    StaffEditForm,
    permission_rows,
    staff_type_options,
)
from .access import section_required
from .common import attempt, form_problems, found_or_404, paged, posted


@section_required("staff")
def staff_list(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            form_problems(request, form)
        else:
            try:
                account = admin_services.staff_account_create(
                    actor=request.user, request=request, **form.cleaned_data
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request, _("Account created for %(name)s.") % {"name": account.name}
                )
                return redirect("console:staff-account", user_id=account.pk)
    filters = admin_selectors.StaffAccountFilter(
        request.GET, queryset=admin_selectors.staff_account_list(viewer=request.user)
    )
    return render(
        request,
        "console/admin/staff_list.html",
        {
            **paged(request, filters.qs),
            "filters": filters,
            "chosen": request.GET,
            "type_options": staff_type_options(),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _account(request, user_id):
    return found_or_404(admin_selectors.staff_account_get, viewer=request.user, user_id=user_id)


@require_safe
@section_required("staff")
def staff_account(request, user_id):
    account = _account(request, user_id)
    held = {row.permission_type: row for row in account.admin_permissions.all()}
    matrix = [
        {
            "permission_type": permission_type,
            "label": PERMISSION_TYPE_LABELS[permission_type],
            "row": held.get(permission_type),
            "flags": [
                (
                    flag,
                    PERMISSION_FLAG_LABELS[flag],
                    getattr(held[permission_type], flag) if permission_type in held else False,
                )
                for flag in PERMISSION_FLAGS
            ],
        }
        for permission_type in PERMISSION_TYPES
    ]
    return render(
        request,
        "console/admin/staff_account.html",
        {
            "account": account,
            "matrix": matrix,
            "flag_labels": PERMISSION_FLAG_LABELS.values(),
            "type_options": staff_type_options(),
        },
    )


@require_POST
@section_required("staff")
def staff_permissions(request, user_id):
    account = _account(request, user_id)
    attempt(
        request,
        lambda: admin_services.admin_permissions_replace(
            actor=request.user,
            account=account,
            permissions=permission_rows(request.POST),
            request=request,
        ),
        success=_("Permissions saved."),
    )
    return redirect("console:staff-account", user_id=account.pk)


@require_POST
@section_required("staff")
def staff_active(request, user_id):
    account = _account(request, user_id)
    form = StaffActiveForm(request.POST)
    if not form.is_valid():
        form_problems(request, form)
        return redirect("console:staff-account", user_id=account.pk)
    try:
        if form.cleaned_data["is_active"]:
            admin_services.staff_account_update(
                actor=request.user, account=account, data={"is_active": True}, request=request
            )
            messages.success(request, _("The account is active again."))
        else:
            admin_services.staff_account_deactivate(
                actor=request.user, account=account, request=request
            )
            messages.success(request, _("The account is deactivated; its sessions have ended."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("console:staff-account", user_id=account.pk)


@require_POST
@section_required("staff")
def staff_edit(request, user_id):
    account = _account(request, user_id)
    posted(
        request,
        StaffEditForm(request.POST),
        lambda data: admin_services.staff_account_update(
            actor=request.user, account=account, data=data, request=request
        ),
        success=_("The account is saved."),
    )
    return redirect("console:staff-account", user_id=account.pk)
