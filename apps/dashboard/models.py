"""Reports a staff member asked for: what period and wards they cover, and the rendered file."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Reports hold figures a ward admin may not share: private storage (migrations name it here).
from core.storage import private_storage


class ReportType(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    EXCEL = "excel", _("Excel (XLSX)")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


def _report_upload_to(instance, filename: str) -> str:
    return f"reports/{instance.pk}/{filename}"


class Report(models.Model):
    """One requested report. ``scope``, ``payments_scope`` and ``emergency_scope`` are the
    requester's wards when they asked (null: the whole city), so a later change of permissions
    does not change the report."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        "users.User",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("requested by"),
    )
    report_type = models.CharField(_("report type"), max_length=20, choices=ReportType.choices)
    format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    period_start = models.DateField(_("period start"), help_text=_("Dhaka date, included."))
    period_end = models.DateField(_("period end"), help_text=_("Dhaka date, included."))
    scope = models.JSONField(
        _("wards"),
        null=True,
        blank=True,
        help_text=_("Ward numbers of the complaint and account figures; none: the whole city."),
    )
    payments_scope = models.JSONField(
        _("payment wards"),
        null=True,
        blank=True,
        help_text=_("Ward numbers of the money figures; none: the whole city."),
    )
    emergency_scope = models.JSONField(
        _("emergency wards"),
        null=True,
        blank=True,
        default=list,  # reports made before emergencies existed cover none
        help_text=_("Ward numbers of the emergency figures; none: the whole city."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    file = models.FileField(
        _("file"),
        upload_to=_report_upload_to,
        storage=private_storage,
        max_length=500,
        null=True,
        blank=True,
    )
    failure_reason = models.TextField(_("failure reason"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        db_table = "reports"
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="idx_reports_requester"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_type__in=ReportType.values), name="reports_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=ReportFormat.values), name="reports_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="reports_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="reports_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_type} {self.format} {self.period_start}–{self.period_end}"


class ComplaintTally(models.Model):
    """Complaints counted per ward × status × category × rating, kept by the database itself.

    A PostgreSQL trigger on ``complaints`` (migration 0003) appends one row per changed group for
    every INSERT, UPDATE or DELETE statement, inside the writing transaction: +1/−1 in
    ``complaints``, ``timed`` (those with a resolution time) and ``service_sum`` (Σ of their
    resolved_at − created_at). A group's figure is the sum of its rows, exact in every snapshot;
    ``complaint_tally_compact`` folds the rows together and ``complaint_tally_reconcile`` recounts
    the complaints (apps/dashboard/services.py). SQLite has no trigger: there the figures read the
    complaints themselves.
    """

    id = models.BigAutoField(primary_key=True)
    ward_number = models.CharField(max_length=10, default="", help_text="'': no ward.")
    status = models.CharField(max_length=30)
    category = models.CharField(max_length=50)
    rating = models.PositiveSmallIntegerField(default=0, help_text="0: not rated.")
    complaints = models.IntegerField()
    timed = models.IntegerField()
    service_sum = models.DurationField()

    class Meta:
        db_table = "dashboard_complaint_tally"
        verbose_name = _("complaint tally")
        verbose_name_plural = _("complaint tallies")

    def __str__(self) -> str:
        return f"{self.ward_number or '-'} {self.status} {self.category} {self.rating}"


class ServiceTimeTally(models.Model):
    """The city's resolved complaints counted per whole hour of service time (resolved_at −
    created_at), kept by the same triggers as ComplaintTally, appended and folded alike. It
    tells which hour holds the middle of the city's service times, so the exact median reads
    only that hour's entries of idx_complaints_service_time instead of half a million."""

    id = models.BigAutoField(primary_key=True)
    hours = models.IntegerField()
    complaints = models.IntegerField()

    class Meta:
        db_table = "dashboard_service_time_tally"
        verbose_name = _("service time tally")
        verbose_name_plural = _("service time tallies")

    def __str__(self) -> str:
        return f"{self.hours} h: {self.complaints}"
