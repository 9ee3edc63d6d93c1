"""Writes of the reports: a staff member's request, and the rendering the Celery task runs."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.users.models import ActivityAction, User
from apps.users.policy import ALL_WARDS, permitted_wards
from apps.users.services import activity_record
from core.exceptions import ErrorCode, PermissionDenied

from ..models import Report, ReportFormat, ReportStatus
from ..selectors.common import Wards
from ..selectors.report import report_figures
from .pdf import report_pdf
from .periods import period_bounds, report_period
from .tables import report_sections
from .xlsx import report_xlsx

logger = logging.getLogger(__name__)
# A report still "running" this long after it was asked for lost its worker: render it again.
RUNNING_STALE_AFTER = timedelta(minutes=30)

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.EXCEL: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {ReportFormat.PDF: "pdf", ReportFormat.EXCEL: "xlsx"}
REASON_LENGTH = 500


def _scope(wards: Wards) -> list[str] | None:
    """A ward set as stored on the report: null for the whole city, else the sorted numbers."""
    if wards is ALL_WARDS:
        return None
    return sorted(wards, key=lambda ward: (len(ward), ward))


def _wards(scope: list[str] | None) -> Wards:
    return ALL_WARDS if scope is None else frozenset(scope)


@transaction.atomic
def report_request(
    *,
    requester: User,
    report_type: str,
    report_format: str,
    start: date | None = None,
    request=None,
) -> Report:
    """Record the request with the requester's wards as they are now; render it after commit.
    Only super admins and ward admins who may read complaints somewhere may ask."""
    wards = permitted_wards(requester, resource="complaints", action="read")
    if not wards:
        raise PermissionDenied(
            _("Reports need permission to read complaints in at least one ward."),
            code=ErrorCode.NO_REPORT_SCOPE,
        )
    payment_wards = permitted_wards(requester, resource="payments", action="read")
    emergency_wards = permitted_wards(requester, resource="emergency", action="read")
    first, last = report_period(report_type=report_type, start=start)
    report = Report.objects.create(
        requested_by=requester,
        report_type=report_type,
        format=report_format,
        period_start=first,
        period_end=last,
        scope=_scope(wards),
        payments_scope=_scope(payment_wards),
        emergency_scope=_scope(emergency_wards),
    )
    activity_record(
        action=ActivityAction.REPORT_REQUESTED,
        actor=requester,
        request=request,
        resource=report,
        details={
            "report_type": report_type,
            "format": report_format,
            "period_start": first.isoformat(),
            "period_end": last.isoformat(),
        },
    )
    report_id = str(report.pk)
    transaction.on_commit(lambda: _enqueue(report_id))
    return report


def _enqueue(report_id: str) -> None:
    from ..tasks import report_generate

    report_generate.delay(report_id=report_id)


def report_content(report: Report) -> bytes:
    """Render ``report`` in its format from the figures of its period and wards."""
    figures = report_figures(
        wards=_wards(report.scope),
        payment_wards=_wards(report.payments_scope),
        emergency_wards=_wards(report.emergency_scope),
        period=period_bounds(report.period_start, report.period_end),
    )
    sections = report_sections(figures)
    render = report_pdf if report.format == ReportFormat.PDF else report_xlsx
    return render(report, figures, sections, generated=timezone.now())


def report_filename(report: Report) -> str:
    return (
        f"report-{report.report_type}-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}"
        f".{EXTENSIONS[report.format]}"
    )


def report_generate(*, report_id: str) -> Report | None:
    """Render and store the report once. Done or failed reports are left as they are (a retried
    task does nothing); a rendering or storage error marks the report failed with the reason."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status in (ReportStatus.COMPLETED, ReportStatus.FAILED):
            return report
        if (
            report.status == ReportStatus.RUNNING
            and report.created_at > timezone.now() - RUNNING_STALE_AFTER
        ):
            return report  # a redelivered task: another worker is rendering it
        report.status = ReportStatus.RUNNING
        report.save(update_fields=["status"])
    try:
        content = report_content(report)
        name = Report.file.field.storage.save(
            f"reports/{report.pk}/{report_filename(report)}", ContentFile(content)
        )
    except Exception as exc:  # any failure of rendering or storage: recorded, never raised
        logger.exception("report %s failed", report.pk)
        # The message may name files or internals: it goes to the log, the reader gets the kind.
        reason = f"could not be rendered ({type(exc).__name__}); the server log has the details"
        return _report_fail(report, reason=reason[:REASON_LENGTH])
    report.file.name = name
    report.status = ReportStatus.COMPLETED
    report.completed_at = timezone.now()
    report.save(update_fields=["file", "status", "completed_at"])
    return report


def _report_fail(report: Report, *, reason: str) -> Report:
    report.status = ReportStatus.FAILED
    report.failure_reason = reason
    report.completed_at = timezone.now()
    report.save(update_fields=["status", "failure_reason", "completed_at"])
    return report
