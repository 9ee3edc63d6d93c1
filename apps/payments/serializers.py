"""Payments on the wire (amounts as strings with two decimals)."""

from rest_framework import serializers

from core.fields import PhoneField
from core.serializers import OutputPlanMixin

from .models import PayableService, Payment, PaymentMethod, Refund
from .selectors import RECEIPT_STATUSES


class PayableServiceSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = PayableService
        fields = ["code", "name", "name_bn", "name_en", "description", "fixed_fee", "min_amount",
                  "max_amount"]  # fmt: skip
        read_only_fields = fields

    def get_name(self, service) -> str:
        """In the request's language."""
        request = self.context.get("request")
        english = request is not None and getattr(request, "LANGUAGE_CODE", "bn") == "en"
        return service.name_en if english else service.name_bn


class PaymentSerializer(OutputPlanMixin, serializers.ModelSerializer):
    """The payment object of API.md: provider references, never provider secrets."""

    receipt_available = serializers.SerializerMethodField(
        help_text="A PDF receipt can be downloaded from {id}/receipt/."
    )

    class Meta:
        model = Payment
        fields = [
            "id", "transaction_id", "service_type", "amount", "payment_method", "phone_number",
            "status", "gateway", "gateway_transaction_id", "gateway_trx_id", "failure_reason",
            "refunded_amount", "receipt_available", "created_at", "updated_at", "completed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_receipt_available(self, payment) -> bool:
        return payment.status in RECEIPT_STATUSES


class ProcessSerializer(serializers.Serializer):
    service_type = serializers.CharField(max_length=50)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    phone_number = PhoneField()


class ProcessResponseSerializer(serializers.Serializer):
    payment_id = serializers.UUIDField()
    transaction_id = serializers.CharField()
    payment_url = serializers.URLField()
    bkash_url = serializers.URLField(required=False)
    status = serializers.CharField()


def payment_started(payment: Payment) -> dict:
    """What a client needs to send the payer to the provider (``process/``, ``donations/``)."""
    body = {
        "payment_id": str(payment.pk),
        "transaction_id": payment.transaction_id,
        "payment_url": payment.redirect_url,
        "status": payment.status,
    }
    if payment.gateway == "bkash":
        body["bkash_url"] = payment.redirect_url
    return body


class VerifySerializer(serializers.Serializer):
    payment_id = serializers.UUIDField(required=False)
    transaction_id = serializers.CharField(required=False, max_length=100)

    def validate(self, attrs):
        if not attrs.get("payment_id") and not attrs.get("transaction_id"):
            raise serializers.ValidationError(
                {"payment_id": [serializers.Field.default_error_messages["required"]]}
            )
        return attrs


class RefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Refund
        fields = [
            "id", "payment", "amount", "reason", "status", "provider_refund_id", "failure_reason",
            "requested_by", "decided_by", "created_at", "completed_at",
        ]  # fmt: skip
        read_only_fields = fields


class RefundRequestSerializer(serializers.Serializer):
    payment_id = serializers.UUIDField()
    reason = serializers.CharField(max_length=1000)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )


class RefundRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
