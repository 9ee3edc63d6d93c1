"""Writes for Open311: issuing and revoking API keys, and filing a service request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.complaints.models import Complaint
from apps.complaints.services import complaint_create
from apps.users.models import ActivityAction, User, UserType
from apps.users.services import activity_record
from core.exceptions import ValidationFailed

from .catalog import Service
from .keys import api_key_digest, api_key_generate, api_key_visible_part
from .models import Open311ApiKey, Open311Request

TITLE_CHARS = 60
REPORTER_FIELDS = ("email", "first_name", "last_name", "phone", "device_id", "account_id")


@dataclass(frozen=True)
class IssuedKey:
    """A key with its secret: the only moment the secret exists outside the client's hands."""

    api_key: Open311ApiKey
    secret: str


def _integration_account_create(*, name: str) -> User:
    """The account a client's reports are filed under: not a person, cannot sign in, no phone.

    ``phone`` is the account's unique login name; an integration gets a marker that no phone
    number can match (and that no SMS gateway would accept), never someone's real number.
    """
    user = User(
        phone=f"open311-{uuid.uuid4().hex[:12]}",
        name=name[:100],
        user_type=UserType.CITIZEN,
        is_verified=True,
        password=make_password(None),
    )
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def open311_api_key_create(*, name: str, actor: User | None = None, request=None) -> IssuedKey:
    """A new client: its integration account and a fresh key (shown once, stored hashed)."""
    name = " ".join(name.split())[:100]
    if not name:
        message = _("Name the client application.")
        raise ValidationFailed(message, details={"name": [message]})
    secret = api_key_generate()
    api_key = Open311ApiKey.objects.create(
        name=name,
        key_prefix=api_key_visible_part(secret),
        key_hash=api_key_digest(secret),
        owner=_integration_account_create(name=name),
    )
    activity_record(
        action=ActivityAction.OPEN311_KEY_CREATED,
        actor=actor,
        request=request,
        resource=api_key,
        details={"name": name, "key_prefix": api_key.key_prefix},
    )
    return IssuedKey(api_key=api_key, secret=secret)


@transaction.atomic
def open311_api_key_rotate(
    *, api_key: Open311ApiKey, actor: User | None = None, request=None
) -> IssuedKey:
    """Replace the secret (the old one stops working at once); reports stay with the account."""
    api_key = Open311ApiKey.objects.select_for_update().get(pk=api_key.pk)
    secret = api_key_generate()
    old_prefix = api_key.key_prefix
    api_key.key_prefix = api_key_visible_part(secret)
    api_key.key_hash = api_key_digest(secret)
    api_key.save(update_fields=["key_prefix", "key_hash"])
    activity_record(
        action=ActivityAction.OPEN311_KEY_ROTATED,
        actor=actor,
        request=request,
        resource=api_key,
        details={"old_key_prefix": old_prefix, "key_prefix": api_key.key_prefix},
    )
    return IssuedKey(api_key=api_key, secret=secret)


@transaction.atomic
def open311_api_key_revoke(
    *, api_key: Open311ApiKey, actor: User | None = None, request=None
) -> bool:
    """Switch a key off for good. Returns False when it was already off."""
    revoked = Open311ApiKey.objects.filter(pk=api_key.pk, is_active=True).update(is_active=False)
    if revoked:
        activity_record(
            action=ActivityAction.OPEN311_KEY_REVOKED,
            actor=actor,
            request=request,
            resource=api_key,
            details={"key_prefix": api_key.key_prefix},
        )
    return bool(revoked)


def open311_api_key_touch(*, api_key: Open311ApiKey) -> None:
    Open311ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def open311_request_create(*, api_key: Open311ApiKey, data: dict, images=()) -> Complaint:
    """File the report through the one complaint write path, under the key's account.

    ``data`` is validated input: the ``service`` (a catalog Service), description,
    address_string, lat/long (Decimal or None) and the reporter's details. The reporter is
    recorded beside the complaint, not as an account, inside the filing's own transaction: if that
    record cannot be written, nothing is filed and no photo is left behind. No transaction of our
    own wraps the filing, so its tracking-number counter stays locked only for a moment.
    """
    service: Service = data["service"]
    description = data.get("description") or service.name
    latitude, longitude = data.get("lat"), data.get("long")
    location = data.get("address_string") or f"{_plain(latitude)}, {_plain(longitude)}"

    def reporter_record(complaint: Complaint) -> None:
        Open311Request.objects.create(
            complaint=complaint,  # also caches complaint.open311_request for the answer
            api_key=api_key,
            media_url=data.get("media_url") or "",
            **{field: data.get(field) or "" for field in REPORTER_FIELDS},
        )

    return complaint_create(
        user=api_key.owner,
        data={
            "title": " ".join(description.split())[:TITLE_CHARS],
            "description": description,
            "category": service.category,
            "location": location,
            "latitude": latitude,
            "longitude": longitude,
        },
        images=images,
        after_create=reporter_record,
    )
