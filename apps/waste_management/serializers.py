"""Waste collection on the wire: schedules (times as HH:MM:SS, days 0 = Saturday … 6 = Friday)
and special collections (fees as strings with two decimals)."""

from rest_framework import serializers

from apps.payments.models import PaymentMethod
from core.fields import ChoiceDisplayField, PhoneField

from .enums import (
    ADDRESS_MAX_CHARS,
    COMMENT_MAX_CHARS,
    DESCRIPTION_MAX_CHARS,
    NOTES_MAX_CHARS,
    SpecialStatus,
    WasteType,
    Weekday,
)
from .models import CollectionSchedule, SpecialCollectionRequest


class ScheduleSerializer(serializers.ModelSerializer):
    day_of_week_display = ChoiceDisplayField(source="day_of_week")
    waste_type_display = ChoiceDisplayField(source="waste_type")

    class Meta:
        model = CollectionSchedule
        fields = [
            "id", "ward_number", "day_of_week", "day_of_week_display", "start_time", "end_time",
            "waste_type", "waste_type_display", "vehicle", "notes", "is_active", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ScheduleWriteSerializer(serializers.Serializer):
    """What staff send; the rules (known ward, end after start, rights) are the service's."""

    ward_number = serializers.CharField(max_length=10)
    day_of_week = serializers.ChoiceField(
        choices=Weekday.choices, help_text="0 = Saturday … 6 = Friday (the Bangladeshi week)"
    )
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    waste_type = serializers.ChoiceField(choices=WasteType.choices)
    vehicle = serializers.CharField(max_length=50, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=NOTES_MAX_CHARS, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.partial:  # PATCH: nothing left out takes a default
            self.fields["is_active"].default = serializers.empty


class SpecialRequestSerializer(serializers.ModelSerializer):
    waste_type_display = ChoiceDisplayField(source="waste_type")
    status_display = ChoiceDisplayField(source="status")
    payment_state_display = ChoiceDisplayField(source="payment_state")
    citizen_name = serializers.CharField(source="citizen.name", read_only=True)
    payment_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = SpecialCollectionRequest
        fields = [
            "id", "citizen", "citizen_name", "ward_number", "waste_type", "waste_type_display",
            "description", "address", "latitude", "longitude", "preferred_date", "status",
            "status_display", "scheduled_date", "staff_comment", "fee", "payment_state",
            "payment_state_display", "payment_id", "created_at", "updated_at", "collected_at",
        ]  # fmt: skip
        read_only_fields = fields


class SpecialRequestCreateSerializer(serializers.Serializer):
    waste_type = serializers.ChoiceField(choices=WasteType.choices)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_CHARS)
    address = serializers.CharField(max_length=ADDRESS_MAX_CHARS)
    ward_number = serializers.CharField(max_length=10)
    preferred_date = serializers.DateField(help_text="today or later (Dhaka date)")
    latitude = serializers.DecimalField(
        max_digits=10, decimal_places=8, min_value=-90, max_value=90, required=False,
        allow_null=True,
    )  # fmt: skip
    longitude = serializers.DecimalField(
        max_digits=11, decimal_places=8, min_value=-180, max_value=180, required=False,
        allow_null=True,
    )  # fmt: skip
    payment_method = serializers.ChoiceField(
        choices=PaymentMethod.choices,
        required=False,
        help_text="required when the waste type has a fee (GET special-requests/fees/)",
    )
    phone_number = PhoneField(
        required=False, help_text="the payer's mobile number, required with a fee"
    )


class SpecialRequestStartedSerializer(serializers.Serializer):
    """The answer to POST special-requests/: with a fee, where to send the payer."""

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=SpecialStatus.choices)
    fee = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    payment_state = serializers.CharField()
    payment_id = serializers.UUIDField(required=False)
    transaction_id = serializers.CharField(required=False)
    payment_url = serializers.URLField(required=False)
    bkash_url = serializers.URLField(required=False)


class SpecialRequestUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=SpecialStatus.choices,
        required=False,
        help_text="requested → scheduled → collected; requested or scheduled → rejected",
    )
    scheduled_date = serializers.DateField(
        required=False, allow_null=True, help_text="required when scheduling; not in the past"
    )
    comment = serializers.CharField(
        max_length=COMMENT_MAX_CHARS, required=False, allow_blank=True,
        help_text="shown to the citizen (staff_comment)",
    )  # fmt: skip


class FeeSerializer(serializers.Serializer):
    waste_type = serializers.ChoiceField(choices=WasteType.choices)
    waste_type_display = serializers.CharField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
