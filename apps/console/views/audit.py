"""The audit trail (super admin): every ActivityLog row, newest first, filtered by who acted,
what they did, the resource and Dhaka days; labels instead of codes and no secrets."""

from django.core.paginator import Paginator
from django.shortcuts import render

from apps.users import admin_selectors
from apps.users.models import ActivityAction

from .access import super_admin_required

PAGE_SIZE = 50
# Detail keys whose values are never shown, whatever a future audit row carries.
SECRET_MARKERS = ("password", "secret", "token", "otp_code", "api_key", "signature")
HIDDEN = "••••••"


def details_readable(details, key: str = ""):
    """The row's details as (key, text) pairs, nested keys joined with dots, secrets hidden."""
    if any(marker in key.lower() for marker in SECRET_MARKERS):
        return [(key, HIDDEN)]
    if isinstance(details, dict):
        pairs = []
        for name, value in details.items():
            pairs.extend(details_readable(value, f"{key}.{name}" if key else str(name)))
        return pairs
    if isinstance(details, list) and any(isinstance(item, dict) for item in details):
        pairs = []
        for index, item in enumerate(details, start=1):
            pairs.extend(details_readable(item, f"{key}.{index}"))
        return pairs
    if isinstance(details, list):
        return [(key, ", ".join(str(item) for item in details) or "—")]
    return [(key, "—" if details is None else str(details))]


@super_admin_required
def audit_trail(request):
    filters = admin_selectors.AuditTrailFilter(
        request.GET, queryset=admin_selectors.activity_log_list(viewer=request.user)
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.readable = details_readable(row.details)
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
