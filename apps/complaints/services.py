"""Writes of complaints: filing with photos, edits, status moves, assignment, ratings."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import notification_send, staff_feed_publish
from apps.users.models import ActivityAction, User, UserType
from apps.users.policy import ALL_WARDS, permitted_wards
from apps.users.selectors import ward_nearest
from apps.users.services import activity_record, ward_number_normalize
from core.exceptions import Conflict, ErrorCode, NotFound, PermissionDenied, ValidationFailed
from core.figures import dashboard_touch
from core.rls import as_system

from .enums import MAX_IMAGES, OPEN_STATUSES, STATUS_CODES, TRANSITIONS, Status
from .models import Complaint, ComplaintImage, ComplaintUpdate
from .photos import (
    files_delete,
    photos_prepare,
    photos_store,
    proof_photo_store,
    too_many_photos,
)
from .policy import RESOURCE, can_manage, is_owner
from .tracking import tracking_number_next

# A complaint without a ward takes the nearest ward centre within this distance of its location.
WARD_MATCH_RADIUS_KM = 3.0

OWNER_EDITABLE = (
    "title",
    "description",
    "category",
    "priority",
    "location",
    "latitude",
    "longitude",
    "ward_number",
)
STAFF_EDITABLE = ("priority", "ward_number")


# ---------------------------------------------------------------------------------------------
# Filing
# ---------------------------------------------------------------------------------------------
def complaint_create(
    *, user: User, data: dict, images=(), after_create: Callable[[Complaint], None] | None = None
) -> Complaint:
    """File a complaint with up to five photos. Nothing is written unless every photo is good.

    ``after_create(complaint)`` runs inside the filing's transaction (Open311 records its reporter
    there), so callers never need a transaction of their own around this one.
    """
    images = list(images)
    if len(images) > MAX_IMAGES:
        raise too_many_photos()
    photos = photos_prepare(images)
    fields = dict(data)
    if fields.get("latitude") is None and fields.get("longitude") is None:
        gps = next((photo.gps for photo in photos if photo.gps), None)
        if gps:
            fields["latitude"], fields["longitude"] = gps
    fields["ward_number"] = ward_number_normalize(fields.get("ward_number"))
    if fields["ward_number"] is None and fields.get("latitude") is not None:
        fields["ward_number"] = ward_nearest(
            latitude=fields["latitude"], longitude=fields["longitude"], km=WARD_MATCH_RADIUS_KM
        )
    # The number is taken in its own short transaction: its counter row stays locked only for
    # that statement, not while photos are written. A filing that then fails leaves a gap.
    with transaction.atomic():
        tracking_number = tracking_number_next()
    saved: list[str] = []
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                user=user, tracking_number=tracking_number, **fields
            )
            photos_store(complaint, photos, saved)
            if after_create is not None:
                after_create(complaint)
            transaction.on_commit(dashboard_touch)
            notification_send(
                user=user,
                kind="complaint.received",
                title=_("Complaint received"),
                body=_("Your complaint %(tracking)s has been received. We will keep you posted."),
                params={"tracking": complaint.tracking_number},
                data=_notification_data(complaint),
                channels=("in_app", "push"),
                dedupe_key=f"complaint-received:{complaint.pk}",
            )
            staff_feed_publish(
                resource=RESOURCE,
                ward_number=complaint.ward_number,
                payload={
                    "type": "complaint.created",
                    "complaint_id": complaint.pk,
                    "tracking_number": complaint.tracking_number,
                    "title": complaint.title,
                    "category": complaint.category,
                    "priority": complaint.priority,
                    "ward_number": complaint.ward_number,
                    "created_at": complaint.created_at,
                },
            )
    except BaseException:
        files_delete(saved)
        raise
    return complaint


def complaint_add_images(*, complaint: Complaint, actor: User, images) -> list[ComplaintImage]:
    """The citizen adds photos to an open complaint; at most five in all."""
    if not is_owner(actor, complaint):
        raise PermissionDenied()
    images = list(images)
    if not images:
        message = _("Attach at least one photo.")
        raise ValidationFailed(message, details={"images": [message]})
    photos = photos_prepare(images)
    saved: list[str] = []
    try:
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
            if complaint.status not in OPEN_STATUSES:
                raise _closed()
            if complaint.images.count() + len(photos) > MAX_IMAGES:
                raise too_many_photos()
            photos_store(complaint, photos, saved)
            # update() sends no signal; the photos' own writes retire the pages showing the
            # complaint (pages.part_written), at this transaction's commit.
            Complaint.objects.filter(pk=complaint.pk).update(updated_at=timezone.now())
    except BaseException:
        files_delete(saved)
        raise
    return list(complaint.images.all())


def _closed() -> Conflict:
    return Conflict(_("This complaint is closed."), code=ErrorCode.COMPLAINT_CLOSED)


# ---------------------------------------------------------------------------------------------
# Edits and deletion
# ---------------------------------------------------------------------------------------------
def _check_ward_target(actor: User, ward: str | None) -> None:
    """A ward admin may hand a complaint only to a ward they manage (super admins: any)."""
    wards = permitted_wards(actor, resource=RESOURCE, action="update")
    if wards is ALL_WARDS or (ward is not None and ward in wards):
        return
    message = _("You can only move complaints into wards you manage.")
    raise PermissionDenied(message, details={"ward_number": [message]})


@transaction.atomic
def complaint_update(*, complaint: Complaint, actor: User, data: dict, request=None) -> Complaint:
    """The owner edits the text while it is still submitted; staff re-prioritise or re-ward it."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if is_owner(actor, complaint) and not can_manage(actor, complaint):
        if complaint.status != Status.SUBMITTED:
            raise Conflict(
                _("A complaint can only be edited before work on it starts."),
                code=ErrorCode.NOT_EDITABLE,
            )
        allowed = OWNER_EDITABLE
    elif can_manage(actor, complaint):
        # A provider re-prioritises; moving a complaint between wards is for ward admins.
        allowed = ("priority",) if actor.user_type == UserType.SERVICE_PROVIDER else STAFF_EDITABLE
    else:
        raise PermissionDenied()
    refused = sorted(set(data) - set(allowed))
    if refused:
        message = _("You cannot change these fields.")
        raise ValidationFailed(
            message, code=ErrorCode.FIELD_NOT_EDITABLE, details={f: [message] for f in refused}
        )
    if "ward_number" in data and allowed is STAFF_EDITABLE:
        _check_ward_target(actor, ward_number_normalize(data["ward_number"]))
    changed = []
    for field, value in data.items():
        if field == "ward_number":
            value = ward_number_normalize(value)
        if getattr(complaint, field) != value:
            setattr(complaint, field, value)
            changed.append(field)
    if changed:
        complaint.full_clean()
        complaint.save(update_fields=[*changed, "updated_at"])
        transaction.on_commit(dashboard_touch)
        if actor.user_type != UserType.CITIZEN:
            activity_record(
                action=ActivityAction.COMPLAINT_UPDATED,
                actor=actor,
                request=request,
                resource=complaint,
                details={"fields": changed},
            )
    return complaint


def complaint_delete(*, complaint: Complaint, actor: User, request=None) -> None:
    """The owner withdraws a complaint before work starts; a super admin may remove any."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if actor.user_type == UserType.SUPER_ADMIN:
            activity_record(
                action=ActivityAction.COMPLAINT_DELETED,
                actor=actor,
                request=request,
                resource=complaint,
                details={"tracking_number": complaint.tracking_number},
            )
        elif is_owner(actor, complaint):
            if complaint.status != Status.SUBMITTED:
                raise Conflict(
                    _("A complaint can only be withdrawn before work on it starts."),
                    code=ErrorCode.NOT_DELETABLE,
                )
        else:
            raise PermissionDenied()
        files = [
            name for row in complaint.images.all() for name in (row.image.name, row.thumbnail.name)
        ]
        complaint.delete()
        transaction.on_commit(dashboard_touch)
        transaction.on_commit(lambda: files_delete(files))


# ---------------------------------------------------------------------------------------------
# Workflow
# ---------------------------------------------------------------------------------------------
def _notification_data(complaint: Complaint) -> dict:
    return {
        "complaint_id": str(complaint.pk),
        "tracking_number": complaint.tracking_number,
        "status": complaint.status,
        "status_code": STATUS_CODES[complaint.status],
    }


def complaint_change_status(
    *,
    complaint: Complaint,
    actor: User,
    new_status: str,
    comment: str | None = None,
    photo=None,
    request=None,
) -> ComplaintUpdate:
    """Move a complaint along its workflow, with a photo of the work if there is one (proof of
    the fix: the citizen and the public page see it); the citizen is told after commit."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            return _status_change(
                complaint=complaint,
                actor=actor,
                new_status=new_status,
                comment=comment,
                photo=photo,
                saved=saved,
                request=request,
            )
    except BaseException:
        files_delete(saved)
        raise


def _status_change(
    *, complaint, actor, new_status, comment, photo, saved, request
) -> ComplaintUpdate:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not can_manage(actor, complaint):
        raise PermissionDenied()
    old_status = complaint.status
    if new_status not in TRANSITIONS[old_status]:
        raise Conflict(
            _("A complaint cannot move from “%(old)s” to “%(new)s”.")
            % {"old": Status(old_status).label, "new": Status(new_status).label},
            code=ErrorCode.INVALID_TRANSITION,
        )
    if (
        new_status == Status.RESOLVED
        and photo is None
        and actor.user_type == UserType.SERVICE_PROVIDER
    ):
        # The citizen and the public page see the fixed spot; the field crew always has a camera.
        message = _("Attach a photo of the fixed spot to resolve the complaint.")
        raise ValidationFailed(
            message, code=ErrorCode.PROOF_PHOTO_REQUIRED, details={"photo": [message]}
        )
    complaint.status = new_status
    if new_status == Status.RESOLVED:
        complaint.resolved_at = timezone.now()
    elif old_status == Status.RESOLVED:
        complaint.resolved_at = None  # reopened
    complaint.save(update_fields=["status", "resolved_at", "updated_at"])
    transaction.on_commit(dashboard_touch)
    update = ComplaintUpdate(
        complaint=complaint,
        updated_by=actor,
        old_status=old_status,
        new_status=new_status,
        comment=comment or None,
    )
    if photo is not None:
        proof_photo_store(update, photo, saved)
    update.save()
    activity_record(
        action=ActivityAction.COMPLAINT_STATUS_CHANGED,
        actor=actor,
        request=request,
        resource=complaint,
        details={"from": STATUS_CODES[old_status], "to": STATUS_CODES[new_status]},
    )
    notification_send(
        user=complaint.user,
        kind="complaint.status_changed",
        title=_("Complaint %(tracking)s: %(status)s"),
        body=_("Your complaint “%(title)s” is now: %(status)s. %(comment)s"),
        params={
            "tracking": complaint.tracking_number,
            "title": complaint.title[:60],
            "status": Status(new_status).label,
            "comment": comment or "",
        },
        data=_notification_data(complaint),
        dedupe_key=f"complaint-status:{update.pk}",
    )
    return update


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor: User, assignee_id, request=None) -> Complaint:
    """Give the work to a ward admin or a service provider (None takes it back)."""
    assignee = None
    if assignee_id is not None:
        with as_system():  # any account is looked up; the rule below takes active staff only
            assignee = User.objects.filter(pk=assignee_id).first()
        if assignee is None:
            raise NotFound()
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not can_manage(actor, complaint):
        raise PermissionDenied()
    if complaint.status not in OPEN_STATUSES:
        raise _closed()
    if assignee is not None and (
        not assignee.is_active
        or assignee.user_type not in (UserType.ADMIN, UserType.SERVICE_PROVIDER)
    ):
        message = _("Complaints can be assigned to active ward admins or service providers only.")
        raise ValidationFailed(
            message, code=ErrorCode.INVALID_ASSIGNEE, details={"assigned_to": [message]}
        )
    if complaint.assigned_to_id == (assignee.pk if assignee else None):
        return complaint
    complaint.assigned_to = assignee
    # Handing the work over may take the row out of the actor's own sight, which PostgreSQL's
    # row-level security would refuse on its own; can_manage above is the rule that decides.
    with as_system():
        complaint.save(update_fields=["assigned_to", "updated_at"])
    transaction.on_commit(dashboard_touch)
    audit = activity_record(
        action=ActivityAction.COMPLAINT_ASSIGNED,
        actor=actor,
        request=request,
        resource=complaint,
        details={"assigned_to": str(assignee.pk) if assignee else None},
    )
    if assignee is not None:
        notification_send(
            user=assignee,
            kind="complaint.assigned",
            title=_("New work: %(tracking)s"),
            body=_("“%(title)s” at %(location)s has been assigned to you."),
            params={
                "tracking": complaint.tracking_number,
                "title": complaint.title[:60],
                "location": complaint.location[:80],
            },
            data=_notification_data(complaint),
            channels=("in_app", "push"),
            dedupe_key=f"complaint-assigned:{audit.pk}",
        )
    return complaint


@transaction.atomic
def complaint_rate(
    *, complaint: Complaint, actor: User, rating: int, feedback: str | None = None
) -> Complaint:
    """The citizen rates a resolved complaint, once (it feeds citizen satisfaction)."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not is_owner(actor, complaint):
        raise PermissionDenied()
    if complaint.status != Status.RESOLVED:
        raise Conflict(_("Only a resolved complaint can be rated."), code=ErrorCode.NOT_RESOLVED)
    if complaint.rated_at is not None:
        raise Conflict(_("You have already rated this complaint."), code=ErrorCode.ALREADY_RATED)
    complaint.rating = rating
    complaint.feedback = feedback or None
    complaint.rated_at = timezone.now()
    complaint.save(update_fields=["rating", "feedback", "rated_at", "updated_at"])
    transaction.on_commit(dashboard_touch)
    return complaint
