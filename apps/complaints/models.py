"""Complaints, their photos and status history, and the per-day tracking-number counter."""

import uuid

from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from core.indexes import PortableExpressionIndex

from .enums import PRIORITY_RANK, STATUS_RANK, Category, Priority, Status


def rank(field: str, ranks: dict) -> Case:
    """``ordering=priority`` / ``status`` sort key: urgency or workflow order, not the alphabet.
    The list's annotation and the indexes below share this one expression, so PostgreSQL matches
    them."""
    return Case(
        *(When(**{field: value}, then=Value(n)) for value, n in ranks.items()),
        output_field=IntegerField(),
    )


def _list_index(*leading, name: str, include=()) -> models.Index:
    """An index the complaint list walks in order: ``leading`` (a filter or a sort key), then
    newest first with the id breaking ties, as the list and its keyset cursors sort. A rank's
    column is included so a deep page's keys still come from the index alone."""
    return models.Index(
        *leading, F("created_at").desc(), F("id").desc(), name=name, include=include
    )


class Complaint(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "users.User",
        on_delete=models.CASCADE,
        related_name="complaints",
        verbose_name=_("citizen"),
        db_index=False,  # indexed below under the seeds' name
    )
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=50, choices=Category.choices)
    priority = models.CharField(
        _("priority"), max_length=20, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.SUBMITTED
    )
    location = models.CharField(_("location"), max_length=255)
    latitude = models.DecimalField(max_digits=10, decimal_places=8, null=True, blank=True)
    longitude = models.DecimalField(max_digits=11, decimal_places=8, null=True, blank=True)
    ward_number = models.CharField(_("ward number"), max_length=10, null=True, blank=True)
    assigned_to = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("assigned to"),
        db_column="assigned_to",  # the seeds' column name
        db_index=False,
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "complaints"
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        indexes = [
            # The seeds' schema names these six; each is also the prefix of a list index below,
            # which reads would do with (the ones the seeds do not name went in migration 0008).
            models.Index(fields=["user"], name="idx_complaints_user_id"),
            models.Index(fields=["assigned_to"], name="idx_complaints_assigned"),
            models.Index(fields=["status"], name="idx_complaints_status"),
            models.Index(fields=["category"], name="idx_complaints_category"),
            # A ward's count: the row-level security policy asks for the citizen and the
            # assignee of every row, so with them included it is counted from the index alone
            # (PostgreSQL; 9,000 rows of a ward: 23 ms with a visit to each row, 3 ms without).
            models.Index(
                fields=["ward_number"],
                include=["user", "assigned_to"],
                name="idx_complaints_ward",
            ),
            models.Index(fields=["-created_at"], name="idx_complaints_created_at"),
            # The dashboard's grouped counts, read from the index alone (PostgreSQL).
            models.Index(
                fields=["status", "category", "priority", "rating"],
                name="idx_complaints_breakdown",
            ),
            # The dashboard's median service time, resolved complaints in duration order
            # (PostgreSQL); embedded SQLite keeps a plain index the sqlite3 shell can read.
            PortableExpressionIndex(
                F("resolved_at") - F("created_at"),
                name="idx_complaints_service_time",
                include=["resolved_at", "created_at"],
                condition=Q(status=Status.RESOLVED, resolved_at__isnull=False),
                sqlite_fields=["resolved_at", "created_at"],
            ),
            # The ward ranking (and a ward admin's scope): counts and service-time sums per
            # ward and status from the index alone; under row-level security too (above).
            models.Index(
                fields=["ward_number", "status"],
                include=["created_at", "resolved_at", "user", "assigned_to"],
                name="idx_complaints_ward_status",
            ),
            # The API list: each filter, and each ordering (priority and status by rank), read
            # in list order, so a page (and a deep page's keys) comes off the index; see
            # bench/explain.py for every filter × ordering.
            models.Index(F("created_at").desc(), F("id").desc(), name="idx_complaints_list"),
            _list_index(F("user"), name="idx_complaints_list_user"),
            _list_index(F("assigned_to"), name="idx_complaints_list_assigned"),
            _list_index(F("ward_number"), name="idx_complaints_list_ward"),
            _list_index(F("status"), name="idx_complaints_list_status"),
            _list_index(F("category"), name="idx_complaints_list_category"),
            _list_index(F("priority"), name="idx_complaints_list_priority"),
            _list_index(
                rank("priority", PRIORITY_RANK),
                name="idx_complaints_list_prio_rank",
                include=["priority"],
            ),
            _list_index(
                rank("status", STATUS_RANK), name="idx_complaints_list_st_rank", include=["status"]
            ),
            _list_index(
                F("status"),
                rank("priority", PRIORITY_RANK),
                name="idx_complaints_list_st_prio",
                include=["priority"],
            ),
            # A ward's queue by urgency or by workflow (a ward admin's triage): without these a
            # page sorted the ward's whole history (50–220 ms for ward 1 at 1M complaints).
            _list_index(
                F("ward_number"),
                rank("priority", PRIORITY_RANK),
                name="idx_complaints_list_ward_prio",
                include=["priority"],
            ),
            _list_index(
                F("ward_number"),
                rank("status", STATUS_RANK),
                name="idx_complaints_list_ward_st",
                include=["status"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="complaints_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="complaints_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="complaints_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaints_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="complaints_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="complaints_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.RESOLVED, resolved_at__isnull=False)
                | ~Q(status=Status.RESOLVED),
                name="complaints_resolved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    @property
    def photos(self) -> list["ComplaintImage"]:
        """The photos, oldest first: the plain list a selector prefetched
        (``selectors.photos_prefetch``), else read now."""
        prefetched = self.__dict__.get(PREFETCHED_PHOTOS)
        return prefetched if prefetched is not None else list(self.images.all())


# Where ``selectors.photos_prefetch`` keeps a complaint's photos (Complaint.photos reads it).
PREFETCHED_PHOTOS = "prefetched_photos"


def _complaint_upload_to(instance, filename: str) -> str:
    return f"complaints/{instance.complaint_id}/{filename}"


class ComplaintImage(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="images", db_index=False
    )
    image = models.FileField(_("image"), upload_to=_complaint_upload_to, max_length=500)
    thumbnail = models.FileField(_("thumbnail"), upload_to=_complaint_upload_to, max_length=500)
    image_name = models.CharField(_("original file name"), max_length=255, null=True, blank=True)
    file_size = models.PositiveIntegerField(_("stored size (bytes)"))
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "complaint_images"
        verbose_name = _("complaint photo")
        verbose_name_plural = _("complaint photos")
        ordering = ["uploaded_at"]
        indexes = [
            models.Index(fields=["complaint"], name="idx_complaint_images_complaint"),
        ]

    def __str__(self) -> str:
        return self.image_name or str(self.id)


def _update_upload_to(instance, filename: str) -> str:
    return f"complaints/{instance.complaint_id}/updates/{filename}"


class ComplaintUpdate(models.Model):
    """One status change (or reopening) with the staff comment, who made it and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="updates", db_index=False
    )
    updated_by = models.ForeignKey(
        "users.User",
        on_delete=models.PROTECT,
        related_name="complaint_updates",
        db_column="updated_by",  # the seeds' column name
    )
    old_status = models.CharField(max_length=30, choices=Status.choices, null=True, blank=True)
    new_status = models.CharField(max_length=30, choices=Status.choices)
    comment = models.TextField(null=True, blank=True)
    # Proof of the work: a photo of the fixed spot, shown to the citizen and on the public page.
    photo = models.FileField(
        _("photo"), upload_to=_update_upload_to, max_length=500, blank=True, default=""
    )
    photo_thumbnail = models.FileField(
        _("thumbnail"), upload_to=_update_upload_to, max_length=500, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "complaint_updates"
        verbose_name = _("complaint update")
        verbose_name_plural = _("complaint updates")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["complaint"], name="idx_complaint_upd_complaint"),
            models.Index(fields=["-created_at"], name="idx_complaint_updates_created"),
        ]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"


class TrackingCounter(models.Model):
    """Last tracking-number sequence used on a Dhaka date (advanced by one atomic upsert)."""

    day = models.DateField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "complaint_tracking_counters"

    def __str__(self) -> str:
        return f"{self.day}: {self.last_number}"
