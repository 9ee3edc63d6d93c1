"""Who may see and act on which complaints; selectors and services both ask here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.users.models import User, UserType
from apps.users.policy import ALL_WARDS, permitted_wards

from .models import Complaint

RESOURCE = "complaints"


def complaints_visible_to(viewer: User) -> QuerySet[Complaint]:
    """Citizen: own. Ward admin: permitted wards (+ assigned). Provider: assigned. Super: all."""
    complaints = Complaint.objects.all()
    if viewer.user_type == UserType.SUPER_ADMIN:
        return complaints
    if viewer.user_type == UserType.ADMIN:
        wards = permitted_wards(viewer, resource=RESOURCE, action="read")
        return complaints.filter(Q(ward_number__in=wards) | Q(assigned_to=viewer))
    if viewer.user_type == UserType.SERVICE_PROVIDER:
        return complaints.filter(assigned_to=viewer)
    return complaints.filter(user=viewer)


def can_manage(viewer: User, complaint: Complaint) -> bool:
    """May change status, priority, ward or assignment of this complaint."""
    if viewer.user_type == UserType.SUPER_ADMIN:
        return True
    if complaint.assigned_to_id == viewer.pk and viewer.user_type in (
        UserType.ADMIN,
        UserType.SERVICE_PROVIDER,
    ):
        return True
    if viewer.user_type == UserType.ADMIN:
        wards = permitted_wards(viewer, resource=RESOURCE, action="update")
        return wards is ALL_WARDS or complaint.ward_number in wards
    return False


def is_owner(viewer: User, complaint: Complaint) -> bool:
    return complaint.user_id == viewer.pk
