"""Shapes of /admin-users/ on the wire: staff accounts, permission sets, activity rows."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.fields import OptionalCharField, PhoneField

from .models import ActivityAction, ActivityLog, AdminPermission, UserType
from .policy import PERMISSION_TYPES
from .serializers import ProfileUpdateSerializer, UserStaffSerializer

MAX_WARDS = 100  # the city has 75; room for a second corporation, not for a flood


def _ward_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=10), max_length=MAX_WARDS, **kwargs
    )


class AdminPermissionSerializer(serializers.ModelSerializer):
    ward_numbers = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = AdminPermission
        fields = [
            "id",
            "permission_type",
            "resource_type",
            "ward_numbers",
            "can_create",
            "can_read",
            "can_update",
            "can_delete",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AdminPermissionInputSerializer(serializers.Serializer):
    """One row of a permission set; a flag left out takes its default (read only)."""

    permission_type = serializers.ChoiceField(choices=PERMISSION_TYPES)
    resource_type = OptionalCharField(max_length=50)
    ward_numbers = _ward_list(allow_empty=True)
    can_create = serializers.BooleanField(default=False)
    can_read = serializers.BooleanField(default=True)
    can_update = serializers.BooleanField(default=False)
    can_delete = serializers.BooleanField(default=False)


class AdminPermissionSetInputSerializer(serializers.Serializer):
    permissions = AdminPermissionInputSerializer(many=True, allow_empty=True, max_length=50)


class AdminPermissionSetSerializer(serializers.Serializer):
    permissions = AdminPermissionSerializer(many=True, read_only=True)


class AdminUserSerializer(UserStaffSerializer):
    """A staff account as the super admin sees it, with its permission rows."""

    permissions = AdminPermissionSerializer(source="admin_permissions", many=True, read_only=True)

    class Meta(UserStaffSerializer.Meta):
        fields = [*UserStaffSerializer.Meta.fields, "permissions"]
        read_only_fields = fields


class AdminUserCreateSerializer(serializers.Serializer):
    phone = PhoneField()
    name = serializers.CharField(max_length=100)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    user_type = serializers.ChoiceField(
        choices=UserType.choices, help_text="admin or service_provider."
    )
    email = serializers.EmailField(
        max_length=255, required=False, allow_null=True, allow_blank=True
    )
    ward_number = OptionalCharField(max_length=10)
    ward_numbers = _ward_list(
        required=False,
        allow_empty=True,
        help_text="Wards where the account may read and update complaints.",
    )

    validate_name = ProfileUpdateSerializer.validate_name


class AdminUserUpdateSerializer(ProfileUpdateSerializer):
    """PUT replaces name, email and ward (omitted ones are cleared); PATCH changes what it names."""

    CLEARED_WHEN_OMITTED = ("email", "ward_number")

    nid = None
    address = None
    language = None
    user_type = serializers.ChoiceField(
        choices=UserType.choices, required=False, help_text="admin or service_provider."
    )
    is_active = serializers.BooleanField(required=False)

    # Fields people may expect to change here but cannot: refused, not silently dropped with a
    # 200 (the super admin would believe a password was reset). Read-only fields of the account
    # (id, created_at, …) may be sent back as they were and are ignored.
    NOT_HERE = ("password", "phone", "nid", "address", "language", "is_verified")

    def validate(self, attrs):
        if hasattr(self.initial_data, "keys"):
            refused = sorted(set(self.initial_data.keys()) & set(self.NOT_HERE))
            if refused:
                message = _("This field cannot be changed here.")
                raise serializers.ValidationError({key: [message] for key in refused})
        return super().validate(attrs)


class ActivityLogSerializer(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField()

    class Meta:
        model = ActivityLog
        fields = [
            "id",
            "action",
            "action_display",
            "resource_type",
            "resource_id",
            "ip_address",
            "user_agent",
            "details",
            "created_at",
        ]
        read_only_fields = fields

    def get_action_display(self, row: ActivityLog) -> str:
        try:
            return str(ActivityAction(row.action).label)
        except ValueError:
            return row.action
