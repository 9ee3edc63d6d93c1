"""Writes of emergencies: raising one, dispatch to the staff nearby, escalation, taking, moving.

Raising stores the request and, in the same transaction, tells the staff responsible for the
wards around it (their notifications and the staff feed go out after commit). Whoever holds
`emergency` rights for a ward whose centre lies within EMERGENCY_DISPATCH_KM is told; if nobody
is, every super admin is told at once. Otherwise super admins hear of an emergency only when it
is still unassigned after EMERGENCY_ESCALATION_SECONDS: a countdown task and a beat sweep both
try, and a conditional update lets exactly one of them through.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import notification_send, staff_feed_publish
from apps.users.models import ActivityAction, AdminPermission, User, UserType, Ward
from apps.users.selectors import ward_nearest, wards_near
from apps.users.services import activity_record, ward_number_normalize
from core.exceptions import (
    Conflict,
    ErrorCode,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from core.figures import dashboard_touch
from core.lists import list_touch

from . import pages
from .enums import (
    HOTLINE,
    HOTLINE_TYPES,
    OPEN_STATUSES,
    PRIORITY_HIGH,
    STATUS_CODES,
    TRANSITIONS,
    TYPE_CODES,
    EmergencyStatus,
    EmergencyType,
)
from .models import EmergencyDispatch, EmergencyRequest, EmergencyUpdate
from .policy import (
    RESOURCE,
    awaiting_escalation,
    can_manage,
    escalation_window,
    may_hand_on,
    may_take,
)

# An emergency without a ward takes the nearest ward centre within this distance of its point.
WARD_MATCH_RADIUS_KM = 3.0


def hotline_for(emergency_type: str) -> str | None:
    """999 for fire, medical and police emergencies; nothing for the others."""
    return HOTLINE if emergency_type in HOTLINE_TYPES else None


def _notification_data(emergency: EmergencyRequest) -> dict:
    return {
        "emergency_id": str(emergency.pk),
        "emergency_type": emergency.emergency_type,
        "emergency_type_code": TYPE_CODES[emergency.emergency_type],
        "status": emergency.status,
        "status_code": STATUS_CODES[emergency.status],
        "ward_number": emergency.ward_number,
    }


def _params(emergency: EmergencyRequest) -> dict:
    return {
        "type": EmergencyType(emergency.emergency_type).label,
        "location": emergency.location[:80],
        "ward": emergency.ward_number or "-",
    }


# ---------------------------------------------------------------------------------------------
# Raising and dispatch
# ---------------------------------------------------------------------------------------------
def _rate_check(user: User) -> None:
    """At most EMERGENCY_CREATE_LIMIT emergencies raised by one citizen in
    EMERGENCY_CREATE_WINDOW_SECONDS: only those really raised count (a refused request or an
    idempotent retry does not), and the refusal points at 999."""
    window = timedelta(seconds=settings.EMERGENCY_CREATE_WINDOW_SECONDS)
    since = timezone.now() - window
    recent = EmergencyRequest.objects.filter(user=user, created_at__gte=since)
    if recent.count() >= settings.EMERGENCY_CREATE_LIMIT:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
        raise RateLimited(
            _(
                "You have raised several emergencies just now; staff are on them. "
                "In danger now? Call %(hotline)s."
            )
            % {"hotline": HOTLINE},
            retry_after=(oldest + window - timezone.now()).total_seconds(),
        )


@transaction.atomic
def emergency_create(*, user: User, data: dict) -> EmergencyRequest:
    """A citizen raises an emergency: stored at high priority whatever was sent, the staff nearby
    told at once, escalation armed."""
    User.objects.select_for_update().only("pk").get(pk=user.pk)  # one at a time per citizen
    _rate_check(user)
    fields = {key: data.get(key) for key in ("emergency_type", "description", "location")}
    fields["latitude"], fields["longitude"] = data.get("latitude"), data.get("longitude")
    ward = ward_number_normalize(data.get("ward_number"))
    if ward is None and fields["latitude"] is not None:
        ward = ward_nearest(
            latitude=fields["latitude"], longitude=fields["longitude"], km=WARD_MATCH_RADIUS_KM
        )
    fields["ward_number"] = ward or user.ward_number
    emergency = EmergencyRequest.objects.create(user=user, priority=PRIORITY_HIGH, **fields)
    EmergencyUpdate.objects.create(
        emergency=emergency, updated_by=user, old_status=None, new_status=emergency.status
    )
    notification_send(
        user=user,
        kind="emergency.received",
        title=_("Emergency received: %(type)s"),
        body=_("Help is being arranged for %(location)s. In danger now? Call %(hotline)s."),
        params={**_params(emergency), "hotline": HOTLINE},
        data=_notification_data(emergency),
        channels=("in_app", "push"),
        dedupe_key=f"emergency-received:{emergency.pk}",
    )
    emergency_dispatch(emergency=emergency)
    transaction.on_commit(dashboard_touch)
    transaction.on_commit(lambda: _arm_escalation(emergency.pk), robust=True)
    return emergency


def dispatch_point(emergency: EmergencyRequest) -> tuple[float, float] | None:
    """Where to measure from: the emergency's point, else its ward's centre."""
    if emergency.latitude is not None and emergency.longitude is not None:
        return float(emergency.latitude), float(emergency.longitude)
    return _ward_centre(emergency.ward_number)


def _ward_centre(ward_number: str | None) -> tuple[float, float] | None:
    if not ward_number:
        return None
    ward = (
        Ward.objects.filter(number=ward_number)
        .exclude(latitude=None)
        .values_list("latitude", "longitude")
        .first()
    )
    return (float(ward[0]), float(ward[1])) if ward is not None else None


def _nearby_wards(point: tuple[float, float] | None) -> dict:
    """{ward number: km} of the wards whose centre is within EMERGENCY_DISPATCH_KM of ``point``."""
    if point is None:
        return {}
    return dict(
        wards_near(
            latitude=point[0], longitude=point[1], km=settings.EMERGENCY_DISPATCH_KM
        ).values_list("number", "distance_km")
    )


def dispatch_targets(emergency: EmergencyRequest) -> list[tuple[User, float | None]]:
    """Active ward admins and providers whose `emergency` wards have a centre within
    EMERGENCY_DISPATCH_KM of the emergency (or hold its own ward, when no centre is known),
    each with the distance to their nearest such ward."""
    nearby = _nearby_wards(dispatch_point(emergency))
    if not nearby and emergency.latitude is not None:
        # A point far from every ward (a phone without a fix sends 0,0): the ward's own centre.
        nearby = _nearby_wards(_ward_centre(emergency.ward_number))
    if not nearby and emergency.ward_number:
        nearby = {emergency.ward_number: None}
    if not nearby:
        return []
    rows = AdminPermission.objects.filter(
        permission_type=RESOURCE,
        can_update=True,  # told to act: only staff who may act
        admin__is_active=True,
        admin__user_type__in=(UserType.ADMIN, UserType.SERVICE_PROVIDER),
    ).select_related("admin")
    targets: dict = {}
    for row in rows:
        distances = [nearby[w] for w in map(str, row.ward_numbers or []) if w in nearby]
        if distances:
            known = [d for d in distances if d is not None]
            targets[row.admin_id] = (row.admin, min(known) if known else None)
    return sorted(targets.values(), key=lambda target: target[0].phone)


def emergency_dispatch(*, emergency: EmergencyRequest) -> list[User]:
    """Tell the staff nearby (in-app, push, SMS, live feed); nobody nearby → the super admins.

    Each one told is recorded, so they may see and take the emergency even when it lies in a
    neighbouring ward outside their own rights.
    """
    targets = dispatch_targets(emergency)
    for person, km in targets:
        EmergencyDispatch.objects.get_or_create(
            emergency=emergency,
            staff=person,
            defaults={"distance_km": round(km, 2) if km is not None else None},
        )
        notification_send(
            user=person,
            kind="emergency.dispatched",
            title=_("Emergency nearby: %(type)s"),
            body=_("%(location)s (ward %(ward)s). Please take it in the app."),
            params=_params(emergency),
            data=_notification_data(emergency),
            dedupe_key=f"emergency-dispatch:{emergency.pk}",
        )
    staff_feed_publish(
        resource=RESOURCE,
        ward_number=emergency.ward_number,
        payload={
            "type": "emergency.created",
            "emergency_id": emergency.pk,
            "emergency_type": emergency.emergency_type,
            "emergency_type_code": TYPE_CODES[emergency.emergency_type],
            "location": emergency.location,
            "latitude": emergency.latitude,
            "longitude": emergency.longitude,
            "ward_number": emergency.ward_number,
            "created_at": emergency.created_at,
        },
    )
    if not targets:
        _escalate_now(emergency, reason="nobody_nearby")
    return [person for person, _km in targets]


# ---------------------------------------------------------------------------------------------
# Escalation
# ---------------------------------------------------------------------------------------------
def _arm_escalation(emergency_id) -> None:
    from .tasks import emergency_escalate

    emergency_escalate.apply_async(
        kwargs={"emergency_id": str(emergency_id)},
        countdown=settings.EMERGENCY_ESCALATION_SECONDS,
    )


def _escalate_now(emergency: EmergencyRequest, *, reason: str) -> bool:
    """Set ``escalated_at`` if nobody did, and tell every super admin; exactly once."""
    now = timezone.now()
    claimed = EmergencyRequest.objects.filter(pk=emergency.pk, escalated_at__isnull=True).update(
        escalated_at=now
    )
    if not claimed:
        return False
    list_touch(pages.page_parts(emergency))  # update() sends no signal
    transaction.on_commit(dashboard_touch)
    emergency.escalated_at = now
    overdue = reason == "unassigned"
    for boss in User.objects.filter(user_type=UserType.SUPER_ADMIN, is_active=True):
        notification_send(
            user=boss,
            kind="emergency.escalated",
            title=_("Emergency unanswered: %(type)s")
            if overdue
            else _("Emergency with no staff nearby: %(type)s"),
            body=_("%(location)s (ward %(ward)s) has not been taken by anyone yet.")
            if overdue
            else _("%(location)s (ward %(ward)s): no staff with emergency duty is near it."),
            params=_params(emergency),
            data={**_notification_data(emergency), "reason": reason},
            dedupe_key=f"emergency-escalated:{emergency.pk}",
        )
    return True


@transaction.atomic
def emergency_escalate(*, emergency_id, now: datetime | None = None) -> bool:
    """Escalate one emergency if it is still open and unassigned past the window (safe to run
    any number of times, from any number of processes: at most one run escalates)."""
    now = now or timezone.now()
    emergency = (
        EmergencyRequest.objects.filter(
            awaiting_escalation(), pk=emergency_id, created_at__lte=now - escalation_window()
        )
        .select_for_update(skip_locked=True)
        .first()
    )
    if emergency is None:
        return False
    return _escalate_now(emergency, reason="unassigned")


def emergencies_escalate_overdue(*, now: datetime | None = None) -> int:
    """The beat sweep: escalate every emergency the countdown task missed; returns how many."""
    now = now or timezone.now()
    overdue = EmergencyRequest.objects.filter(
        awaiting_escalation(), created_at__lte=now - escalation_window()
    ).values_list("pk", flat=True)
    return sum(emergency_escalate(emergency_id=pk, now=now) for pk in list(overdue[:500]))


# ---------------------------------------------------------------------------------------------
# Staff actions
# ---------------------------------------------------------------------------------------------
def _first_response(emergency: EmergencyRequest, fields: list[str]) -> None:
    if emergency.responded_at is None:
        emergency.responded_at = timezone.now()
        fields.append("responded_at")


@transaction.atomic
def emergency_assign(
    *, emergency: EmergencyRequest, actor: User, assignee_id, request=None
) -> EmergencyRequest:
    """Give the emergency to a staff member (a ward admin may take it themselves)."""
    assignee = User.objects.filter(pk=assignee_id).first()
    if assignee is None:
        raise NotFound()
    emergency = EmergencyRequest.objects.select_for_update().get(pk=emergency.pk)
    if not can_manage(actor, emergency):
        raise PermissionDenied()
    if emergency.status not in OPEN_STATUSES:
        raise Conflict(
            _("This emergency has been resolved already."), code=ErrorCode.EMERGENCY_CLOSED
        )
    if not may_take(assignee):
        message = _("An emergency can be assigned to active staff only.")
        raise ValidationFailed(
            message, code=ErrorCode.INVALID_ASSIGNEE, details={"assigned_to": [message]}
        )
    if emergency.assigned_to_id == assignee.pk:
        return emergency
    if emergency.assigned_to_id is not None and not may_hand_on(actor, emergency):
        raise Conflict(
            _("%(name)s is already handling this emergency.")
            % {"name": emergency.assigned_to.name},
            code=ErrorCode.ALREADY_ASSIGNED,
        )
    emergency.assigned_to = assignee
    fields = ["assigned_to", "updated_at"]
    _first_response(emergency, fields)
    emergency.save(update_fields=fields)
    transaction.on_commit(dashboard_touch)
    update = EmergencyUpdate.objects.create(
        emergency=emergency,
        updated_by=actor,
        old_status=emergency.status,
        new_status=emergency.status,
        assigned_to=assignee,
    )
    activity_record(
        action=ActivityAction.EMERGENCY_ASSIGNED,
        actor=actor,
        request=request,
        resource=emergency,
        details={"assigned_to": str(assignee.pk)},
    )
    if assignee.pk != actor.pk:
        notification_send(
            user=assignee,
            kind="emergency.assigned",
            title=_("Emergency assigned to you: %(type)s"),
            body=_("%(location)s (ward %(ward)s). Please respond now."),
            params=_params(emergency),
            data=_notification_data(emergency),
            dedupe_key=f"emergency-assigned:{update.pk}",
        )
    notification_send(
        user=emergency.user,
        kind="emergency.taken",
        title=_("%(name)s is handling your emergency"),
        body=_("Your %(type)s emergency at %(location)s has been taken up."),
        params={**_params(emergency), "name": assignee.name},
        data=_notification_data(emergency),
        dedupe_key=f"emergency-taken:{update.pk}",
    )
    return emergency


@transaction.atomic
def emergency_change_status(
    *,
    emergency: EmergencyRequest,
    actor: User,
    new_status: str,
    comment: str | None = None,
    request=None,
) -> EmergencyUpdate:
    """Move an emergency along (submitted → in progress → resolved); the citizen is told.

    Staff who act on an emergency nobody holds take it, so it is not escalated behind them.
    """
    emergency = EmergencyRequest.objects.select_for_update().get(pk=emergency.pk)
    if not can_manage(actor, emergency):
        raise PermissionDenied()
    old_status = emergency.status
    if new_status not in TRANSITIONS[old_status]:
        raise Conflict(
            _("An emergency cannot move from “%(old)s” to “%(new)s”.")
            % {"old": EmergencyStatus(old_status).label, "new": EmergencyStatus(new_status).label},
            code=ErrorCode.INVALID_TRANSITION,
        )
    emergency.status = new_status
    fields = ["status", "updated_at"]
    if new_status == EmergencyStatus.RESOLVED:
        emergency.resolved_at = timezone.now()
        fields.append("resolved_at")
    if emergency.assigned_to_id is None:
        emergency.assigned_to = actor
        fields.append("assigned_to")
    _first_response(emergency, fields)
    emergency.save(update_fields=fields)
    transaction.on_commit(dashboard_touch)
    update = EmergencyUpdate.objects.create(
        emergency=emergency,
        updated_by=actor,
        old_status=old_status,
        new_status=new_status,
        assigned_to=emergency.assigned_to,
        comment=comment or None,
    )
    activity_record(
        action=ActivityAction.EMERGENCY_STATUS_CHANGED,
        actor=actor,
        request=request,
        resource=emergency,
        details={"from": STATUS_CODES[old_status], "to": STATUS_CODES[new_status]},
    )
    notification_send(
        user=emergency.user,
        kind="emergency.status_changed",
        title=_("Emergency: %(status)s"),
        body=_("Your %(type)s emergency at %(location)s is now: %(status)s. %(comment)s"),
        params={
            **_params(emergency),
            "status": EmergencyStatus(new_status).label,
            "comment": comment or "",
        },
        data=_notification_data(emergency),
        dedupe_key=f"emergency-status:{update.pk}",
    )
    return update
