"""Donations on the wire (amounts as strings with two decimals)."""

from rest_framework import serializers

from apps.payments.models import PaymentMethod
from core.fields import PhoneField

from .models import Donation, DonationProject
from .selectors import PERIODS


class DonationProjectSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    raised = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    donor_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = DonationProject
        fields = [
            "id", "slug", "name", "name_bn", "name_en", "description", "description_bn",
            "description_en", "goal_amount", "min_amount", "raised", "donor_count", "ends_on",
        ]  # fmt: skip
        read_only_fields = fields

    def _english(self) -> bool:
        request = self.context.get("request")
        return request is not None and getattr(request, "LANGUAGE_CODE", "bn") == "en"

    def get_name(self, project) -> str:
        """In the request's language."""
        return project.name_en if self._english() else project.name_bn

    def get_description(self, project) -> str:
        return project.description_en if self._english() else project.description_bn


class DonationSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    payment_id = serializers.UUIDField(read_only=True)
    payment_status = serializers.CharField(source="payment.status", read_only=True)
    receipt_available = serializers.SerializerMethodField()

    class Meta:
        model = Donation
        fields = [
            "id", "project", "project_name", "amount", "payment_method", "transaction_id",
            "receipt_number", "status", "message", "payment_id", "payment_status",
            "receipt_available", "created_at", "completed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_receipt_available(self, donation) -> bool:
        return donation.status == "completed"


class DonationCreateSerializer(serializers.Serializer):
    project = serializers.CharField(max_length=60, help_text="project slug or id")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    phone_number = PhoneField()
    message = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, allow_null=True
    )


class DonationStartedSerializer(serializers.Serializer):
    donation_id = serializers.UUIDField()
    receipt_number = serializers.CharField()
    payment_id = serializers.UUIDField()
    transaction_id = serializers.CharField()
    payment_url = serializers.URLField()
    bkash_url = serializers.URLField(required=False)
    status = serializers.CharField()


class ReportQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(
        required=False, help_text="first Dhaka date (default: twelve months back from date_to)"
    )
    date_to = serializers.DateField(required=False, help_text="last Dhaka date (default: today)")
    period = serializers.ChoiceField(choices=sorted(PERIODS), default="month")
    project = serializers.SlugField(required=False, max_length=60, help_text="project slug")


class _ReportTotalSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    count = serializers.IntegerField()
    donors = serializers.IntegerField()


class _ReportProjectSerializer(_ReportTotalSerializer):
    project = serializers.CharField()
    name_bn = serializers.CharField()
    name_en = serializers.CharField()


class _ReportPeriodSerializer(serializers.Serializer):
    period = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    count = serializers.IntegerField()


class _ReportCellSerializer(_ReportPeriodSerializer):
    project = serializers.CharField(allow_null=True)


class DonationReportSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    period = serializers.CharField()
    total = _ReportTotalSerializer()
    projects = _ReportProjectSerializer(many=True)
    periods = _ReportPeriodSerializer(many=True)
    rows = _ReportCellSerializer(many=True)
