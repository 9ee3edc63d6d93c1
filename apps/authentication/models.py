"""One-time passwords sent by SMS; only a keyed hash of the code is stored."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OtpPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    LOGIN = "login", _("Sign-in")
    PASSWORD_RESET = "password_reset", _("Password reset")


class OTPVerification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phone = models.CharField(_("phone"), max_length=20)
    code_hash = models.CharField(max_length=64, editable=False)
    purpose = models.CharField(_("purpose"), max_length=50, choices=OtpPurpose.choices)
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    is_verified = models.BooleanField(_("used"), default=False)
    is_void = models.BooleanField(
        _("void"),
        default=False,
        help_text=_("Replaced by a newer code or killed by wrong attempts."),
    )
    payload = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Details a pending registration applies when this code is verified."),
    )
    expires_at = models.DateTimeField(_("expires at"))
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "otp_verifications"
        verbose_name = _("one-time password")
        verbose_name_plural = _("one-time passwords")
        indexes = [
            models.Index(fields=["phone"], name="idx_otp_phone"),
            models.Index(fields=["expires_at"], name="idx_otp_expires"),
            models.Index(fields=["phone", "purpose", "-created_at"], name="idx_otp_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=OtpPurpose.values), name="otp_purpose_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phone} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
