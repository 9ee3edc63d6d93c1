"""Open311 clients' API keys and what each client told us about the person behind a report."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311ApiKey(models.Model):
    """A client application's key. Only its SHA-256 is stored; the prefix lets people tell keys
    apart. Each key files reports as its own integration account (``owner``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("client application"), max_length=100)
    key_prefix = models.CharField(_("key starts with"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    owner = models.ForeignKey(
        "users.User",
        on_delete=models.PROTECT,
        related_name="open311_api_keys",
        verbose_name=_("integration account"),
        editable=False,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        db_table = "open311_api_keys"
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class Open311Request(models.Model):
    """The Open311 side of a complaint: which key filed it and the reporter's contact details.

    The reporter is not an account of ours; these details are for staff only and never appear
    in an Open311 GET.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="open311_request",
        verbose_name=_("complaint"),
    )
    api_key = models.ForeignKey(
        Open311ApiKey,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("API key"),
    )
    email = models.EmailField(_("email"), max_length=254, blank=True, default="")
    first_name = models.CharField(_("first name"), max_length=100, blank=True, default="")
    last_name = models.CharField(_("last name"), max_length=100, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=32, blank=True, default="")
    device_id = models.CharField(_("device id"), max_length=255, blank=True, default="")
    account_id = models.CharField(_("client's account id"), max_length=255, blank=True, default="")
    media_url = models.URLField(_("media URL sent by the client"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "open311_requests"
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.complaint_id)
