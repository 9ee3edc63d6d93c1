"""Writes of /admin-users/: staff accounts (create, edit, deactivate) and their permission sets.

Only ward admins and service providers are managed here; every write leaves an audit row.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.accounts import account_forget
from core.exceptions import ErrorCode, NotFound, ValidationFailed
from core.websocket import sockets_recheck

from .models import ActivityAction, AdminPermission, User
from .policy import DEFAULT_STAFF_PERMISSION, PERMISSION_TYPES, STAFF_ACCOUNT_TYPES
from .services import (
    activity_record,
    user_create,
    user_deactivate,
    user_update_by_staff,
    ward_number_normalize,
)

STAFF_ACCOUNT_FIELDS = ("name", "email", "ward_number", "user_type", "is_active")
# A flag a row leaves out takes the model's default: read yes, everything else no.
PERMISSION_FLAGS = {"can_create": False, "can_read": True, "can_update": False, "can_delete": False}
PERMISSION_FIELDS = ("permission_type", "resource_type", "ward_numbers", *PERMISSION_FLAGS)


def _refuse_unmanaged_type(user_type: str) -> None:
    if user_type not in STAFF_ACCOUNT_TYPES:
        message = _("Only ward admin and service provider accounts are managed here.")
        raise ValidationFailed(message, details={"user_type": [message]})


def _staff_account_lock(account: User) -> User:
    """Lock the account row; one that is no longer a staff account is not ours to change."""
    locked = User.objects.select_for_update().filter(pk=account.pk).first()
    if locked is None or locked.user_type not in STAFF_ACCOUNT_TYPES:
        raise NotFound()
    return locked


def _password_validate(password: str, *, user: User) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages[0], details={"password": exc.messages}) from exc


def _ward_sort_key(ward: str) -> tuple[int, str]:
    return (len(ward), ward)  # numbers are text: ward 2 before ward 10


def wards_clean(ward_numbers: list, *, field: str) -> list[str]:
    """Canonical ward numbers in number order; an unknown or repeated ward is refused."""
    cleaned: list[str] = []
    for raw in ward_numbers:
        try:
            ward = ward_number_normalize(raw)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, details={field: [exc.message]}) from exc
        if ward is None:
            message = _("Unknown ward.")
            raise ValidationFailed(message, details={field: [message]})
        if ward in cleaned:
            message = _("Ward %(ward)s is listed more than once.") % {"ward": ward}
            raise ValidationFailed(message, details={field: [message]})
        cleaned.append(ward)
    return sorted(cleaned, key=_ward_sort_key)


def permission_summary(permission: AdminPermission | dict) -> dict:
    """A permission row as plain data, for audit details and for comparing sets."""
    if not isinstance(permission, dict):
        permission = {field: getattr(permission, field) for field in PERMISSION_FIELDS}
    return {
        "permission_type": permission["permission_type"],
        "resource_type": permission["resource_type"],
        "ward_numbers": [str(ward) for ward in permission["ward_numbers"] or []],
        **{flag: bool(permission[flag]) for flag in PERMISSION_FLAGS},
    }


RESOURCE_TYPE_MAX_CHARS = AdminPermission._meta.get_field("resource_type").max_length


def _permission_rows_clean(rows: list[dict]) -> list[dict]:
    """Check every row (known type, known wards, no type twice); all problems in one 400."""
    errors: dict[str, list] = {}
    cleaned, seen = [], set()
    for index, row in enumerate(rows):
        prefix = f"permissions.{index}"
        permission_type = row.get("permission_type")
        if permission_type not in PERMISSION_TYPES:
            errors[f"{prefix}.permission_type"] = [_("Unknown permission type.")]
        elif permission_type in seen:
            errors[f"{prefix}.permission_type"] = [
                _("This permission type is listed more than once.")
            ]
        seen.add(permission_type)
        resource_type = (row.get("resource_type") or "").strip() or None
        if resource_type is not None and (
            len(resource_type) > RESOURCE_TYPE_MAX_CHARS or "\x00" in resource_type
        ):  # the column's limit; NUL would be PostgreSQL's 500
            errors[f"{prefix}.resource_type"] = [
                _("Use at most %(limit)d plain characters.") % {"limit": RESOURCE_TYPE_MAX_CHARS}
            ]
        try:
            wards = wards_clean(row.get("ward_numbers") or [], field=f"{prefix}.ward_numbers")
        except ValidationFailed as exc:
            errors.update(exc.details)
            wards = []
        cleaned.append(
            {
                "permission_type": permission_type,
                "resource_type": resource_type,
                "ward_numbers": wards,
                **{
                    flag: bool(row.get(flag, default)) for flag, default in PERMISSION_FLAGS.items()
                },
            }
        )
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], details=errors)
    return cleaned


@transaction.atomic
def staff_account_create(
    *,
    actor: User,
    phone: str,
    name: str,
    password: str,
    user_type: str,
    email: str | None = None,
    ward_number: str | None = None,
    ward_numbers: list | None = None,
    request=None,
) -> User:
    """Create a verified ward admin or service provider (``phone`` already E.164).

    ``ward_numbers`` gives the account the default permission there (read and update
    complaints). Everything is checked before anything is written.
    """
    _refuse_unmanaged_type(user_type)
    if User.objects.filter(phone=phone).exists():
        message = _("An account with this phone number already exists.")
        raise ValidationFailed(message, code=ErrorCode.PHONE_TAKEN, details={"phone": [message]})
    _password_validate(password, user=User(phone=phone, name=name, email=email or None))
    wards = wards_clean(ward_numbers or [], field="ward_numbers")
    account = user_create(
        phone=phone,
        name=name,
        password=password,
        user_type=user_type,
        is_verified=True,  # the super admin vouches for the phone, as in Django admin
        email=email,
        ward_number=ward_number,
    )
    permissions = []
    if wards:
        permissions.append(
            AdminPermission.objects.create(
                admin=account, ward_numbers=wards, **DEFAULT_STAFF_PERMISSION
            )
        )
    activity_record(
        action=ActivityAction.STAFF_CREATED,
        actor=actor,
        request=request,
        resource=account,
        details={
            "user_type": account.user_type,
            "ward_number": account.ward_number,
            "email_given": bool(account.email),
            "permissions": [permission_summary(p) for p in permissions],
        },
    )
    return account


@transaction.atomic
def staff_account_update(*, actor: User, account: User, data: dict, request=None) -> User:
    """Edit name, email, ward, role (between admin and provider) or active flag; audited."""
    account = _staff_account_lock(account)
    if "user_type" in data:
        _refuse_unmanaged_type(data["user_type"])
    changes = {field: data[field] for field in STAFF_ACCOUNT_FIELDS if field in data}
    return user_update_by_staff(actor=actor, user=account, data=changes, request=request)


@transaction.atomic
def staff_account_deactivate(*, actor: User, account: User, request=None) -> User:
    """Switch the account off and end its sessions; the row and its history stay."""
    account = _staff_account_lock(account)
    return user_deactivate(actor=actor, user=account, request=request)


@transaction.atomic
def admin_permissions_replace(
    *, actor: User, account: User, permissions: list[dict], request=None
) -> list[AdminPermission]:
    """Replace the account's whole permission set; a bad row refuses all and changes nothing."""
    from .admin_selectors import admin_permission_list

    account = _staff_account_lock(account)
    rows = _permission_rows_clean(permissions)
    current = list(admin_permission_list(account=account))

    def canonical(summaries: list[dict]) -> list[dict]:
        return sorted(summaries, key=lambda s: (s["permission_type"], s["resource_type"] or ""))

    before = canonical([permission_summary(p) for p in current])
    after = canonical([permission_summary(row) for row in rows])
    if before == after:
        return current
    AdminPermission.objects.filter(admin=account).delete()
    AdminPermission.objects.bulk_create([AdminPermission(admin=account, **row) for row in rows])
    account_forget(account.pk)  # bulk_create sends no post_save: the kept permissions go
    sockets_recheck(account.pk)  # open sockets take the new rights
    activity_record(
        action=ActivityAction.PERMISSIONS_CHANGED,
        actor=actor,
        request=request,
        resource=account,
        details={"before": before, "after": after},
    )
    return list(admin_permission_list(account=account))
