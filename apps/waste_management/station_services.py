"""Writes of transfer stations (STS): adding and editing stations, recording a load reading (by
staff or by a weighbridge holding a key), warning staff as a station fills, and the weighbridge
keys themselves.

A reading locks its station's row, so two readings of one station never both think they are the
newest: the row's current load is always the newest reading's, and its ``alert_level`` says which
warning was already given for the fill level it is at. A warning goes out once when a reading
takes the station across 80 % (the ward's staff) or 100 % (the super admins too), and again only
after a reading has taken it back below.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import notification_send, staff_feed_publish
from apps.users.models import ActivityAction, User
from apps.users.policy import Action
from apps.users.services import activity_record, ward_number_normalize
from core.exceptions import PermissionDenied, ValidationFailed
from core.figures import dashboard_touch

from .enums import STATION_FULL_PERCENT
from .models import StationDeviceKey, StationReading, TransferStation
from .station_selectors import (
    RESOURCE,
    WRONG_STATION,
    alert_level_of,
    station_may,
    station_staff_to_warn,
    utilization_percent,
)

# A weighbridge's clock may run a little ahead of ours; a reading further ahead is refused.
READING_CLOCK_LEEWAY = timedelta(minutes=2)
LOAD_MAX = Decimal("999999.99")  # the column's 8 digits, 2 after the point
KEY_PREFIX = "sts_"
KEY_VISIBLE_CHARS = 11  # "sts_" + 7 random characters: enough to tell keys apart

_REFUSALS = {
    "create": _("You can only add transfer stations in wards whose waste service you manage."),
    "update": _("You can only change transfer stations of wards whose waste service you manage."),
}
READING_REFUSED = _("You can only record loads at transfer stations of wards you manage.")
WARNING_TITLE = _("Transfer station %(name)s is %(percent)s%% full")
WARNING_BODY = _(
    "Ward %(ward)s: %(name)s holds %(load)s of its %(capacity)s tons. Please send vehicles to "
    "empty it."
)
FULL_TITLE = _("Transfer station %(name)s is full (%(percent)s%%)")
FULL_BODY = _(
    "Ward %(ward)s: %(name)s holds %(load)s tons; its capacity is %(capacity)s tons. Waste may "
    "overflow; please send vehicles now."
)


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


# ---------------------------------------------------------------------------------------------
# Stations
# ---------------------------------------------------------------------------------------------
def _authorize(actor: User, ward_number: str, *, action: Action) -> None:
    if not station_may(actor, ward_number, action=action):
        message = _REFUSALS[action]
        raise PermissionDenied(message, details={"ward_number": [message]})


def _fields_clean(data: dict, *, station: TransferStation | None) -> dict:
    """The fields a create (``station`` None) or an edit would write; 400 for bad values."""
    fields = {}
    if "name" in data or station is None:
        name = " ".join(str(data.get("name") or "").split())
        if not name:
            raise _invalid("name", _("This field may not be blank."))
        if len(name) > 200:
            raise _invalid("name", _("Ensure this field has no more than 200 characters."))
        fields["name"] = name
    if "ward_number" in data or station is None:
        try:
            ward = ward_number_normalize(data.get("ward_number"))
        except ValidationFailed as exc:
            raise _invalid("ward_number", exc.message) from exc
        if ward is None:
            raise _invalid("ward_number", _("This field is required."))
        fields["ward_number"] = ward
    if "capacity_tons" in data or station is None:
        capacity = data.get("capacity_tons")
        if capacity is None:
            raise _invalid("capacity_tons", _("This field is required."))
        if Decimal(capacity) <= 0:
            raise _invalid("capacity_tons", _("A transfer station's capacity must be above zero."))
        if Decimal(capacity) > LOAD_MAX:
            raise _invalid("capacity_tons", _("This capacity is too large."))
        fields["capacity_tons"] = Decimal(capacity).quantize(Decimal("0.01"))
    for name in ("latitude", "longitude", "is_active"):
        if name in data:
            fields[name] = data[name]
    latitude = fields.get("latitude", station.latitude if station else None)
    longitude = fields.get("longitude", station.longitude if station else None)
    if (latitude is None) != (longitude is None):
        raise _invalid("latitude", _("Give both latitude and longitude, or neither."))
    if "is_active" in fields and fields["is_active"] is None:
        raise _invalid("is_active", _("This field may not be null."))
    return fields


def station_input_check(*, actor: User, data: dict, station: TransferStation | None = None) -> None:
    """Raise what creating (or editing ``station`` with) ``data`` would raise; write nothing.
    Django admin asks this first, so a refusal shows on its form."""
    fields = _fields_clean(data, station=station)
    if station is not None:
        _authorize(actor, station.ward_number, action="update")
        if "ward_number" in fields:
            _authorize(actor, fields["ward_number"], action="update")
    else:
        _authorize(actor, fields["ward_number"], action="create")


@transaction.atomic
def station_create(*, actor: User, data: dict, request=None) -> TransferStation:
    """Add a transfer station in a ward whose waste service ``actor`` may create in."""
    fields = _fields_clean(data, station=None)
    _authorize(actor, fields["ward_number"], action="create")
    station = TransferStation.objects.create(**fields)
    activity_record(
        action=ActivityAction.STATION_CREATED,
        actor=actor,
        request=request,
        resource=station,
        details={"ward_number": station.ward_number, "capacity_tons": str(station.capacity_tons)},
    )
    transaction.on_commit(dashboard_touch)
    return station


@transaction.atomic
def station_update(
    *, station: TransferStation, actor: User, data: dict, request=None
) -> TransferStation:
    """Change a station (moving it to another ward needs update rights there too). A new
    capacity changes the fill level: the warning level follows it, without a warning."""
    station = TransferStation.objects.select_for_update().get(pk=station.pk)
    _authorize(actor, station.ward_number, action="update")
    fields = _fields_clean(data, station=station)
    if "ward_number" in fields and fields["ward_number"] != station.ward_number:
        _authorize(actor, fields["ward_number"], action="update")
    changed = [name for name, value in fields.items() if getattr(station, name) != value]
    if not changed:
        return station
    for name in changed:
        setattr(station, name, fields[name])
    if "capacity_tons" in changed:
        # Only a reading warns; an edit just keeps the level true, so the next crossing warns.
        percent = utilization_percent(station.current_load_tons, station.capacity_tons)
        station.alert_level = min(station.alert_level, alert_level_of(percent))
    station.save()
    activity_record(
        action=ActivityAction.STATION_UPDATED,
        actor=actor,
        request=request,
        resource=station,
        details={"fields": changed},
    )
    transaction.on_commit(dashboard_touch)
    return station


# ---------------------------------------------------------------------------------------------
# Readings
# ---------------------------------------------------------------------------------------------
def _reading_clean(load_tons, at, *, now):
    if load_tons is None:
        raise _invalid("load_tons", _("This field is required."))
    load = Decimal(load_tons).quantize(Decimal("0.01"))
    if load < 0:
        raise _invalid("load_tons", _("A load cannot be negative."))
    if load > LOAD_MAX:
        raise _invalid("load_tons", _("This load is too large."))
    if at is None:
        at = now
    if at > now + READING_CLOCK_LEEWAY:
        raise _invalid("at", _("A reading cannot be in the future."))
    return load, at


@transaction.atomic
def station_reading_record(
    *,
    station: TransferStation,
    load_tons,
    at=None,
    actor: User | None = None,
    device: StationDeviceKey | None = None,
    request=None,
) -> StationReading:
    """Store a load weighed at ``station`` by staff (``actor``, with `waste` update rights for its
    ward) or by its weighbridge (``device``). The newest reading becomes the station's current
    load; a crossing of 80 % or 100 % warns staff once (module docstring)."""
    load, at = _reading_clean(load_tons, at, now=timezone.now())
    # The rights are checked on the locked row: a station moved to another ward meanwhile is
    # judged by the ward it is in now.
    station = TransferStation.objects.select_for_update().get(pk=station.pk)
    if device is not None:
        if device.station_id != station.pk:
            raise PermissionDenied(WRONG_STATION)
        actor = None
    elif actor is None or not station_may(actor, station.ward_number, action="update"):
        raise PermissionDenied(READING_REFUSED)
    reading = StationReading.objects.create(
        station=station, load_tons=load, at=at, recorded_by=actor, device=device
    )
    newest = station.last_reading_at is None or at >= station.last_reading_at
    if newest:
        percent = utilization_percent(load, station.capacity_tons)
        level = alert_level_of(percent)
        crossed = level > station.alert_level
        station.current_load_tons, station.last_reading_at = load, at
        station.alert_level = level
        station.save(
            update_fields=["current_load_tons", "last_reading_at", "alert_level", "updated_at"]
        )
        if crossed:
            _warn(station, reading, percent=percent, level=level)
    transaction.on_commit(dashboard_touch)
    return reading


def _warn(station: TransferStation, reading: StationReading, *, percent, level: int) -> None:
    """Tell the ward's staff (and at 100 % the super admins) in-app and by push, and put an
    ``sts.alert`` on the staff live feed; all of it leaves only if the reading commits."""
    full = level >= int(STATION_FULL_PERCENT)
    params = {
        "name": station.name,
        "ward": station.ward_number,
        "percent": f"{percent:f}",
        "load": f"{station.current_load_tons:f}",
        "capacity": f"{station.capacity_tons:f}",
    }
    for person in station_staff_to_warn(ward_number=station.ward_number, everyone_above=full):
        notification_send(
            user=person,
            kind="sts.full" if full else "sts.warning",
            title=FULL_TITLE if full else WARNING_TITLE,
            body=FULL_BODY if full else WARNING_BODY,
            params=params,
            data={
                "station_id": str(station.pk),
                "ward_number": station.ward_number,
                "level": level,
                "utilization_percent": params["percent"],
            },
            channels=("in_app", "push"),
            dedupe_key=f"sts-alert:{reading.pk}:{level}",
        )
    staff_feed_publish(
        resource=RESOURCE,
        ward_number=station.ward_number,
        payload={
            "type": "sts.alert",
            "station_id": station.pk,
            "name": station.name,
            "ward_number": station.ward_number,
            "level": level,
            "capacity_tons": station.capacity_tons,
            "current_load_tons": station.current_load_tons,
            "utilization_percent": percent,
            "at": reading.at,
        },
    )


# ---------------------------------------------------------------------------------------------
# Weighbridge keys
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IssuedStationKey:
    """A new key and its secret, which exists only here: the table keeps its SHA-256."""

    key: StationDeviceKey
    secret: str


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def station_device_key_create(
    *, station: TransferStation, name: str, actor: User | None = None, request=None
) -> IssuedStationKey:
    """Issue a key with which ``station``'s weighbridge posts its readings."""
    name = " ".join(str(name or "").split())
    if not name:
        raise _invalid("name", _("This field may not be blank."))
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = StationDeviceKey.objects.create(
        station=station,
        name=name[:100],
        key_prefix=secret[:KEY_VISIBLE_CHARS],
        key_hash=_digest(secret),
    )
    activity_record(
        action=ActivityAction.STATION_KEY_CREATED,
        actor=actor,
        request=request,
        resource=key,
        details={"station_id": str(station.pk), "key_prefix": key.key_prefix},
    )
    return IssuedStationKey(key=key, secret=secret)


@transaction.atomic
def station_device_key_revoke(
    *, key: StationDeviceKey, actor: User | None = None, request=None
) -> bool:
    """The key stops working at once; False when it was revoked already."""
    revoked = StationDeviceKey.objects.filter(pk=key.pk, is_active=True).update(is_active=False)
    if revoked:
        activity_record(
            action=ActivityAction.STATION_KEY_REVOKED,
            actor=actor,
            request=request,
            resource=key,
            details={"station_id": str(key.station_id), "key_prefix": key.key_prefix},
        )
    return bool(revoked)


def station_device_key_touch(*, key: StationDeviceKey) -> None:
    """Note when the key was last used (one small update, outside the reading's transaction)."""
    StationDeviceKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
