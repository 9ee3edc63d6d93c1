"""HTTP endpoints of /waste/ (schedules, the ward calendar feed, special collections): each
parses input, calls one service or selector, serialises. Transfer stations live in station_*.py."""

from django.http import HttpResponse
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.payments.serializers import payment_started
from apps.users.selectors import ward_exists
from core.exceptions import NotFound
from core.idempotency import idempotent
from core.openapi_errors import errors
from core.permissions import IsCitizen, IsWardAdminOrSuperAdmin

from . import examples, selectors, services
from .enums import WasteType
from .feed import ward_calendar
from .models import CollectionSchedule, SpecialCollectionRequest
from .serializers import (
    FeeSerializer,
    ScheduleSerializer,
    ScheduleWriteSerializer,
    SpecialRequestCreateSerializer,
    SpecialRequestSerializer,
    SpecialRequestStartedSerializer,
    SpecialRequestUpdateSerializer,
)

TAG = ["waste"]
SCHEDULE_WRITE_RULES = (
    "Staff with `waste` rights for the ward (create to add, update to change — on both wards "
    "when it moves —, delete to remove). `day_of_week` runs from 0 (Saturday) to 6 (Friday); "
    "`end_time` must be after `start_time`; the ward must exist. The ward's citizens are told "
    "of every change to an active schedule, in their own language."
)
SPECIAL_STAFF_RULES = (
    "Staff with `waste` update rights for the request's ward. `status` moves requested → "
    "scheduled → collected, or requested/scheduled → rejected (else 409 `invalid_transition`). "
    "Scheduling needs `scheduled_date` (today or later); a request with a fee is scheduled or "
    "collected only once its fee is paid (else 409 `fee_unpaid`; it may be rejected). "
    "`comment` is kept as `staff_comment` and shown to the citizen, who is told of the change."
)


def _ward_or_404(ward: str) -> str:
    number = selectors.ward_input(ward)
    # A ward is digits: anything else (a NUL byte PostgreSQL refuses in a query) is no ward.
    if not (number.isascii() and number.isdigit()) or len(number) > 10:
        raise NotFound()
    if not ward_exists(number):
        raise NotFound()
    return number


@extend_schema(tags=TAG)
class ScheduleListCreateView(generics.ListAPIView):
    """GET: every active collection schedule (staff: also the paused ones of their wards)."""

    serializer_class = ScheduleSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = selectors.ScheduleFilter

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsWardAdminOrSuperAdmin()]
        return [AllowAny()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CollectionSchedule.objects.none()
        return selectors.schedule_list(viewer=self.request.user)

    @extend_schema(
        summary="Collection schedules (filter by ward_number, waste_type, day_of_week)",
        responses={200: ScheduleSerializer(many=True), **errors(400, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Add a weekly collection to a ward (staff)",
        description=SCHEDULE_WRITE_RULES,
        request=ScheduleWriteSerializer,
        responses={201: ScheduleSerializer, **errors(400, 401, 403)},
        examples=[examples.SCHEDULE_CREATE, examples.SCHEDULE],
    )
    def post(self, request):
        serializer = ScheduleWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        schedule = services.schedule_create(
            actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class WardScheduleView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A ward's active collection schedules, in week order (not paginated)",
        responses={200: ScheduleSerializer(many=True), **errors(404, 429)},
    )
    def get(self, request, ward):
        schedules = selectors.schedules_of_ward(ward_number=_ward_or_404(ward))
        return Response(ScheduleSerializer(schedules, many=True).data)


@extend_schema(
    tags=TAG,
    summary="A ward's collections as an iCalendar (RFC 5545) feed to subscribe to",
    description=(
        "One VEVENT per active schedule, repeating weekly (RRULE BYDAY) in Asia/Dhaka time "
        "(VTIMEZONE included); UIDs are `<schedule id>@waste.cleancare.gov.bd` and stay the "
        "same across fetches. Titles are in the reader's language: `?lang=en` or `bn`, else "
        "the Accept-Language header (calendar apps often send none: Bengali)."
    ),
    parameters=[OpenApiParameter("lang", OpenApiTypes.STR, enum=["bn", "en"])],
    responses={(200, "text/calendar"): OpenApiTypes.STR, **errors(404, 429)},
)
class WardCalendarView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def perform_content_negotiation(self, request, force=False):
        # Calendar apps ask for text/calendar: errors still answer in JSON, not 406.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request, ward):
        number = _ward_or_404(ward)
        language = request.query_params.get("lang")
        language = language if language in ("bn", "en") else translation.get_language()
        with translation.override(language):
            body = ward_calendar(
                ward_number=number, schedules=selectors.schedules_of_ward(ward_number=number)
            )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="ward-{number}-waste.ics"'
        response["Cache-Control"] = "public, max-age=900"
        return response


@extend_schema(tags=TAG)
class ScheduleDetailView(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsWardAdminOrSuperAdmin()]

    @extend_schema(summary="One collection schedule", responses={200: ScheduleSerializer,
                                                                **errors(404, 429)})  # fmt: skip
    def get(self, request, schedule_id):
        schedule = selectors.schedule_get(viewer=request.user, schedule_id=schedule_id)
        return Response(ScheduleSerializer(schedule).data)

    @extend_schema(
        summary="Replace a collection schedule (staff)",
        description=SCHEDULE_WRITE_RULES,
        request=ScheduleWriteSerializer,
        responses={200: ScheduleSerializer, **errors(400, 401, 403, 404)},
        examples=[examples.SCHEDULE_REPLACE, examples.SCHEDULE_REPLACED],
    )
    def put(self, request, schedule_id):
        return self._edit(request, schedule_id, partial=False)

    @extend_schema(
        summary="Change some fields of a collection schedule (staff)",
        description=SCHEDULE_WRITE_RULES,
        request=ScheduleWriteSerializer,
        responses={200: ScheduleSerializer, **errors(400, 401, 403, 404)},
        examples=[examples.SCHEDULE_MOVE, examples.SCHEDULE_MOVED],
    )
    def patch(self, request, schedule_id):
        return self._edit(request, schedule_id, partial=True)

    @extend_schema(
        summary="Remove a collection schedule (staff); its ward's citizens are told",
        responses={204: None, **errors(401, 403, 404)},
    )
    def delete(self, request, schedule_id):
        schedule = selectors.schedule_get(viewer=request.user, schedule_id=schedule_id)
        services.schedule_delete(schedule=schedule, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _edit(self, request, schedule_id, *, partial: bool):
        schedule = selectors.schedule_get(viewer=request.user, schedule_id=schedule_id)
        serializer = ScheduleWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        schedule = services.schedule_update(
            schedule=schedule, actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(ScheduleSerializer(schedule).data)


@extend_schema(tags=TAG)
class SpecialRequestListCreateView(generics.ListAPIView):
    """GET: a citizen's own requests; staff those of the wards they may read; super admin all."""

    serializer_class = SpecialRequestSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = selectors.SpecialRequestFilter

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsCitizen()]
        return [IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SpecialCollectionRequest.objects.none()
        return selectors.special_request_list(viewer=self.request.user)

    @extend_schema(
        summary="Special collections: a citizen's own, or the queue of the staff's wards",
        responses={200: SpecialRequestSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Ask for a special collection (citizens); pay its fee if it has one",
        description=(
            "`preferred_date` is today or later (Dhaka date); the ward must exist. When the "
            "waste type has a fee (GET special-requests/fees/), `payment_method` and "
            "`phone_number` are required and the payment starts as in payments/process/: send "
            "the citizen to `payment_url`; the request's `payment_state` follows the payment "
            "(pending → paid or failed; refunded). Without a fee `fee` is null and there is "
            "nothing to pay. An `Idempotency-Key` header makes a retry return the first answer."
        ),
        request=SpecialRequestCreateSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={201: SpecialRequestStartedSerializer, **errors(400, 401, 403, 429, 502)},
        examples=[
            examples.SPECIAL_CREATE,
            examples.SPECIAL_CREATE_FREE,
            examples.SPECIAL_STARTED,
            examples.SPECIAL_STARTED_FREE,
        ],
    )
    @idempotent(scope="waste.special_requests.create")
    def post(self, request):
        serializer = SpecialRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        special = services.special_request_create(
            citizen=request.user, data=serializer.validated_data
        )
        body = {
            "id": str(special.pk),
            "fee": None if special.fee is None else f"{special.fee:.2f}",
            "payment_state": special.payment_state,
        }
        if special.payment is not None:
            body.update(payment_started(special.payment))
        body["status"] = special.status  # the request's, not the payment's
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class SpecialRequestDetailView(APIView):
    def get_permissions(self):
        if self.request.method == "PATCH":
            return [IsWardAdminOrSuperAdmin()]
        return [IsAuthenticated()]

    @extend_schema(
        summary="One special collection (its citizen, or staff of its ward)",
        responses={200: SpecialRequestSerializer, **errors(401, 404)},
    )
    def get(self, request, request_id):
        special = selectors.special_request_get(viewer=request.user, request_id=request_id)
        return Response(SpecialRequestSerializer(special).data)

    @extend_schema(
        summary="Schedule, collect or reject a special collection (staff)",
        description=SPECIAL_STAFF_RULES,
        request=SpecialRequestUpdateSerializer,
        responses={200: SpecialRequestSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.SPECIAL_SCHEDULE, examples.SPECIAL_SCHEDULED],
    )
    def patch(self, request, request_id):
        special = selectors.special_request_get(viewer=request.user, request_id=request_id)
        serializer = SpecialRequestUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        special = services.special_request_update(
            special=special, actor=request.user, data=serializer.validated_data, request=request
        )
        fresh = selectors.special_request_get(viewer=request.user, request_id=special.pk)
        return Response(SpecialRequestSerializer(fresh).data)


@extend_schema(
    tags=TAG,
    summary="What a special collection costs, per waste type (types not listed are free)",
    responses={200: FeeSerializer(many=True), **errors(429)},
)
class FeeListView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        fees = [
            {"waste_type": fee.waste_type, "waste_type_display": WasteType(fee.waste_type).label,
             "amount": fee.amount}
            for fee in selectors.fee_list()
        ]  # fmt: skip
        return Response(FeeSerializer(fees, many=True).data)
