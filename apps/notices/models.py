"""Notices (the seeds' ``notices`` table), the wards each one is for, and who has read it."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage

from .enums import CATEGORY_MAX_CHARS, TITLE_MAX_CHARS, Priority


def _notice_upload_to(instance, filename: str) -> str:
    return f"notices/{instance.pk}/{filename}"


class Notice(models.Model):
    """One notice on the board. No NoticeWard rows means city-wide.

    A notice is on the board while it is active, ``published_at`` has come and ``expires_at``
    (if any) has not: readers' queries check the times themselves, so a scheduled notice
    appears and an expired one disappears at the exact moment. ``is_active`` turns false when
    staff withdraw it (``withdrawn_at``) and, for the record, when the expiry sweep passes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX_CHARS)
    content = models.TextField(_("content"))
    category = models.CharField(_("category"), max_length=CATEGORY_MAX_CHARS)
    priority = models.CharField(
        _("priority"), max_length=20, choices=Priority.choices, default=Priority.NORMAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # When the push of an urgent notice to its wards' citizens was started (set once, by a
    # conditional update, so two sweeps never both start it).
    urgent_sent_at = models.DateTimeField(_("urgent push started at"), null=True, blank=True)
    attachment = models.FileField(
        _("attachment"),
        upload_to=_notice_upload_to,
        storage=private_storage,
        max_length=500,
        blank=True,
    )
    attachment_name = models.CharField(
        _("original file name"), max_length=255, null=True, blank=True
    )
    attachment_size = models.PositiveIntegerField(_("stored size (bytes)"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    created_by = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices_created",
        verbose_name=_("created by"),
        db_column="created_by",  # the seeds' column name
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "notices"
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["is_active"], name="idx_notices_is_active"),
            models.Index(fields=["-published_at"], name="idx_notices_published_at"),
            models.Index(fields=["category"], name="idx_notices_category"),
            models.Index(fields=["priority"], name="idx_notices_priority"),
            # The board: active notices, newest first.
            models.Index(fields=["is_active", "-published_at"], name="idx_notices_board"),
            # The sweeps: urgent notices not pushed yet, and active ones that will expire.
            models.Index(
                fields=["published_at"],
                condition=Q(is_urgent=True, urgent_sent_at__isnull=True, is_active=True),
                name="idx_notices_urgent_unsent",
            ),
            models.Index(
                fields=["expires_at"],
                condition=Q(is_active=True, expires_at__isnull=False),
                name="idx_notices_expiring",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="notices_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("published_at")),
                name="notices_expires_after_published",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(is_active=False),
                name="notices_withdrawn_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeWard(models.Model):
    """One ward a notice is for (the seeds' ``target_wards`` array, as rows both databases
    index the same way)."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="wards", db_index=False
    )
    ward_number = models.CharField(_("ward number"), max_length=10)

    class Meta:
        db_table = "notice_wards"
        verbose_name = _("notice ward")
        verbose_name_plural = _("notice wards")
        indexes = [
            # The board of one ward: the notices for it.
            models.Index(fields=["ward_number", "notice"], name="idx_notice_wards_ward"),
        ]
        constraints = [
            # Also the index that answers "which wards is this notice for?".
            models.UniqueConstraint(fields=["notice", "ward_number"], name="notice_wards_unique"),
        ]

    def __str__(self) -> str:
        return self.ward_number


class NoticeView(models.Model):
    """One reader of a notice (the seeds' NOTICE_VIEW): a second visit adds nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="views", db_index=False
    )
    user = models.ForeignKey(
        "users.User", on_delete=models.CASCADE, related_name="notice_views", db_index=False
    )
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)

    class Meta:
        db_table = "notice_views"
        verbose_name = _("notice view")
        verbose_name_plural = _("notice views")
        indexes = [models.Index(fields=["user"], name="idx_notice_views_user")]
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_views_one_per_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.notice_id}"
