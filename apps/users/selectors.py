"""Reads of users and wards, scoped to what the viewer may see."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import ASin, Cast, Cos, Least, Length, Power, Radians, Sin, Sqrt

from core.exceptions import NotFound, PermissionDenied
from core.filters import SearchTextFilter

from .models import User, UserType, Ward
from .policy import ALL_WARDS, permitted_wards


class UserFilter(django_filters.FilterSet):
    user_type = django_filters.ChoiceFilter(choices=UserType.choices)
    ward_number = django_filters.CharFilter()
    is_verified = django_filters.BooleanFilter()
    is_active = django_filters.BooleanFilter()
    search = SearchTextFilter(method="filter_search")

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


def ward_list_permitted(*, viewer: User, resource: str, action: str = "read") -> QuerySet[Ward]:
    """The wards ``viewer``'s rights on ``resource`` grant for ``action`` (all for a super
    admin or an all-wards row), in ward order."""
    permitted = permitted_wards(viewer, resource=resource, action=action)
    wards = ward_list()
    return wards if permitted is ALL_WARDS else wards.filter(number__in=permitted)


def ward_list_located(numbers) -> QuerySet[Ward]:
    """Of the ward ``numbers``, those with a known centre (for maps)."""
    return ward_list().filter(number__in=numbers).exclude(latitude=None).exclude(longitude=None)


def user_active_of_types(*, user_id, user_types) -> User | None:
    """The active account with this id if it is one of ``user_types``, else None."""
    return User.objects.filter(pk=user_id, is_active=True, user_type__in=user_types).first()


EARTH_RADIUS_KM = 6371.0


def _great_circle_km(latitude: float, longitude: float):
    """Haversine distance from a point to each row's centre, computed by the database."""
    lat, lon = Radians(Value(latitude)), Radians(Value(longitude))
    row_lat = Radians(Cast(F("latitude"), FloatField()))
    row_lon = Radians(Cast(F("longitude"), FloatField()))
    half = Power(Sin((row_lat - lat) / 2), 2) + Cos(lat) * Cos(row_lat) * Power(
        Sin((row_lon - lon) / 2), 2
    )
    # Least() keeps rounding from pushing the root past 1 (asin of 1.0000001 is NaN).
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(half), Value(1.0)))


def wards_near(
    *, latitude: Decimal | float, longitude: Decimal | float, km: float
) -> QuerySet[Ward]:
    """Wards whose centre is within ``km`` of the point, nearest first (``distance_km`` added).

    The distance is worked out in the query, so no caller loads the whole ward table.
    """
    return (
        Ward.objects.exclude(latitude=None)
        .exclude(longitude=None)
        .annotate(
            distance_km=_great_circle_km(float(latitude), float(longitude)),
        )
        .filter(distance_km__lte=km)
        .order_by("distance_km", "number")
    )


def ward_nearest(*, latitude, longitude, km: float) -> str | None:
    """The number of the ward whose centre is nearest the point, if one is within ``km``."""
    return (
        wards_near(latitude=latitude, longitude=longitude, km=km)
        .values_list("number", flat=True)
        .first()
    )


def users_assignable() -> QuerySet[User]:
    """Who complaint work may go to: active ward admins and service providers (the rule
    complaint_assign enforces), by name."""
    return User.objects.filter(
        is_active=True, user_type__in=(UserType.ADMIN, UserType.SERVICE_PROVIDER)
    ).order_by("name", "phone")
