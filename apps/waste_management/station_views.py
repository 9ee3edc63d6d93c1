"""HTTP endpoints of /waste/sts/: transfer stations and their load readings. Staff sign in as
usual; a weighbridge sends its key in the ``X-Device-Key`` header (readings of its station only)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from core.authentication import JWTAuthentication
from core.openapi_errors import errors
from core.permissions import IsWardAdminOrSuperAdmin

from . import station_examples as examples
from . import station_selectors as selectors
from . import station_services as services
from .models import StationDeviceKey, StationReading, TransferStation
from .station_serializers import (
    ReadingSerializer,
    ReadingWriteSerializer,
    StationSerializer,
    StationWriteSerializer,
)

TAG = ["waste"]
DEVICE_HEADER = "X-Device-Key"

RIGHTS = (
    "Ward admins with `waste` rights for the station's ward (reading: read; adding: create; "
    "changing: update) and super admins. Citizens and service providers are refused (403); "
    "a station outside the caller's wards is 404."
)
STATION_RULES = (
    "`capacity_tons` above zero, `ward_number` a ward of the city, `latitude` and `longitude` "
    "both or neither. Moving a station to another ward needs update rights in both wards."
)
READING_RULES = (
    "By staff with `waste` update rights for the station's ward, or by the station's own "
    f"weighbridge sending its key in the `{DEVICE_HEADER}` header (no bearer token; the key "
    "is issued in Django admin and works for its one station: another station is 403, an "
    "unknown or revoked key 401). `load_tons` zero or more; `at` (default: now) not in the "
    "future (two minutes of clock drift are allowed). The newest reading becomes the "
    "station's current load; a reading that takes the station to 80 % of its capacity tells "
    "the ward's waste staff once (in-app, push and an `sts.alert` event on /ws/staff/), at "
    "100 % the super admins too; they are told again only after the load has fallen below."
)


class StationDeviceKeyAuthentication(BaseAuthentication):
    """A weighbridge's ``X-Device-Key``: its SHA-256 must name an active key. The request then
    has no user (anonymous) and ``request.auth`` is the key."""

    def authenticate(self, request):
        raw = (request.headers.get(DEVICE_HEADER) or "").strip()
        if not raw:
            return None
        key = selectors.station_device_key_find(raw=raw)
        if key is None or not key.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked weighbridge key."))
        services.station_device_key_touch(key=key)
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return "DeviceKey"


class DeviceKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apps.waste_management.station_views.StationDeviceKeyAuthentication"
    name = "stationDeviceKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": DEVICE_HEADER,
            "description": "A transfer station's weighbridge key (issued in Django admin, shown "
            "once, stored hashed); it may only post readings of its own station.",
        }


def _device(request) -> StationDeviceKey | None:
    return request.auth if isinstance(request.auth, StationDeviceKey) else None


class StaffOrStationDevice(BasePermission):
    """Staff as for every station endpoint; a weighbridge key only to post a reading."""

    def has_permission(self, request, view) -> bool:
        if _device(request) is not None:
            return request.method == "POST"
        return IsWardAdminOrSuperAdmin().has_permission(request, view)


class AnonymousNotDeviceThrottle(AnonRateThrottle):
    """The anonymous rate, per address, for requests without a weighbridge key (several
    weighbridges may share one address; each has its own budget below)."""

    def get_cache_key(self, request, view):
        return None if _device(request) is not None else super().get_cache_key(request, view)


class StationDeviceThrottle(SimpleRateThrottle):
    """Each weighbridge key on its own budget: a reading every six seconds at most."""

    scope = "station_device"
    rate = "600/hour"

    def get_cache_key(self, request, view):
        device = _device(request)
        return (
            None
            if device is None
            else self.cache_format % {"scope": self.scope, "ident": device.pk}
        )


@extend_schema(tags=TAG)
class StationListCreateView(generics.ListAPIView):
    """GET: the stations the caller may read. POST: add one."""

    serializer_class = StationSerializer
    permission_classes = [IsWardAdminOrSuperAdmin]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TransferStation.objects.none()
        return selectors.station_list(viewer=self.request.user)

    @extend_schema(
        summary="Transfer stations (STS) with their fill level",
        description=RIGHTS,
        responses={200: StationSerializer(many=True), **errors(401, 403)},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Add a transfer station (staff with waste create rights for its ward)",
        description=f"{RIGHTS}\n\n{STATION_RULES}",
        request=StationWriteSerializer,
        responses={201: StationSerializer, **errors(400, 401, 403)},
        examples=[examples.STATION_CREATE, examples.STATION_CREATED],
    )
    def post(self, request):
        serializer = StationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        station = services.station_create(
            actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(StationSerializer(station).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class StationDetailView(APIView):
    permission_classes = [IsWardAdminOrSuperAdmin]

    @extend_schema(
        summary="One transfer station",
        description=RIGHTS,
        responses={200: StationSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, station_id):
        station = selectors.station_get(viewer=request.user, station_id=station_id)
        return Response(StationSerializer(station).data)

    @extend_schema(
        summary="Change a transfer station (staff with waste update rights for its ward)",
        description=f"{RIGHTS}\n\n{STATION_RULES}",
        request=StationWriteSerializer(partial=True),
        responses={200: StationSerializer, **errors(400, 401, 403, 404)},
        examples=[examples.STATION_PATCH, examples.STATION_PATCHED],
    )
    def patch(self, request, station_id):
        station = selectors.station_get(viewer=request.user, station_id=station_id)
        serializer = StationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        station = services.station_update(
            station=station, actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(StationSerializer(station).data)


@extend_schema(tags=TAG)
class StationReadingsView(generics.ListAPIView):
    """GET: a station's readings, newest first (staff). POST: record one (staff or its
    weighbridge)."""

    serializer_class = ReadingSerializer
    authentication_classes = [JWTAuthentication, StationDeviceKeyAuthentication]
    permission_classes = [StaffOrStationDevice]
    throttle_classes = [AnonymousNotDeviceThrottle, UserRateThrottle, StationDeviceThrottle]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StationReading.objects.none()
        station = selectors.station_get(
            viewer=self.request.user, station_id=self.kwargs["station_id"]
        )
        return selectors.station_readings(station=station)

    @extend_schema(
        summary="A station's load readings, newest first (staff)",
        description=RIGHTS,
        auth=[{"jwtAuth": []}],
        responses={200: ReadingSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Record a load reading (staff, or the station's weighbridge)",
        description=READING_RULES,
        request=ReadingWriteSerializer,
        responses={201: ReadingSerializer, **errors(400, 401, 403, 404)},
        examples=[
            examples.READING_CREATE,
            examples.READING_BY_DEVICE,
            examples.READING_CREATED,
        ],
    )
    def post(self, request, station_id):
        device = _device(request)
        if device is not None:
            station = selectors.station_for_device(device=device, station_id=station_id)
        else:
            station = selectors.station_get(viewer=request.user, station_id=station_id)
        serializer = ReadingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reading = services.station_reading_record(
            station=station,
            load_tons=serializer.validated_data["load_tons"],
            at=serializer.validated_data.get("at"),
            actor=None if device else request.user,
            device=device,
            request=request,
        )
        reading = selectors.station_readings(station=station).get(pk=reading.pk)
        return Response(ReadingSerializer(reading).data, status=status.HTTP_201_CREATED)
