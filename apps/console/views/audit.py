"""The audit trail (super admin): every ActivityLog row, newest first, filtered by who acted,
what they did, the resource and Dhaka days; labels instead of codes and no secrets."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.users import admin_selectors
from apps.users.models import ActivityAction

from ..audit_details import action_label, details_lines, people_names, resource_label
from .access import section_required
from .common import paged

PAGE_SIZE = 50


@require_safe
@section_required("audit")
def audit_trail(request):
    filters = admin_selectors.AuditTrailFilter(
        request.GET, queryset=admin_selectors.activity_log_list(viewer=request.user)
    )
    listing = paged(request, filters.qs, size=PAGE_SIZE)
    people = people_names(listing["page"])  # every id the page's details name, in one query
    for row in listing["page"]:
        row.action_label = action_label(row.action)
        row.readable = details_lines(row.details, resource_type=row.resource_type, people=people)
        row.resource_label = resource_label(row.resource_type)
    return render(
        request,
        "console/admin/audit.html",
        {
            **listing,
            "filters": filters,
            "chosen": request.GET,
            "action_options": ActivityAction.choices,
        },
    )
