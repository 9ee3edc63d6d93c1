"""Donation projects (admin-managed) and donations (seed 002's table, plus the payment it rides on).

A donation is paid through apps.payments: it is written in the same transaction as its Payment and
follows the payment's final state. Its receipt number is given when it is created and never reused.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.payments.models import PaymentMethod


class DonationProject(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_bn = models.CharField(_("name (Bengali)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_bn = models.TextField(_("description (Bengali)"), blank=True, default="")
    description_en = models.TextField(_("description (English)"), blank=True, default="")
    goal_amount = models.DecimalField(
        _("goal"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    min_amount = models.DecimalField(
        _("smallest donation"), max_digits=10, decimal_places=2, default=10
    )
    is_active = models.BooleanField(_("open for donations"), default=True)
    ends_on = models.DateField(_("open until"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "donation_projects"
        verbose_name = _("donation project")
        verbose_name_plural = _("donation projects")
        ordering = ["sort_order", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__gt=0), name="donation_projects_min_positive"
            ),
            models.CheckConstraint(
                condition=Q(goal_amount__isnull=True) | Q(goal_amount__gt=0),
                name="donation_projects_goal_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug}: {self.name_en}"


class DonationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    REFUNDED = "refunded", _("Refunded")  # beyond seed 002: the money went back


class Donation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "users.User", on_delete=models.CASCADE, related_name="donations", db_index=False
    )
    project = models.ForeignKey(DonationProject, on_delete=models.PROTECT, related_name="donations")
    # Names as they were when the gift was made (seed 002 keeps project_name on the row), so a
    # receipt never changes after it is issued.
    project_name = models.CharField(_("project"), max_length=200)
    project_name_en = models.CharField(_("project (English)"), max_length=200, default="")
    donor_name = models.CharField(_("donor"), max_length=100, default="")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    payment = models.OneToOneField(
        "payments.Payment", on_delete=models.PROTECT, related_name="donation"
    )
    transaction_id = models.CharField(
        _("transaction id"), max_length=100, unique=True, null=True, blank=True
    )
    receipt_number = models.CharField(_("receipt number"), max_length=50, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DonationStatus.choices, default=DonationStatus.PENDING
    )
    message = models.TextField(_("message"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "donations"
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user"], name="idx_donations_user_id"),
            models.Index(fields=["project_name"], name="idx_donations_project"),
            models.Index(fields=["-created_at"], name="idx_donations_created_at"),
            models.Index(fields=["status", "completed_at"], name="idx_donations_status_done"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donations_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=DonationStatus.values), name="donations_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DonationStatus.COMPLETED) | Q(completed_at__isnull=False),
                name="donations_completed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.amount} {self.status}"
