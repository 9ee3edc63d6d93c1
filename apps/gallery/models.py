"""Gallery photos and their categories (a small list managed in Django admin)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import DESCRIPTION_MAX_CHARS, SLUG_MAX_CHARS, TITLE_MAX_CHARS


def _gallery_upload_to(instance, filename: str) -> str:
    return f"gallery/{instance.pk}/{filename}"


class GalleryCategory(models.Model):
    """One heading of the gallery; the API names it by ``slug``. An inactive category takes no
    new photos and is not offered in categories/; its photos stay in the gallery."""

    slug = models.SlugField(_("code"), max_length=SLUG_MAX_CHARS, unique=True)
    name_bn = models.CharField(_("name (Bengali)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "gallery_categories"
        verbose_name = _("gallery category")
        verbose_name_plural = _("gallery categories")
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return f"{self.slug}: {self.name_en}"


class GalleryImage(models.Model):
    """One photo: re-encoded without metadata (long side ≤ 1920 px) with a thumbnail, in the
    public media storage (anyone may see the gallery). No ward means city-wide."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title (Bengali)"), max_length=TITLE_MAX_CHARS)
    title_en = models.CharField(
        _("title (English)"), max_length=TITLE_MAX_CHARS, blank=True, default=""
    )
    description = models.TextField(
        _("description"), max_length=DESCRIPTION_MAX_CHARS, blank=True, default=""
    )
    category = models.ForeignKey(
        GalleryCategory,
        on_delete=models.PROTECT,
        related_name="images",
        verbose_name=_("category"),
        db_index=False,  # the (category, created_at) index serves it
    )
    ward_number = models.CharField(_("ward number"), max_length=10, null=True, blank=True)
    image = models.FileField(_("image"), upload_to=_gallery_upload_to, max_length=500)
    thumbnail = models.FileField(_("thumbnail"), upload_to=_gallery_upload_to, max_length=500)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    view_count = models.PositiveIntegerField(_("views"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "gallery_images"
        verbose_name = _("gallery photo")
        verbose_name_plural = _("gallery photos")
        ordering = ["-created_at"]
        indexes = [
            # The list: newest first, whole or by category or by ward.
            models.Index(fields=["-created_at"], name="idx_gallery_created"),
            models.Index(fields=["category", "-created_at"], name="idx_gallery_category"),
            models.Index(fields=["ward_number", "-created_at"], name="idx_gallery_ward"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(width__gt=0) & Q(height__gt=0), name="gallery_images_size_positive"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="gallery_images_title_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title
