"""What the sandbox simulators received: the outboxes a tester reads OTPs and pushes from."""

import uuid

from django.db import models


class SandboxSmsProvider(models.TextChoices):
    SSLWIRELESS = "sslwireless", "SSL Wireless ISMS Plus"
    BULKSMSBD = "bulksmsbd", "BulkSMSBD"


class SandboxSms(models.Model):
    """One SMS a simulator accepted; it never leaves the server."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.CharField(max_length=20, choices=SandboxSmsProvider.choices)
    msisdn = models.CharField(max_length=13, help_text="8801XXXXXXXXX, as the gateway received it.")
    phone = models.CharField(max_length=16, help_text="E.164, +8801XXXXXXXXX.")
    text = models.TextField()
    csms_id = models.CharField(max_length=20, null=True, blank=True)
    reference_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "sandbox_sms"
        ordering = ["-created_at"]
        verbose_name = "sandbox SMS"
        verbose_name_plural = "sandbox SMS outbox"
        constraints = [
            # The gateway's idempotency: one message per csms_id, even under concurrent retries.
            models.UniqueConstraint(
                fields=["provider", "csms_id"],
                condition=models.Q(csms_id__isnull=False),
                name="sandbox_sms_unique_csms_id",
            ),
            models.CheckConstraint(
                condition=models.Q(provider__in=SandboxSmsProvider.values),
                name="sandbox_sms_provider_valid",
            ),
        ]
        indexes = [models.Index(fields=["phone", "-created_at"], name="idx_sandbox_sms_phone")]

    def __str__(self) -> str:
        return f"{self.provider} → {self.phone} {self.created_at:%Y-%m-%d %H:%M:%S}"


class SandboxPush(models.Model):
    """One push message the FCM simulator accepted; it never reaches a device."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project_id = models.CharField(max_length=100)
    token = models.CharField(max_length=512)
    title = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(
        max_length=255, unique=True, help_text="projects/<project>/messages/<id>, as FCM answers."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "sandbox_push"
        ordering = ["-created_at"]
        verbose_name = "sandbox push"
        verbose_name_plural = "sandbox push outbox"
        indexes = [models.Index(fields=["token", "-created_at"], name="idx_sandbox_push_token")]

    def __str__(self) -> str:
        return f"push → …{self.token[-6:]} {self.created_at:%Y-%m-%d %H:%M:%S}"


class SandboxPayment(models.Model):
    """A payment as a simulated provider (bKash, Nagad, SSLCommerz) holds it.

    ``data`` keeps provider-specific fields (merchant invoice, callback URL, signatures' inputs,
    failure knobs in effect); ``refunds`` is the list of refunds made against it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.CharField(max_length=20)
    provider_ref = models.CharField(max_length=100)
    our_reference = models.CharField(max_length=255)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="BDT")
    state = models.CharField(max_length=20, default="initiated")
    trx_id = models.CharField(max_length=64, null=True, blank=True)
    payer = models.CharField(max_length=32, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    refunds = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "sandbox_payments"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_ref"], name="sandbox_payment_unique_ref"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_ref} {self.state}"
