"""Reads of emergencies, always through the viewer's scope (policy.emergencies_visible_to)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from apps.users.models import User
from core.exceptions import NotFound
from core.filters import AliasChoiceFilter, WardFilter

from .enums import STATUS_CODES, TYPE_CODES, EmergencyStatus, EmergencyType
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
