"""Who may see and act on which complaints; selectors and services both ask here."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from apps.users.models import User, UserType
from apps.users.policy import ALL_WARDS, permitted_wards

from .enums import TRANSITIONS, Status
from .models import Complaint

RESOURCE = "complaints"


def complaints_visible_to(viewer: User, *, ward: str | None = None) -> QuerySet[Complaint]:
    """Citizen: own. Ward admin: permitted wards (+ assigned). Provider: assigned. Super: all.

    ``ward`` is the one ward the caller's filter asks for, if any; the filter still applies. It
    lets a ward admin's scope name that ward alone when it is one of theirs: the same rows, but
    PostgreSQL, given "ward = 1" and "ward in (1, 2)" together, multiplies their selectivities,
    expects a handful of rows and sorts the ward's whole history instead of reading a page.
    """
    complaints = Complaint.objects.all()
    if viewer.user_type == UserType.SUPER_ADMIN:
        return complaints
    if viewer.user_type == UserType.ADMIN:
        wards = permitted_wards(viewer, resource=RESOURCE, action="read")
        in_wards = Q(ward_number__in=wards)
        # "In my wards OR assigned to me" keeps PostgreSQL from reading a ward's index in list
        # order: each page would fetch and sort the wards' whole history. The OR only adds rows
        # when work outside the wards is assigned to the admin (rare), so an index probe asks.
        if complaints.filter(assigned_to=viewer).exclude(in_wards).exists():
            return complaints.filter(in_wards | Q(assigned_to=viewer))
        if ward is not None and ward in wards:
            return complaints.filter(ward_number=ward)
        return complaints.filter(in_wards)
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


def status_moves(status: str) -> list[str]:
    """The statuses a complaint in ``status`` may move to (``complaint_change_status``'s rule),
    in the order of ``Status``."""
    return [value for value in Status.values if value in TRANSITIONS[status]]


def overdue_before(now: datetime) -> datetime:
    """A complaint still submitted (nobody started) from before this moment is overdue."""
    return now - timedelta(hours=settings.CONSOLE_OVERDUE_HOURS)


def is_overdue(complaint: Complaint, *, now: datetime) -> bool:
    return complaint.status == Status.SUBMITTED and complaint.created_at < overdue_before(now)


def may_assign(user: User) -> bool:
    """Who hands complaints out (the queue's assign controls): ward admins and super admins;
    ``complaint_assign`` still asks ``can_manage`` of each complaint."""
    return user.user_type in (UserType.ADMIN, UserType.SUPER_ADMIN)
