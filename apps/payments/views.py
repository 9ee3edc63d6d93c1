"""HTTP endpoints of /payments/: start, come back from the provider, verify, list."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import NotFound
from core.filters import PlainFilterBackend
from core.http import pdf_response
from core.idempotency import idempotent
from core.openapi_errors import errors
from core.permissions import IsCitizen, IsSuperAdmin
from core.rls import ActsAsSystem

from . import examples, selectors, services
from .models import Payment, Refund
from .serializers import (
    PayableServiceSerializer,
    PaymentSerializer,
    ProcessResponseSerializer,
    ProcessSerializer,
    RefundRejectSerializer,
    RefundRequestSerializer,
    RefundSerializer,
    VerifySerializer,
    payment_started,
)

TAG = ["payments"]


@extend_schema(tags=TAG, summary="City services that can be paid, with their fees")
class PayableServiceListView(generics.ListAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = PayableServiceSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.payable_service_list()


class ProcessView(APIView):
    permission_classes = [IsCitizen]

    @extend_schema(
        tags=TAG,
        summary="Start a payment; open payment_url in a browser (Idempotency-Key honoured)",
        request=ProcessSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={201: ProcessResponseSerializer, **errors(400, 401, 403, 429, 502)},
        examples=[examples.PROCESS, examples.STARTED],
    )
    @idempotent(scope="payments.process")
    def post(self, request):
        serializer = ProcessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.payment_process(user=request.user, **serializer.validated_data)
        return Response(payment_started(payment), status=status.HTTP_201_CREATED)


def _result_redirect(payment: Payment | None, state: str | None = None) -> HttpResponseRedirect:
    query = {"status": state or payment.status}  # a hint for apps; our page ignores it
    if payment is not None:
        query["payment_id"] = str(payment.pk)
        query["reference"] = payment.transaction_id
    target = settings.PAYMENT_RESULT_URL
    return HttpResponseRedirect(f"{target}{'&' if '?' in target else '?'}{urlencode(query)}")


@extend_schema(exclude=True)
class CallbackView(ActsAsSystem, APIView):
    """Where the provider sends the browser back. Nothing it says is trusted: the payment is
    confirmed server-to-server, then the browser goes to the result page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def get(self, request, gateway):
        return self._handle(request, gateway, request.query_params.dict())

    def post(self, request, gateway):
        params = (
            {**request.query_params.dict(), **request.data.dict()}
            if hasattr(request.data, "dict")
            else request.query_params.dict()
        )
        return self._handle(request, gateway, params)

    def _handle(self, request, gateway, params):
        if gateway not in settings.PAYMENT_GATEWAYS:
            raise NotFound()
        try:
            payment = services.payment_callback_handle(
                gateway=gateway, params=params, notification=False
            )
        except NotFound:
            return _result_redirect(None, "not_found")
        return _result_redirect(payment)


@extend_schema(exclude=True)
class SslCommerzIpnView(ActsAsSystem, APIView):
    """SSLCommerz's server-to-server notification: signature checked, then the Validation API
    decides (the IPN's own fields are only a prompt)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def post(self, request):
        form = request.data.dict() if hasattr(request.data, "dict") else {}
        services.payment_callback_handle(gateway="sslcommerz", params=form, notification=True)
        return Response({"status": "received"})


class VerifyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Ask the provider again and update the payment",
        request=VerifySerializer,
        responses={200: PaymentSerializer, **errors(400, 401, 404)},
        examples=[examples.VERIFY, examples.VERIFIED],
    )
    def post(self, request):
        serializer = VerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = selectors.payment_get_by_reference(
            viewer=request.user, **serializer.validated_data
        )
        payment = services.payment_query(
            payment=payment, source="verify", actor=request.user, request=request
        )
        return Response(PaymentSerializer(payment).data)


@extend_schema(tags=TAG, responses={200: PaymentSerializer(many=True), **errors(401)})
class PaymentListView(generics.ListAPIView):
    """Own payments (staff with a payments permission: their wards' payers; super admin: all)."""

    permission_classes = [IsAuthenticated]
    serializer_class = PaymentSerializer
    filter_backends = [PlainFilterBackend]
    filterset_class = selectors.PaymentFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Payment.objects.none()
        return selectors.payment_list(viewer=self.request.user)


class PaymentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, responses={200: PaymentSerializer, **errors(401, 404)})
    def get(self, request, payment_id):
        payment = selectors.payment_get(viewer=request.user, payment_id=payment_id)
        return Response(PaymentSerializer(payment).data)


class PaymentReceiptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="The PDF receipt of a completed payment (ETag: a repeat costs a 304)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(401, 404, 409)},
    )
    def get(self, request, payment_id):
        payment, pdf = selectors.payment_receipt(viewer=request.user, payment_id=payment_id)
        return pdf_response(pdf, request=request, filename=f"receipt-{payment.transaction_id}.pdf")


class RefundRequestView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Ask for a refund (payer); a super admin's request is carried out at once",
        request=RefundRequestSerializer,
        responses={201: RefundSerializer, **errors(400, 401, 404, 409)},
        examples=[examples.REFUND, examples.REFUND_REQUESTED],
    )
    def post(self, request):
        serializer = RefundRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment = selectors.payment_get(viewer=request.user, payment_id=data["payment_id"])
        refund = services.refund_ask(
            payment=payment, actor=request.user, reason=data["reason"], amount=data.get("amount")
        )
        return Response(RefundSerializer(refund).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG, responses={200: RefundSerializer(many=True), **errors(401)})
class RefundListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = RefundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Refund.objects.none()
        return selectors.refund_list(viewer=self.request.user)


class RefundDecisionView(APIView):
    permission_classes = [IsSuperAdmin]

    @extend_schema(
        tags=TAG,
        summary="Super admin: approve (refund through the provider) or reject a refund request",
        request=RefundRejectSerializer,
        responses={200: RefundSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.REFUND_REJECT, examples.REFUND_APPROVED, examples.REFUND_REJECTED],
    )
    def post(self, request, refund_id, decision):
        if decision not in ("approve", "reject"):
            raise NotFound()
        refund = selectors.refund_get(viewer=request.user, refund_id=refund_id)
        if decision == "approve":
            refund = services.refund_execute(refund=refund, actor=request.user)
        else:
            serializer = RefundRejectSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            refund = services.refund_reject(
                refund=refund, actor=request.user, reason=serializer.validated_data["reason"]
            )
        return Response(RefundSerializer(refund).data)


def result_page(request):
    """The small page the browser lands on after paying (apps open their own instead). It looks
    the payment up by our reference and shows the outcome the database holds: a ``status`` in
    the query string is never believed (anyone can edit a URL)."""
    payment = selectors.payment_outcome_for_result_page(reference=request.GET.get("reference", ""))
    return render(
        request,
        "payments/result.html",
        {
            "status": payment.status if payment else "not_found",
            "reference": payment.transaction_id if payment else "",
            # What the payer recognises: the service by its name and the amount.
            "service": selectors.payment_service_name(payment.service_type) if payment else "",
            "amount": payment.amount if payment else None,
        },
    )
