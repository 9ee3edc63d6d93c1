"""Emergency requests (the seeds' ``emergency_requests``) and their status history."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import PRIORITY_HIGH, EmergencyStatus, EmergencyType


class EmergencyRequest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "users.User",
        on_delete=models.CASCADE,
        related_name="emergency_requests",
        verbose_name=_("citizen"),
        db_index=False,  # indexed below under the seeds' name
    )
    emergency_type = models.CharField(
        _("emergency type"), max_length=50, choices=EmergencyType.choices
    )
    description = models.TextField(_("description"))
    location = models.CharField(_("location"), max_length=255)
    latitude = models.DecimalField(max_digits=10, decimal_places=8, null=True, blank=True)
    longitude = models.DecimalField(max_digits=11, decimal_places=8, null=True, blank=True)
    ward_number = models.CharField(_("ward number"), max_length=10, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=EmergencyStatus.choices,
        default=EmergencyStatus.SUBMITTED,
    )  # fmt: skip
    priority = models.CharField(_("priority"), max_length=20, default=PRIORITY_HIGH)
    assigned_to = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_emergencies",
        verbose_name=_("assigned to"),
        db_column="assigned_to",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        db_table = "emergency_requests"
        verbose_name = _("emergency")
        verbose_name_plural = _("emergencies")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user"], name="idx_emergency_user_id"),
            models.Index(fields=["status"], name="idx_emergency_status"),
            models.Index(fields=["-created_at"], name="idx_emergency_created_at"),
            models.Index(fields=["ward_number", "-created_at"], name="idx_emergency_ward"),
            # The escalation sweep: unassigned, not yet escalated, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(assigned_to__isnull=True, escalated_at__isnull=True),
                name="idx_emergency_unescalated",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(emergency_type__in=EmergencyType.values),
                name="emergency_requests_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EmergencyStatus.values),
                name="emergency_requests_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(priority=PRIORITY_HIGH), name="emergency_requests_priority_high"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="emergency_requests_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="emergency_requests_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_emergency_type_display()} · {self.location}"


class EmergencyUpdate(models.Model):
    """One step of an emergency: a status change or a hand-over, who made it and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    emergency = models.ForeignKey(
        EmergencyRequest, on_delete=models.CASCADE, related_name="updates", db_index=False
    )
    updated_by = models.ForeignKey(
        "users.User", on_delete=models.PROTECT, related_name="emergency_updates"
    )
    old_status = models.CharField(
        max_length=30, choices=EmergencyStatus.choices, null=True, blank=True
    )
    new_status = models.CharField(max_length=30, choices=EmergencyStatus.choices)
    assigned_to = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who holds the emergency after this step."),
    )
    comment = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "emergency_updates"
        verbose_name = _("emergency update")
        verbose_name_plural = _("emergency updates")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["emergency", "created_at"], name="idx_emergency_upd_emergency"),
        ]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"


class EmergencyDispatch(models.Model):
    """A staff member told of an emergency because one of their wards is near it: they may see
    and take it even when it lies in a neighbouring ward outside their rights."""

    emergency = models.ForeignKey(
        EmergencyRequest, on_delete=models.CASCADE, related_name="dispatches", db_index=False
    )
    staff = models.ForeignKey(
        "users.User", on_delete=models.CASCADE, related_name="emergency_dispatches"
    )
    distance_km = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "emergency_dispatches"
        verbose_name = _("emergency dispatch")
        verbose_name_plural = _("emergency dispatches")
        constraints = [
            models.UniqueConstraint(
                fields=["emergency", "staff"], name="emergency_dispatches_once_per_staff"
            )
        ]

    def __str__(self) -> str:
        return f"{self.emergency_id} → {self.staff_id}"
