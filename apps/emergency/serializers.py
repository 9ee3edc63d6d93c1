"""Emergencies on the wire: stored Bengali values plus English codes; the hotline where it helps."""

from rest_framework import serializers

from core.fields import AliasChoiceField, ChoiceDisplayField, OptionalCharField
from core.serializers import CoordinatesSerializer, OutputPlanMixin

from .enums import STATUS_CODES, TYPE_CODES, EmergencyStatus, EmergencyType
from .models import EmergencyRequest, EmergencyUpdate
from .services import hotline_for


class EmergencyUpdateSerializer(OutputPlanMixin, serializers.ModelSerializer):
    new_status_code = serializers.SerializerMethodField()
    updated_by_name = serializers.CharField(source="updated_by.name", read_only=True)
    assigned_to_name = serializers.CharField(
        source="assigned_to.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = EmergencyUpdate
        fields = [
            "id", "old_status", "new_status", "new_status_code", "assigned_to",
            "assigned_to_name", "comment", "updated_by", "updated_by_name", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_new_status_code(self, row) -> str:
        return STATUS_CODES[row.new_status]


class EmergencySerializer(OutputPlanMixin, serializers.ModelSerializer):
    """The emergency object (list shape; detail adds ``history``)."""

    user_name = serializers.CharField(source="user.name", read_only=True)
    user_phone = serializers.CharField(source="user.phone", read_only=True)
    emergency_type_code = serializers.SerializerMethodField()
    emergency_type_display = ChoiceDisplayField(source="emergency_type")
    status_code = serializers.SerializerMethodField()
    status_display = ChoiceDisplayField(source="status")
    assigned_to_name = serializers.CharField(
        source="assigned_to.name", read_only=True, default=None, allow_null=True
    )
    hotline = serializers.SerializerMethodField(
        help_text="999 (Bangladesh's national emergency number) for fire, medical and police."
    )

    class Meta:
        model = EmergencyRequest
        fields = [
            "id", "user", "user_name", "user_phone",
            "emergency_type", "emergency_type_code", "emergency_type_display",
            "description", "location", "latitude", "longitude", "ward_number",
            "status", "status_code", "status_display", "priority",
            "assigned_to", "assigned_to_name", "hotline",
            "created_at", "updated_at", "responded_at", "escalated_at", "resolved_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_emergency_type_code(self, emergency) -> str:
        return TYPE_CODES[emergency.emergency_type]

    def get_status_code(self, emergency) -> str:
        return STATUS_CODES[emergency.status]

    def get_hotline(self, emergency) -> str | None:
        return hotline_for(emergency.emergency_type)


class EmergencyDetailSerializer(EmergencySerializer):
    history = EmergencyUpdateSerializer(source="updates", many=True, read_only=True)

    class Meta(EmergencySerializer.Meta):
        fields = [*EmergencySerializer.Meta.fields, "history"]
        read_only_fields = fields


class EmergencyCreateSerializer(CoordinatesSerializer):
    emergency_type = AliasChoiceField(EmergencyType.choices, codes=TYPE_CODES)
    description = serializers.CharField(max_length=2000)
    location = serializers.CharField(max_length=255)
    ward_number = OptionalCharField(max_length=10)
    priority = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=20,
        help_text="Ignored: every emergency is stored as উচ্চ (high).",
    )


class EmergencyAssignSerializer(serializers.Serializer):
    assigned_to = serializers.UUIDField()


class EmergencyStatusSerializer(serializers.Serializer):
    status = AliasChoiceField(EmergencyStatus.choices, codes=STATUS_CODES)
    comment = OptionalCharField(max_length=2000)
