"""Reads of emergencies, always through the viewer's scope (policy.emergencies_visible_to)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from apps.users.models import User
from core.exceptions import NotFound
from core.filters import AliasChoiceFilter, WardFilter
from core.queries import shown_with

from .enums import OPEN_STATUSES, STATUS_CODES, TYPE_CODES, EmergencyStatus, EmergencyType
from .models import EmergencyRequest
from .policy import emergencies_visible_to


class EmergencyFilter(django_filters.FilterSet):
    status = AliasChoiceFilter(values=EmergencyStatus.values, codes=STATUS_CODES)
    emergency_type = AliasChoiceFilter(values=EmergencyType.values, codes=TYPE_CODES)
    ward_number = WardFilter()

    class Meta:
        model = EmergencyRequest
        fields = ["status", "emergency_type", "ward_number"]


def emergency_list(*, viewer: User) -> QuerySet[EmergencyRequest]:
    return (
        emergencies_visible_to(viewer).select_related("user", "assigned_to").order_by("-created_at")
    )


def emergency_rows(*, viewer: User) -> QuerySet[EmergencyRequest]:
    """emergency_list as the API's list answers it: loading what EmergencySerializer reads,
    every column of the emergency, the citizen's name and phone, the assignee's name."""
    return shown_with(
        emergency_list(viewer=viewer), "user__name", "user__phone", "assigned_to__name"
    )


def emergency_get(*, viewer: User, emergency_id) -> EmergencyRequest:
    try:
        return (
            emergency_list(viewer=viewer)
            .prefetch_related("updates__updated_by", "updates__assigned_to")
            .get(pk=emergency_id)
        )
    except (EmergencyRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def emergency_after_write(emergency_id) -> EmergencyRequest:
    """Reload an emergency its actor has just changed, to answer them even if the change took it
    out of their view."""
    return (
        EmergencyRequest.objects.select_related("user", "assigned_to")
        .prefetch_related("updates__updated_by", "updates__assigned_to")
        .get(pk=emergency_id)
    )


def emergency_board(*, viewer: User, resolved_shown: int) -> tuple[list, list]:
    """The staff board: the viewer's open emergencies newest first, then the latest
    ``resolved_shown`` resolved ones (the API's scope)."""
    emergencies = emergency_list(viewer=viewer)
    open_ones = list(emergencies.filter(status__in=OPEN_STATUSES))
    resolved = list(emergencies.exclude(status__in=OPEN_STATUSES)[:resolved_shown])
    return open_ones, resolved


def emergency_visible(*, viewer: User, emergency_id) -> bool:
    """Whether the emergency is (still) in the viewer's scope, e.g. after handing it on."""
    return emergency_list(viewer=viewer).filter(pk=emergency_id).exists()
