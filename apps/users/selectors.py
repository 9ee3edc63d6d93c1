"""Reads of users and wards, scoped to what the viewer may see."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.db.models.functions import Length

from core.exceptions import NotFound, PermissionDenied

from .models import User, UserType, Ward
from .policy import ALL_WARDS, permitted_wards


class UserFilter(django_filters.FilterSet):
    user_type = django_filters.ChoiceFilter(choices=UserType.choices)
    ward_number = django_filters.CharFilter()
    is_verified = django_filters.BooleanFilter()
    is_active = django_filters.BooleanFilter()
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = User
        fields = ["user_type", "ward_number", "is_verified", "is_active"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(phone__icontains=value))


def user_visible_to(*, viewer: User) -> QuerySet[User]:
    """Users a staff member may see: all for super admins, residents of their wards for admins."""
    wards = permitted_wards(viewer, resource=None, action="read")
    if wards is ALL_WARDS:
        return User.objects.all()
    if viewer.user_type != UserType.ADMIN:
        raise PermissionDenied()
    return User.objects.filter(ward_number__in=wards)


def user_list(*, viewer: User) -> QuerySet[User]:
    """Newest first; the view narrows it with UserFilter from the query string."""
    return user_visible_to(viewer=viewer).order_by("-created_at")


def user_get(*, viewer: User, user_id) -> User:
    try:
        return user_visible_to(viewer=viewer).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def ward_exists(number: str) -> bool:
    return Ward.objects.filter(number=number).exists()


def ward_list() -> QuerySet[Ward]:
    # Numbers are text: order by length first so ward 2 comes before ward 10.
    return Ward.objects.order_by("city_corporation", Length("number"), "number")
