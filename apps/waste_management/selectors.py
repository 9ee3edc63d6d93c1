"""Reads of waste collection: schedules (public, staff also see paused ones of their wards) and
special collections (own / the wards staff may read / all), each scoped by policy.py."""

from __future__ import annotations

from collections.abc import Iterator

import django_filters
from django.db.models import QuerySet

from apps.users.models import User, UserType
from apps.users.policy import ALL_WARDS
from core.exceptions import NotFound
from core.text import ward_digits

from .enums import PaymentState, SpecialStatus, WasteType, Weekday
from .models import CollectionSchedule, SpecialCollectionRequest, WasteFee
from .policy import schedules_visible, special_requests_visible, waste_wards


def ward_input(value: str) -> str:
    """'০৫' and '05' name ward 5, as they do on input."""
    return ward_digits(value)[:10]


class ScheduleFilter(django_filters.FilterSet):
    ward_number = django_filters.CharFilter(method="filter_ward")
    waste_type = django_filters.ChoiceFilter(choices=WasteType.choices)
    day_of_week = django_filters.TypedChoiceFilter(choices=Weekday.choices, coerce=int)

    class Meta:
        model = CollectionSchedule
        fields = ["ward_number", "waste_type", "day_of_week"]

    def filter_ward(self, schedules, name, value):
        return schedules.filter(ward_number=ward_input(value)) if value else schedules


class SpecialRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SpecialStatus.choices)
    payment_state = django_filters.ChoiceFilter(choices=PaymentState.choices)
    ward_number = django_filters.CharFilter(method="filter_ward")

    class Meta:
        model = SpecialCollectionRequest
        fields = ["status", "payment_state", "ward_number"]

    def filter_ward(self, requests, name, value):
        return requests.filter(ward_number=ward_input(value)) if value else requests


def schedule_list(*, viewer: User) -> QuerySet[CollectionSchedule]:
    """Every active schedule, and for staff the paused ones of their wards; by ward, day, time."""
    return CollectionSchedule.objects.filter(schedules_visible(viewer))


def schedules_of_ward(*, ward_number: str) -> QuerySet[CollectionSchedule]:
    """A ward's active schedules in week order (what its citizens and its calendar feed see)."""
    return CollectionSchedule.objects.filter(ward_number=ward_input(ward_number), is_active=True)


def schedule_get(*, viewer: User, schedule_id) -> CollectionSchedule:
    schedule = schedule_list(viewer=viewer).filter(pk=schedule_id).first()
    if schedule is None:
        raise NotFound()
    return schedule


def special_request_list(*, viewer: User) -> QuerySet[SpecialCollectionRequest]:
    scope = special_requests_visible(viewer)
    if scope is None:
        return SpecialCollectionRequest.objects.none()
    return SpecialCollectionRequest.objects.filter(scope).select_related(
        "citizen", "handled_by", "payment"
    )


def special_request_get(*, viewer: User, request_id) -> SpecialCollectionRequest:
    found = special_request_list(viewer=viewer).filter(pk=request_id).first()
    if found is None:
        raise NotFound()
    return found


def fee_for(waste_type: str) -> WasteFee | None:
    """The fee charged now for a special collection of ``waste_type`` (None: it is free)."""
    return WasteFee.objects.filter(waste_type=waste_type, is_active=True).first()


def ward_citizen_batches(*, ward_number: str, size: int) -> Iterator[list[str]]:
    """Ids of the active, verified citizens of a ward, ``size`` at a time in id order; each batch
    its own short query, so no cursor stays open."""
    citizens = User.objects.filter(
        user_type=UserType.CITIZEN, is_active=True, is_verified=True, ward_number=ward_number
    )
    after = None
    while True:
        page = citizens.filter(pk__gt=after) if after is not None else citizens
        batch = list(page.order_by("pk").values_list("pk", flat=True)[:size])
        if not batch:
            return
        yield [str(pk) for pk in batch]
        after = batch[-1]


def fee_list() -> QuerySet[WasteFee]:
    """The fees charged now, by waste type."""
    return WasteFee.objects.filter(is_active=True).order_by("waste_type")


def schedules_managed(*, viewer: User) -> QuerySet[CollectionSchedule]:
    """Every schedule, active or paused, of the wards ``viewer`` may read (the console's list)."""
    wards = waste_wards(viewer, action="read")
    schedules = CollectionSchedule.objects.all()
    return schedules if wards is ALL_WARDS else schedules.filter(ward_number__in=list(wards))
