"""Writes to users: creation, profile and avatar, staff edits, deactivation, audit records."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from core.accounts import account_forget
from core.exceptions import Conflict, ErrorCode, ValidationFailed
from core.figures import accounts_touch
from core.images import image_decode, image_square
from core.request import client_ip, user_agent
from core.text import ward_digits
from core.websocket import sockets_recheck

from .models import ActivityAction, ActivityLog, AdminPermission, User, UserType

logger = logging.getLogger(__name__)

T = TypeVar("T")

PROFILE_FIELDS = ("name", "email", "nid", "address", "ward_number", "language")
STAFF_EDITABLE_FIELDS = (*PROFILE_FIELDS, "user_type", "is_active", "is_verified")
REGISTRATION_FIELDS = ("name", "email", "nid", "address", "ward_number", "language")


def phone_taken() -> ValidationFailed:
    message = _("This phone number is already registered. Please sign in.")
    return ValidationFailed(message, code=ErrorCode.PHONE_TAKEN, details={"phone": [message]})


def email_taken() -> ValidationFailed:
    return ValidationFailed(
        _("This email address is already used by another account."),
        code=ErrorCode.EMAIL_TAKEN,
        details={"email": [_("Already in use.")]},
    )


def ward_number_normalize(value: str | None) -> str | None:
    """'০৫', ' 5 ' and '05' all mean ward '5'; the Ward table must know it."""
    from .selectors import ward_exists

    if value is None:
        return None
    cleaned = ward_digits(value)
    if not cleaned:
        return None
    # NUL first: PostgreSQL refuses to even compare it (a 500 instead of "unknown ward").
    if len(cleaned) > 10 or "\x00" in cleaned or not ward_exists(cleaned):
        shown = cleaned[:10].replace("\x00", "")
        raise ValidationFailed(
            _("There is no ward %(ward)s in this city corporation.") % {"ward": shown},
            details={"ward_number": [_("Unknown ward.")]},
        )
    return cleaned


def _ensure_email_free(email: str | None, *, exclude: User | None = None) -> None:
    if not email:
        return
    taken = User.objects.filter(email__iexact=email)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise email_taken()


def user_details_clean(*, data: dict, exclude: User | None = None) -> dict:
    """Normalise optional account details: blank means none, ward known, email not taken."""
    cleaned = {key: (value or None) for key, value in data.items()}
    if "ward_number" in cleaned:
        cleaned["ward_number"] = ward_number_normalize(cleaned["ward_number"])
    _ensure_email_free(cleaned.get("email"), exclude=exclude)
    return cleaned


def _unique_save(save: Callable[[], T], *, phone: str | None = None) -> T:
    """Run ``save``; a unique-key race lost to a concurrent request becomes a 400, not a 500."""
    try:
        with transaction.atomic():
            transaction.on_commit(accounts_touch)  # dropped if the save fails
            return save()
    except IntegrityError as exc:
        if phone is not None and User.objects.filter(phone=phone).exists():
            raise phone_taken() from exc
        raise email_taken() from exc


def activity_record(
    *,
    action: ActivityAction,
    actor: User | None = None,
    request=None,
    resource: Any = None,
    details: dict | None = None,
) -> ActivityLog:
    """Append one audit row. ``resource`` is a model instance (its type and UUID are kept).

    ``action`` must be an ActivityAction member: the trail's vocabulary is that enum, with a
    label for people, and nothing else.
    """
    if not isinstance(action, ActivityAction):
        raise TypeError(f"activity_record takes an ActivityAction, not {action!r}.")
    resource_type = resource_id = None
    if resource is not None:
        resource_type = resource._meta.model_name
        resource_id = resource.pk if isinstance(resource.pk, uuid.UUID) else None
    return ActivityLog.objects.create(
        user=actor if actor is not None and actor.pk else None,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        ip_address=client_ip(request) if request is not None else None,
        user_agent=user_agent(request) if request is not None else None,
        details=details or {},
    )


def user_create(
    *,
    phone: str,
    name: str,
    password: str | None,
    user_type: str = UserType.CITIZEN,
    is_verified: bool = False,
    **fields,
) -> User:
    """Create an account; ``phone`` must already be E.164 (serializers normalise it)."""
    fields = user_details_clean(data=fields)
    return _unique_save(
        lambda: User.objects.create_user(
            phone=phone,
            password=password,
            name=name,
            user_type=user_type,
            is_verified=is_verified,
            is_staff=user_type == UserType.SUPER_ADMIN,
            is_superuser=user_type == UserType.SUPER_ADMIN,
            **fields,
        ),
        phone=phone,
    )


def user_apply_registration(*, user: User, payload: dict) -> User:
    """Apply the details a verified registration code carried (the caller holds the row lock)."""
    for field in REGISTRATION_FIELDS:
        if field in payload:
            setattr(user, field, payload[field])
    user.password = payload["password"]  # already hashed when the registration arrived
    _ensure_email_free(user.email, exclude=user)
    user.full_clean(exclude=["password"])
    _unique_save(user.save)
    return user


def _apply(user: User, data: dict, allowed: tuple[str, ...]) -> list[str]:
    changed = []
    for field in allowed:
        if field not in data:
            continue
        value = data[field]
        if field == "ward_number":
            value = ward_number_normalize(value)
        if field == "email":
            value = value or None
            _ensure_email_free(value, exclude=user)
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    return changed


@transaction.atomic
def user_update_profile(*, user: User, data: dict, request=None) -> User:
    """A person edits their own profile (phone changes need an OTP and are not done here)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = _apply(user, data, PROFILE_FIELDS)
    if changed:
        user.full_clean(exclude=["password"])
        _unique_save(lambda: user.save(update_fields=[*changed, "updated_at"]))
        activity_record(
            action=ActivityAction.PROFILE_UPDATED,
            actor=user,
            request=request,
            resource=user,
            details={"fields": changed},
        )
    return user


def _refuse_self_lockout(*, actor: User, user: User, data: dict) -> None:
    """A super admin cannot demote or switch off their own account (it may be the city's last)."""
    if actor.pk != user.pk:
        return
    if data.get("user_type", user.user_type) != user.user_type or data.get("is_active") is False:
        raise Conflict(
            _("You cannot change your own role or deactivate your own account."),
            code=ErrorCode.CANNOT_CHANGE_SELF,
        )


@transaction.atomic
def user_update_by_staff(*, actor: User, user: User, data: dict, request=None) -> User:
    """A super admin edits another account; a role change or deactivation ends its sessions."""
    _refuse_self_lockout(actor=actor, user=user, data=data)
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = _apply(user, data, STAFF_EDITABLE_FIELDS)
    if "user_type" in changed:
        is_super = user.user_type == UserType.SUPER_ADMIN
        for flag in ("is_staff", "is_superuser"):
            if getattr(user, flag) != is_super:
                setattr(user, flag, is_super)
                changed.append(flag)
    if changed:
        user.full_clean(exclude=["password"])
        _unique_save(lambda: user.save(update_fields=[*changed, "updated_at"]))
        if "user_type" in changed or not user.is_active:
            user_revoke_tokens(user=user)
        activity_record(
            action=ActivityAction.USER_UPDATED,
            actor=actor,
            request=request,
            resource=user,
            details={"fields": changed},
        )
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, request=None) -> User:
    """Accounts are never deleted (their complaints and payments stay); they are switched off."""
    _refuse_self_lockout(actor=actor, user=user, data={"is_active": False})
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active", "updated_at"])
        transaction.on_commit(accounts_touch)
        user_revoke_tokens(user=user)
        activity_record(
            action=ActivityAction.USER_DEACTIVATED, actor=actor, request=request, resource=user
        )
    return user


def user_set_avatar(*, user: User, upload, request=None) -> User:
    """Store a compressed square avatar decoded from ``upload``; the old file goes after commit."""
    decoded = image_decode(upload, field="avatar")
    content = image_square(decoded.image, size=settings.AVATAR_SIZE_PX)
    field = User._meta.get_field("profile_picture")
    storage = field.storage
    stored = storage.save(field.generate_filename(user, content.name), content)
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            old = user.profile_picture.name if user.profile_picture else None
            user.profile_picture.name = stored
            user.save(update_fields=["profile_picture", "updated_at"])
            activity_record(
                action=ActivityAction.PROFILE_UPDATED,
                actor=user,
                request=request,
                resource=user,
                details={"fields": ["profile_picture"]},
            )
            if old:
                transaction.on_commit(lambda: storage.delete(old))
    except BaseException:
        storage.delete(stored)  # the row never pointed at it
        raise
    return user


def user_set_password(*, user: User, password: str) -> User:
    """Set a password chosen by the system (demo accounts); every session of the user ends."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password", "updated_at"])
        user_revoke_tokens(user=user)
    return user


def admin_permission_grant(
    *,
    admin: User,
    permission_type: str,
    ward_numbers: list[str],
    resource_type: str | None = None,
    can_create: bool = False,
    can_read: bool = True,
    can_update: bool = False,
    can_delete: bool = False,
) -> AdminPermission:
    """Give a staff member one permission row (replacing an earlier row of the same type)."""
    wards = [ward_number_normalize(ward) for ward in ward_numbers]
    permission, _created = AdminPermission.objects.update_or_create(
        admin=admin,
        permission_type=permission_type,
        defaults={
            "resource_type": resource_type,
            "ward_numbers": wards,
            "can_create": can_create,
            "can_read": can_read,
            "can_update": can_update,
            "can_delete": can_delete,
        },
    )
    sockets_recheck(admin.pk)  # open sockets take the new rights, after the write
    return permission


def user_revoke_tokens(*, user: User) -> int:
    """Blacklist every refresh token the user holds and end their web sessions (console, admin);
    returns how many tokens were still live. Their open sockets check their session again (and
    close if it no longer stands)."""
    user.sessions_ended_at = timezone.now()
    User.objects.filter(pk=user.pk).update(sessions_ended_at=user.sessions_ended_at)
    account_forget(user.pk)  # update() sends no post_save
    sockets_recheck(user.pk)
    outstanding = OutstandingToken.objects.filter(user=user).exclude(
        id__in=BlacklistedToken.objects.filter(token__user=user).values("token_id")
    )
    tokens = list(outstanding)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in tokens], ignore_conflicts=True
    )
    return len(tokens)
