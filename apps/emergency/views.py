"""HTTP endpoints of /emergency/: each parses input, calls one service or selector, serialises."""

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.filters import PlainFilterBackend
from core.idempotency import idempotent
from core.lists import KeptPagesMixin
from core.openapi_errors import errors
from core.permissions import IsCitizen, IsStaffMember

from . import examples, pages, selectors, services
from .models import EmergencyRequest
from .serializers import (
    EmergencyAssignSerializer,
    EmergencyCreateSerializer,
    EmergencyDetailSerializer,
    EmergencySerializer,
    EmergencyStatusSerializer,
    EmergencyUpdateSerializer,
)

TAG = ["emergency"]


def _detail(request, emergency) -> dict:
    fresh = selectors.emergency_after_write(emergency.pk)
    return EmergencyDetailSerializer(fresh, context={"request": request}).data


@extend_schema(tags=TAG)
class EmergencyListCreateView(KeptPagesMixin, generics.ListAPIView):
    """GET: the emergencies the caller may see, the super admin's and a citizen's pages kept
    until a write retires them (pages.py). POST: a citizen raises one."""

    kept_list = pages.LIST
    kept_names = staticmethod(pages.page_names)
    serializer_class = EmergencySerializer
    filter_backends = [PlainFilterBackend]
    filterset_class = selectors.EmergencyFilter

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsCitizen()]
        return [IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EmergencyRequest.objects.none()
        return selectors.emergency_rows(viewer=self.request.user)

    @extend_schema(
        summary="Raise an emergency; Idempotency-Key honoured",
        description="Stored at high priority whatever `priority` says. The staff on emergency "
        "duty for the wards within 5 km are told at once (super admins when nobody is near, "
        "and when nobody has taken it after 5 minutes). `hotline` is 999 for fire, medical "
        "and police emergencies.",
        request=EmergencyCreateSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={201: EmergencyDetailSerializer, **errors(400, 401, 403, 409, 429)},
        examples=[examples.RAISE, examples.RAISED],
    )
    @idempotent(scope="emergency.create")
    def post(self, request):
        serializer = EmergencyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        emergency = services.emergency_create(user=request.user, data=serializer.validated_data)
        return Response(_detail(request, emergency), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class EmergencyDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: EmergencyDetailSerializer, **errors(401, 404)})
    def get(self, request, emergency_id):
        emergency = selectors.emergency_get(viewer=request.user, emergency_id=emergency_id)
        return Response(EmergencyDetailSerializer(emergency, context={"request": request}).data)


@extend_schema(tags=TAG)
class EmergencyAssignView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        summary="Give the emergency to a staff member (a ward admin may take it themselves)",
        request=EmergencyAssignSerializer,
        responses={200: EmergencyDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.TAKE, examples.TAKEN],
    )
    def post(self, request, emergency_id):
        emergency = selectors.emergency_get(viewer=request.user, emergency_id=emergency_id)
        serializer = EmergencyAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        emergency = services.emergency_assign(
            emergency=emergency,
            actor=request.user,
            assignee_id=serializer.validated_data["assigned_to"],
            request=request,
        )
        return Response(_detail(request, emergency))


@extend_schema(tags=TAG)
class EmergencyStatusView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        summary="Move the emergency along (submitted → in progress → resolved); the citizen "
        "is told",
        request=EmergencyStatusSerializer,
        responses={201: EmergencyUpdateSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.ON_THE_WAY, examples.STATUS_CHANGED],
    )
    def post(self, request, emergency_id):
        emergency = selectors.emergency_get(viewer=request.user, emergency_id=emergency_id)
        serializer = EmergencyStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = services.emergency_change_status(
            emergency=emergency,
            actor=request.user,
            new_status=serializer.validated_data["status"],
            comment=serializer.validated_data.get("comment"),
            request=request,
        )
        return Response(EmergencyUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
