"""Reads of the gallery: the public list (filters by category slug and ward), one photo, and the
categories with their photo counts. Everyone sees every photo."""

from __future__ import annotations

import django_filters
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.users.services import ward_number_normalize
from core.exceptions import NotFound, ValidationFailed

from .models import GalleryCategory, GalleryImage


class GalleryFilter(django_filters.FilterSet):
    """``category`` (a slug; unknown → 400) and ``ward_number`` ('০৫' is ward 5; unknown → 400)."""

    category = django_filters.CharFilter(method="filter_category")
    ward_number = django_filters.CharFilter(method="filter_ward")

    class Meta:
        model = GalleryImage
        fields = ["category", "ward_number"]

    def filter_category(self, images, name, value):
        slug = value.strip()
        category = GalleryCategory.objects.filter(slug=slug).first()
        if category is None:
            message = _("There is no gallery category “%(slug)s”.") % {"slug": slug[:50]}
            raise ValidationFailed(message, details={"category": [message]})
        return images.filter(category=category)

    def filter_ward(self, images, name, value):
        ward = ward_number_normalize(value)  # 400 with details on ward_number when unknown
        return images.filter(ward_number=ward) if ward else images


def image_list() -> QuerySet[GalleryImage]:
    """Every photo, newest first, with its category loaded."""
    return GalleryImage.objects.select_related("category").order_by("-created_at", "-id")


def image_get(*, image_id) -> GalleryImage:
    try:
        return image_list().get(pk=image_id)
    except (GalleryImage.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def category_list() -> QuerySet[GalleryCategory]:
    """Active categories in their order, each with ``count``: how many photos it holds."""
    return (
        GalleryCategory.objects.filter(is_active=True)
        .annotate(count=Count("images"))
        .order_by("sort_order", "slug")
    )


def categories_for_choice() -> QuerySet[GalleryCategory]:
    """What an upload form offers: the active categories."""
    return GalleryCategory.objects.filter(is_active=True).order_by("sort_order", "slug")
