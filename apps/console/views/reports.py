"""Reports: ask for one (the API's request check and ``report_request``), follow it while it
renders, and download it under the API's rule (the requester, or a super admin)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from apps.dashboard.models import ReportStatus
from apps.dashboard.reports import selectors, services
from apps.dashboard.reports.services import CONTENT_TYPES
from core.exceptions import ApplicationError, NotFound

from ..board_forms import ReportForm
from .access import section_required
from .common import found_or_404

LISTED = 30
WAITING = (ReportStatus.PENDING, ReportStatus.RUNNING)


@section_required("reports")
def report_list(request):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_request(
                requester=request.user,
                report_type=data["report_type"],
                report_format=data["format"],
                start=data.get("start"),
                request=request,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            return redirect("console:report", report_id=report.pk)
    reports = selectors.reports_requested_by(viewer=request.user)
    return render(
        request,
        "console/reports.html",
        {"form": form, "reports": reports[:LISTED], "waiting": WAITING},
    )


@require_safe
@section_required("reports")
def report_detail(request, report_id):
    report = found_or_404(selectors.report_get, viewer=request.user, report_id=report_id)
    return render(
        request,
        "console/report.html",
        {"report": report, "waiting": report.status in WAITING},
    )


@require_safe
@section_required("reports")
def report_download(request, report_id):
    try:
        report, file = selectors.report_file_open(viewer=request.user, report_id=report_id)
    except NotFound as exc:  # no such report, or its file is gone
        raise Http404 from exc
    except ApplicationError as exc:  # not ready (yet, or ever)
        messages.error(request, str(exc.message))
        return redirect("console:report", report_id=report_id)
    return FileResponse(
        file,
        as_attachment=True,
        filename=services.report_filename(report),
        content_type=CONTENT_TYPES[report.format],
    )
