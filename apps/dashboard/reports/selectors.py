"""Reads of the reports: a report as a viewer may see it (the requester's own, or any for a
super admin); everyone else gets 404, so a report id reveals nothing."""

from __future__ import annotations

from django.core.files import File
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.users.models import User, UserType
from core.exceptions import Conflict, ErrorCode, NotFound

from ..models import Report, ReportStatus


def reports_visible(*, viewer: User) -> QuerySet[Report]:
    reports = Report.objects.select_related("requested_by")
    if viewer.is_authenticated and viewer.is_active and viewer.user_type == UserType.SUPER_ADMIN:
        return reports
    if viewer.is_authenticated and viewer.user_type == UserType.ADMIN:
        return reports.filter(requested_by=viewer)
    return reports.none()


def reports_requested_by(*, viewer: User) -> QuerySet[Report]:
    """The reports the viewer asked for themselves (the console's list), newest first as
    ``reports_visible`` orders them."""
    return reports_visible(viewer=viewer).filter(requested_by=viewer)


def report_get(*, viewer: User, report_id) -> Report:
    report = reports_visible(viewer=viewer).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("No such report."), code=ErrorCode.REPORT_NOT_FOUND)
    return report


def report_file_get(*, viewer: User, report_id) -> Report:
    """The report whose file ``viewer`` may download; 409 while it is not (or never) ready."""
    report = report_get(viewer=viewer, report_id=report_id)
    if report.status != ReportStatus.COMPLETED or not report.file:
        raise Conflict(_("This report has no file yet."), code=ErrorCode.REPORT_NOT_READY)
    return report


def report_file_open(*, viewer: User, report_id) -> tuple[Report, File]:
    """The report and its file opened for reading (report_file_get's rules); a file gone from
    storage (deleted, a lost volume) is the API's 404 ``report_not_found``, not a 500."""
    report = report_file_get(viewer=viewer, report_id=report_id)
    try:
        return report, report.file.open("rb")
    except OSError as exc:  # FileNotFoundError on disk; storages raise OSError subclasses too
        raise NotFound(
            _("This report's file is gone; ask for the report again."),
            code=ErrorCode.REPORT_NOT_FOUND,
        ) from exc
