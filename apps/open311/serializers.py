"""Open311 input (POST form, GET filters) and output (the spec's fields, nothing personal)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.complaints.enums import Status
from core.exceptions import NotFound
from core.phone import normalize_phone

from .catalog import (
    AGENCY,
    CLOSED,
    OPEN,
    SERVICES_BY_CATEGORY,
    SERVICES_BY_CODE,
    STATUS_OPEN311,
    Service,
)
from .selectors import MAX_REQUESTS, RequestFilters

MAX_SPAN = timedelta(days=90)
# Dates outside these years are typos or probes; refusing them keeps the 90-day arithmetic and the
# database's date range well clear of datetime's limits (year 1 minus 90 days overflows).
MIN_YEAR, MAX_YEAR = 1970, 2999
COORDINATE_PLACES = Decimal("0.00000001")  # what the complaints table keeps (8 places)
# "+06:00" in an unencoded query string arrives as " 06:00": put the plus back.
_SPACE_FOR_PLUS = re.compile(r" (\d{2}(?::?\d{2})?)$")


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------
class _Optional(serializers.CharField):
    """Spec "optional": sent empty is the same as not sent."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)


class _OptionalValue(_Optional):
    """An optional typed value: empty input is None (DRF hands "" back before parsing it)."""

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        return None if value == "" else value


class CoordinateField(_OptionalValue):
    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data).strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or abs(value) > self.limit:
            raise serializers.ValidationError(
                _("Enter a number between -%(limit)d and %(limit)d.") % {"limit": self.limit}
            )
        return value.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)


class Open311ServiceRequestCreateSerializer(serializers.Serializer):
    """POST requests: the spec's arguments. ``attribute[…]`` and ``jurisdiction_id`` are ignored
    (no service has attributes; this endpoint serves one jurisdiction).

    ``service_code`` comes out as ``service``, the catalog entry; an unknown code is the spec's
    404, not a 400.
    """

    service_code = serializers.CharField(max_length=50, source="service")
    lat = CoordinateField(limit=90)
    long = CoordinateField(limit=180)
    address_string = _Optional(max_length=255)
    address_id = _Optional(max_length=255)
    description = _Optional(max_length=4000)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    first_name = _Optional(max_length=100)
    last_name = _Optional(max_length=100)
    phone = _Optional(max_length=32)
    device_id = _Optional(max_length=255)
    account_id = _Optional(max_length=255)
    media_url = serializers.URLField(required=False, allow_blank=True, max_length=1000)

    def validate_service_code(self, value: str) -> Service:
        service = SERVICES_BY_CODE.get(value)
        if service is None:
            raise NotFound(_("There is no service %(code)s.") % {"code": value})
        return service

    def validate_phone(self, value: str) -> str:
        try:
            return normalize_phone(value) if value else value
        except DjangoValidationError:
            return value  # kept as the client sent it: staff may still be able to use it

    def validate(self, attrs):
        lat, long = attrs.get("lat"), attrs.get("long")
        if (lat is None) != (long is None):
            missing = "long" if long is None else "lat"
            raise serializers.ValidationError({missing: [_("lat and long must be sent together.")]})
        if lat is None and not attrs.get("address_string"):
            raise serializers.ValidationError(
                _(
                    "Give the location: lat and long, or address_string (address_id alone is not "
                    "supported here)."
                )
            )
        return attrs


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class W3DateTimeField(_OptionalValue):
    def to_internal_value(self, data):
        text = _SPACE_FOR_PLUS.sub(r"+\1", super().to_internal_value(data).strip())
        if not text:
            return None
        try:
            value = parse_datetime(text)
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            raise serializers.ValidationError(
                _("Use a date and time with its offset, e.g. 2026-01-31T09:00:00+06:00.")
            )
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise serializers.ValidationError(
                _("Use a year from %(min)d to %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        return value


class Open311ServiceRequestQuerySerializer(serializers.Serializer):
    """GET requests filters. Defaults: the last 90 days; a range may span at most 90 days."""

    service_request_id = _Optional(help_text="Tracking numbers, comma-separated.")
    service_code = _Optional(help_text="Service codes, comma-separated.")
    status = _Optional(help_text="open, closed, or open,closed.")
    start_date = W3DateTimeField(help_text="ISO 8601 with offset, e.g. 2026-01-31T00:00:00+06:00")
    end_date = W3DateTimeField(help_text="ISO 8601 with offset; at most 90 days after start_date.")

    def validate_service_request_id(self, value: str) -> list[str]:
        ids = [item.upper() for item in _comma_list(value)]
        if len(ids) > MAX_REQUESTS:
            raise serializers.ValidationError(
                _("Ask for at most %(max)d ids at a time.") % {"max": MAX_REQUESTS}
            )
        return ids

    def validate_service_code(self, value: str) -> list[str]:
        codes = _comma_list(value)
        unknown = [code for code in codes if code not in SERVICES_BY_CODE]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown service_code: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [SERVICES_BY_CODE[code].category for code in codes]

    def validate_status(self, value: str) -> list[str]:
        wanted = {item.lower() for item in _comma_list(value)}
        if wanted - {OPEN, CLOSED}:
            raise serializers.ValidationError(_("status is open or closed (or both)."))
        return [status for status, state in STATUS_OPEN311.items() if state in wanted]

    def validate(self, attrs):
        ids = attrs.get("service_request_id")
        if ids:
            return RequestFilters(ids=tuple(ids))  # the spec: ids override every other filter
        start, end = attrs.get("start_date"), attrs.get("end_date")
        latest = start is None and end is None
        if latest:
            end = timezone.now()
        if start is None:
            start = end - MAX_SPAN
        elif end is None:
            end = start + MAX_SPAN
        if start > end:
            raise serializers.ValidationError(
                {"end_date": [_("end_date must not be before start_date.")]}
            )
        if end - start > MAX_SPAN:
            raise serializers.ValidationError(
                {"end_date": [_("A search may span at most 90 days.")]}
            )
        return RequestFilters(
            categories=tuple(attrs.get("service_code") or ()),
            statuses=tuple(attrs.get("status") or ()),
            start=start,
            end=end,
            latest=latest,
        )


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------
def w3_datetime(value) -> str | None:
    """ISO 8601 with the Dhaka offset, to the second (``2026-11-22T10:15:00+06:00``)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


class Open311ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField()
    metadata = serializers.BooleanField()
    type = serializers.ChoiceField(choices=["realtime", "batch", "blackbox"])
    keywords = serializers.CharField()
    group = serializers.CharField()


class Open311ServiceDefinitionSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    attributes = serializers.ListField(child=serializers.DictField(), max_length=0)


class Open311ServiceRequestSerializer(serializers.Serializer):
    """A complaint as a GeoReport service request. Nothing here names or reaches a person.

    Public like complaints/track/: no citizen's own words (their description or address text may
    name them), a ward-level address, coordinates rounded to about 100 m, no photo links.
    """

    service_request_id = serializers.CharField(source="tracking_number")
    status = serializers.SerializerMethodField()
    status_notes = serializers.SerializerMethodField()
    service_name = serializers.SerializerMethodField()
    service_code = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    agency_responsible = serializers.SerializerMethodField()
    service_notice = serializers.SerializerMethodField()
    requested_datetime = serializers.SerializerMethodField()
    updated_datetime = serializers.SerializerMethodField()
    expected_datetime = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    address_id = serializers.SerializerMethodField()
    zipcode = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    long = serializers.SerializerMethodField()
    media_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=[OPEN, CLOSED]))
    def get_status(self, complaint) -> str:
        return STATUS_OPEN311[complaint.status]

    def get_status_notes(self, complaint) -> str:
        return str(Status(complaint.status).label)

    def get_description(self, complaint) -> str:
        return SERVICES_BY_CATEGORY[complaint.category].name

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_address(self, complaint) -> str | None:
        if not complaint.ward_number:
            return None
        return f"Ward {complaint.ward_number}, {AGENCY}"

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_lat(self, complaint) -> float | None:
        return None if complaint.latitude is None else round(float(complaint.latitude), 3)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_long(self, complaint) -> float | None:
        return None if complaint.longitude is None else round(float(complaint.longitude), 3)

    def get_service_name(self, complaint) -> str:
        return SERVICES_BY_CATEGORY[complaint.category].name

    def get_service_code(self, complaint) -> str:
        return SERVICES_BY_CATEGORY[complaint.category].code

    def get_agency_responsible(self, complaint) -> str:
        return AGENCY

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_service_notice(self, complaint) -> None:
        return None

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_requested_datetime(self, complaint) -> str | None:
        return w3_datetime(complaint.created_at)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_updated_datetime(self, complaint) -> str | None:
        return w3_datetime(complaint.updated_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_expected_datetime(self, complaint) -> None:
        return None  # no service level agreement to promise a date from

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_address_id(self, complaint) -> None:
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_zipcode(self, complaint) -> None:
        return None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_media_url(self, complaint) -> None:
        return None  # photos may show people and homes; they stay behind sign-in

    def to_representation(self, complaint) -> dict:
        """What the methods above give, in the same order, built directly: a list answers up to
        1,000 rows, so the status labels' translation and the time zone are looked up once per
        answer, not per row (tests compare it with the field-by-field result)."""
        answer = self.__dict__.get("_answer")
        if answer is None:
            answer = self._answer = _AnswerConstants.now()
        service = SERVICES_BY_CATEGORY[complaint.category]
        zone = answer.zone
        created, updated = complaint.created_at, complaint.updated_at
        return {
            "service_request_id": complaint.tracking_number,
            "status": STATUS_OPEN311[complaint.status],
            "status_notes": answer.labels[complaint.status],
            "service_name": service.name,
            "service_code": service.code,
            "description": service.name,
            "agency_responsible": AGENCY,
            "service_notice": None,
            "requested_datetime": (
                created.astimezone(zone).isoformat(timespec="seconds") if created else None
            ),
            "updated_datetime": (
                updated.astimezone(zone).isoformat(timespec="seconds") if updated else None
            ),
            "expected_datetime": None,
            "address": self.get_address(complaint),
            "address_id": None,
            "zipcode": None,
            "lat": self.get_lat(complaint),
            "long": self.get_long(complaint),
            "media_url": None,
        }


@dataclass(frozen=True)
class _AnswerConstants:
    """What every row of one answer shares: the status labels in the request's language and the
    time zone the datetimes are written in."""

    labels: dict[str, str]
    zone: tzinfo

    @classmethod
    def now(cls) -> _AnswerConstants:
        return cls(
            labels={value: str(label) for value, label in Status.choices},
            zone=timezone.get_current_timezone(),
        )


class Open311ServiceRequestCreatedSerializer(serializers.Serializer):
    """The answer to a POST: a complaint just filed through Open311 (its reporter record loaded)."""

    service_request_id = serializers.CharField(source="tracking_number")
    service_notice = serializers.SerializerMethodField()
    account_id = serializers.SerializerMethodField()

    def get_service_notice(self, complaint) -> str:
        return _(
            "%(agency)s has received this report. Follow it with service request id %(id)s."
        ) % {"agency": AGENCY, "id": complaint.tracking_number}

    @extend_schema_field(OpenApiTypes.STR)
    def get_account_id(self, complaint) -> str | None:
        return complaint.open311_request.account_id or None  # the client's own id, echoed


class Open311EndpointSerializer(serializers.Serializer):
    specification = serializers.URLField()
    url = serializers.URLField()
    changeset = serializers.CharField()
    type = serializers.ChoiceField(choices=["production", "test"])
    formats = serializers.ListField(child=serializers.CharField())


class Open311DiscoverySerializer(serializers.Serializer):
    changeset = serializers.CharField()
    contact = serializers.CharField()
    key_service = serializers.CharField()
    endpoints = Open311EndpointSerializer(many=True)
