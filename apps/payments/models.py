"""Payments (seed 002 table plus provider references), their audit trail, the fee catalogue and
refunds. Amounts are Decimal BDT with two places; a payment completes at most once."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    BKASH = "bkash", _("bKash")
    NAGAD = "nagad", _("Nagad")
    ROCKET = "rocket", _("Rocket")
    UPAY = "upay", _("Upay")
    CARD = "card", _("Card")  # reserved (seed 002)
    BANK = "bank", _("Bank")  # reserved (seed 002)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Gateway(models.TextChoices):
    BKASH = "bkash", "bKash"
    NAGAD = "nagad", "Nagad"
    SSLCOMMERZ = "sslcommerz", "SSLCommerz"


class PayableService(models.Model):
    """A city service people pay for (holding tax, trade licence, waste collection fee, …)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_bn = models.CharField(_("name (Bengali)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    fixed_fee = models.DecimalField(
        _("fixed fee"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    min_amount = models.DecimalField(
        _("minimum amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    max_amount = models.DecimalField(
        _("maximum amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "payable_services"
        verbose_name = _("payable service")
        verbose_name_plural = _("payable services")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fixed_fee__isnull=True) | Q(fixed_fee__gt=0),
                name="payable_services_fee_positive",
            ),
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True)
                | Q(max_amount__isnull=True)
                | Q(min_amount__lte=F("max_amount")),
                name="payable_services_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name_en}"


class Payment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "users.User", on_delete=models.CASCADE, related_name="payments", db_index=False
    )
    service_type = models.CharField(_("service type"), max_length=50)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    phone_number = models.CharField(_("payer phone"), max_length=20)
    transaction_id = models.CharField(_("our transaction id"), max_length=100, unique=True)
    gateway = models.CharField(_("gateway"), max_length=20, choices=Gateway.choices)
    # The provider's reference for the attempt (bKash paymentID, Nagad paymentReferenceId,
    # SSLCommerz sessionkey) and its final transaction id (trxID, issuerPaymentRefNo,
    # bank_tran_id): the latter is unique, so one provider payment completes one of ours.
    gateway_transaction_id = models.CharField(max_length=100, null=True, blank=True)
    gateway_trx_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    gateway_response = models.JSONField(default=dict, blank=True)  # secrets redacted
    failure_reason = models.TextField(_("failure reason"), null=True, blank=True)
    refunded_amount = models.DecimalField(
        _("refunded amount"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "payments"
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user"], name="idx_payments_user_id"),
            models.Index(fields=["status"], name="idx_payments_status"),
            models.Index(fields=["-created_at"], name="idx_payments_created_at"),
            models.Index(fields=["gateway", "gateway_transaction_id"], name="idx_payments_gw_ref"),
            models.Index(fields=["status", "created_at"], name="idx_payments_status_created"),
            models.Index(fields=["status", "completed_at"], name="idx_payments_status_completed"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_amount_positive"),
            models.CheckConstraint(
                condition=Q(payment_method__in=PaymentMethod.values),
                name="payments_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="payments_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("amount")),
                name="payments_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.COMPLETED) | Q(completed_at__isnull=False),
                name="payments_completed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.amount} {self.status}"


class PaymentLog(models.Model):
    """Append-only trail of every state change and provider call of a payment (no secrets)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="logs")
    event = models.CharField(max_length=50)
    from_status = models.CharField(max_length=20, null=True, blank=True)
    to_status = models.CharField(max_length=20, null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "payment_logs"
        verbose_name = _("payment log entry")
        verbose_name_plural = _("payment log")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.event}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Payment log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Payment log entries are append-only.")


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PROCESSING = "processing", _("Processing")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class Refund(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    requested_by = models.ForeignKey(
        "users.User", on_delete=models.PROTECT, related_name="refunds_requested"
    )
    decided_by = models.ForeignKey(
        "users.User",
        on_delete=models.PROTECT,
        related_name="refunds_decided",
        null=True,
        blank=True,
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    provider_refund_id = models.CharField(max_length=100, null=True, blank=True)
    failure_reason = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "refunds"
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refunds_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=RefundStatus.values), name="refunds_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.amount} {self.status}"
