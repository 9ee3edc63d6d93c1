"""The audit trail (super admin): every ActivityLog row, newest first, filtered by who acted,
what they did, the resource and Dhaka days; labels instead of codes and no secrets."""

from django.core.paginator import Paginator
from django.shortcuts import render

from apps.users import admin_selectors
from apps.users.models import ActivityAction

from ..audit_details import action_label, details_lines, people_names, resource_label
from .access import super_admin_required

PAGE_SIZE = 50


@super_admin_required
def audit_trail(request):
    filters = admin_selectors.AuditTrailFilter(
        request.GET, queryset=admin_selectors.activity_log_list(viewer=request.user)
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    people = people_names(page)  # every id the page's details name, in one query
    for row in page:
        row.action_label = action_label(row.action)
        row.readable = details_lines(row.details, resource_type=row.resource_type, people=people)
        row.resource_label = resource_label(row.resource_type)
    others = request.GET.copy()
    others.pop("page", None)
    return render(
        request,
        "console/admin/audit.html",
        {
            "page": page,
            "filters": filters,
            "chosen": request.GET,
            "others": others.urlencode(),
            "action_options": ActivityAction.choices,
        },
    )
