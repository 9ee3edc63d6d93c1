"""HTTP endpoints of /donations/: projects, give, history, receipt, report."""

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.payments.serializers import payment_started
from core.http import pdf_response
from core.idempotency import idempotent
from core.openapi_errors import errors
from core.permissions import IsCitizen, IsStaffMember

from . import examples, selectors, services
from .models import Donation
from .serializers import (
    DonationCreateSerializer,
    DonationProjectSerializer,
    DonationReportSerializer,
    DonationSerializer,
    DonationStartedSerializer,
    ReportQuerySerializer,
)

TAG = ["donations"]


@extend_schema(tags=TAG, summary="Projects taking donations, with what they raised so far")
class ProjectListView(generics.ListAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = DonationProjectSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return selectors.projects_open()


class DonationListView(generics.ListAPIView):
    """GET: the signed-in person's own donations, newest first. POST: give (citizens)."""

    permission_classes = [IsAuthenticated]
    serializer_class = DonationSerializer
    filter_backends = []

    def get_permissions(self):
        return [IsCitizen()] if self.request.method == "POST" else super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Donation.objects.none()
        return selectors.donations_own(self.request.user).order_by("-created_at")

    @extend_schema(tags=TAG, responses={200: DonationSerializer(many=True), **errors(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAG,
        summary="Give to a project: starts a payment like payments/process/ (Idempotency-Key)",
        request=DonationCreateSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={201: DonationStartedSerializer, **errors(400, 401, 403, 429, 502)},
        examples=[examples.GIVE, examples.STARTED],
    )
    @idempotent(scope="donations.create")
    def post(self, request):
        serializer = DonationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donation = services.donation_create(user=request.user, **serializer.validated_data)
        body = {
            "donation_id": str(donation.pk),
            "receipt_number": donation.receipt_number,
            **payment_started(donation.payment),
        }
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG, responses={200: DonationSerializer(many=True), **errors(401)})
class DonationHistoryView(DonationListView):
    """The same list as GET donations/ (the seeds' history route); nothing is started here."""

    http_method_names = ["get", "head", "options"]


class DonationDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, responses={200: DonationSerializer, **errors(401, 404)})
    def get(self, request, donation_id):
        donation = selectors.donation_get(viewer=request.user, donation_id=donation_id)
        return Response(DonationSerializer(donation).data)


class DonationReceiptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="The PDF receipt of a completed donation (ETag: a repeat costs a 304)",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            **errors(401, 404, 409),
        },
    )
    def get(self, request, donation_id):
        donation, pdf = selectors.donation_receipt(viewer=request.user, donation_id=donation_id)
        return pdf_response(pdf, request=request, filename=f"{donation.receipt_number}.pdf")


class DonationReportView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        tags=TAG,
        summary="Staff: completed donations totalled by project and period",
        parameters=[ReportQuerySerializer],
        responses={200: DonationReportSerializer, **errors(400, 401, 403)},
    )
    def get(self, request):
        serializer = ReportQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        query = selectors.report_query(**serializer.validated_data)
        report = selectors.donation_report(viewer=request.user, query=query)
        return Response(DonationReportSerializer(report).data)
