"""What a person was told and where: notifications with their delivery state, device tokens."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 200


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class Platform(models.TextChoices):
    ANDROID = "android", "Android"
    IOS = "ios", "iOS"
    WEB = "web", _("Web")


class Notification(models.Model):
    """One message to one person, rendered in their language; SMS and push carry the same text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "users.User", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    kind = models.CharField(
        _("kind"), max_length=64, help_text=_("Machine name, e.g. complaint.status_changed.")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("body"))
    data = models.JSONField(_("data"), default=dict, blank=True)
    dedupe_key = models.CharField(
        _("deduplication key"),
        max_length=128,
        null=True,
        blank=True,
        help_text=_("A second notification with the same key for the same user is not sent."),
    )
    in_app = models.BooleanField(
        _("in the inbox"),
        default=True,
        help_text=_("Shown in the app's notification list and sent over WebSocket."),
    )
    is_read = models.BooleanField(_("read"), default=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    sms_status = models.CharField(
        _("SMS"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SKIPPED
    )
    sms_sent_at = models.DateTimeField(_("SMS queued at"), null=True, blank=True)
    push_status = models.CharField(
        _("push"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SKIPPED
    )
    push_sent_at = models.DateTimeField(_("push delivered at"), null=True, blank=True)
    push_reached = models.JSONField(
        _("devices reached"),
        default=list,
        blank=True,
        help_text=_("Ids of the device tokens FCM accepted this push for; a retry skips them."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "notifications"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["user", "is_read", "-created_at"], name="idx_notifications_unread"
            ),
            models.Index(fields=["user", "-created_at"], name="idx_notifications_user"),
            models.Index(fields=["kind"], name="idx_notifications_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=models.Q(dedupe_key__isnull=False),
                name="notifications_unique_dedupe_key",
            ),
            models.CheckConstraint(
                condition=models.Q(sms_status__in=DeliveryStatus.values),
                name="notifications_sms_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(push_status__in=DeliveryStatus.values),
                name="notifications_push_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(is_read=False) | models.Q(read_at__isnull=False),
                name="notifications_read_has_read_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class DeviceToken(models.Model):
    """An FCM registration token of one app install; a token belongs to one user at a time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "users.User", on_delete=models.CASCADE, related_name="device_tokens", verbose_name=_("user")
    )
    token = models.CharField(_("token"), max_length=512, unique=True)
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Turned off when FCM says the token is invalid.")
    )
    last_seen_at = models.DateTimeField(_("last registered at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "device_tokens"
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        indexes = [models.Index(fields=["user", "is_active"], name="idx_device_tokens_user")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(platform__in=Platform.values),
                name="device_tokens_platform_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} device of {self.user_id}"
