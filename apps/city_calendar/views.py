"""HTTP endpoints of /calendar/: each parses input, calls one service or selector, serialises."""

from django.http import HttpResponse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi_errors import errors
from core.permissions import IsWardAdminOrSuperAdmin
from core.renderers import JSONRenderer

from . import examples, selectors, services
from .feed import ICalendarRenderer, calendar_ics
from .models import Event
from .serializers import EventSerializer, EventWriteSerializer

TAG = ["calendar"]

LIST_DESCRIPTION = (
    "The city calendar is public: anyone lists every event, soonest first. `month` (YYYY-MM, "
    "Asia/Dhaka) keeps the events that overlap that month; `ward_number` keeps that ward's "
    "events and the city-wide ones (no `ward_number`); `event_type` one type. "
    "`participant_count` is how many joined; `is_joined` whether the caller did."
)
WRITE_RULES = (
    "Staff with `calendar` rights (create, update or delete) for the event's ward; an event for "
    "the whole city (no `ward_number`) only by a super admin. Moving an event to another ward "
    "needs the create right there. `end` may not be before `start`; an all-day event is set to "
    "whole days in Asia/Dhaka. `capacity` is at least 1 (null: no limit); lowering it below the "
    "people who joined keeps them and stops new joins."
)
JOIN_RULES = (
    "Any signed-in account. Joining again is harmless (200, the same state); the first join "
    "answers 201. An event that has ended answers 409 `event_over`; one whose every place is "
    "taken answers 409 `event_full` (decided under a lock of the event, so two people taking the "
    "last place at once cannot both get it)."
)


@extend_schema(tags=TAG)
class EventListCreateView(generics.ListAPIView):
    """GET: the calendar (anyone). POST: staff add an event."""

    serializer_class = EventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = selectors.EventFilter

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsWardAdminOrSuperAdmin()]
        return [AllowAny()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        return selectors.event_list(viewer=self.request.user)

    @extend_schema(
        summary="The city calendar (anyone)",
        description=LIST_DESCRIPTION,
        responses={200: EventSerializer(many=True), **errors(400, 429)},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Add an event (staff)",
        description=WRITE_RULES,
        request=EventWriteSerializer,
        responses={201: EventSerializer, **errors(400, 401, 403)},
        examples=[examples.CREATE, examples.CREATE_HOLIDAY, examples.CREATED],
    )
    def post(self, request):
        serializer = EventWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.event_create(
            actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(_answer(request, event.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class EventDetailView(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsWardAdminOrSuperAdmin()]

    @extend_schema(
        summary="One event (anyone)", responses={200: EventSerializer, **errors(404, 429)}
    )
    def get(self, request, event_id):
        return Response(_answer(request, event_id))

    @extend_schema(
        summary="Replace an event (staff)",
        description=WRITE_RULES,
        request=EventWriteSerializer,
        responses={200: EventSerializer, **errors(400, 401, 403, 404)},
        examples=[examples.REPLACE, examples.REPLACED],
    )
    def put(self, request, event_id):
        return self._edit(request, event_id, partial=False)

    @extend_schema(
        summary="Change some fields of an event (staff)",
        description=WRITE_RULES,
        request=EventWriteSerializer,
        responses={200: EventSerializer, **errors(400, 401, 403, 404)},
        examples=[examples.MOVE, examples.MOVED],
    )
    def patch(self, request, event_id):
        return self._edit(request, event_id, partial=True)

    @extend_schema(
        summary="Remove an event and who joined it (staff)",
        description=WRITE_RULES,
        responses={204: None, **errors(401, 403, 404)},
    )
    def delete(self, request, event_id):
        event = selectors.event_get(viewer=request.user, event_id=event_id)
        services.event_delete(event=event, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _edit(self, request, event_id, *, partial: bool):
        event = selectors.event_get(viewer=request.user, event_id=event_id)
        serializer = EventWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.event_update(
            event=event, actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(_answer(request, event_id))


@extend_schema(tags=TAG)
class EventJoinView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Join an event (signed in)",
        description=JOIN_RULES,
        request=None,
        responses={
            201: OpenApiResponse(EventSerializer, description="Joined now."),
            200: OpenApiResponse(EventSerializer, description="Had joined already: no change."),
            **errors(401, 404, 409),
        },
        examples=[examples.JOINED, examples.JOINED_BEFORE],
    )
    def post(self, request, event_id):
        created = services.event_join(event_id=event_id, user=request.user)
        answer = _answer(request, event_id)
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary="Leave an event (signed in)",
        description="204 whether or not the caller had joined (leaving twice is harmless). "
        "An event that has ended keeps who took part: 409 `event_over`.",
        responses={204: None, **errors(401, 404, 409)},
    )
    def delete(self, request, event_id):
        services.event_leave(event_id=event_id, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=TAG,
    summary="The calendar as an iCalendar feed (anyone)",
    description="Upcoming events (not ended), soonest first, at most 500; with `ward_number`, "
    "that ward's events and the city-wide ones. Timed events carry TZID=Asia/Dhaka, all-day "
    "events are DATE values, and each event keeps its UID, so a subscribed phone calendar "
    "updates events instead of copying them.",
    parameters=[OpenApiParameter("ward_number", OpenApiTypes.STR)],
    responses={(200, "text/calendar"): OpenApiTypes.STR, **errors(400, 429)},
)
class EventFeedView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, ICalendarRenderer]

    def perform_content_negotiation(self, request, force=False):
        # A calendar app may ask for anything (or add ?format=): the feed answers, errors in
        # JSON, never a 404 or 406 for the asking.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request):
        ward = selectors.ward_filter(request.query_params.get("ward_number"))
        events = selectors.events_feed(ward=ward, now=timezone.now())
        name = f"Clean Care — ward {ward}" if ward else "Clean Care — city calendar"
        response = HttpResponse(
            calendar_ics(events, name=name), content_type="text/calendar; charset=utf-8"
        )
        filename = f"calendar-ward-{ward}.ics" if ward else "calendar.ics"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Cache-Control"] = "public, max-age=300"
        return response


def _answer(request, event_id) -> dict:
    event = selectors.event_get(viewer=request.user, event_id=event_id)
    return EventSerializer(event, context={"request": request}).data
