"""Request and response shapes of /notifications/."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.serializers import OutputPlanMixin

from .models import DeviceToken, Notification, Platform


class NotificationSerializer(OutputPlanMixin, serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "data", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class NotificationListQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: only unread; false: only read; absent: all.",
    )


class ReadAllSerializer(serializers.Serializer):
    updated = serializers.IntegerField(help_text="How many notifications were marked read.")


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class DeviceRegisterSerializer(serializers.Serializer):
    token = serializers.CharField(
        max_length=DeviceToken._meta.get_field("token").max_length,
        help_text="The FCM registration token of this app install.",
    )
    platform = serializers.ChoiceField(choices=Platform.choices)

    def validate_token(self, value: str) -> str:
        if any(ch.isspace() for ch in value) or "/" in value:
            raise serializers.ValidationError(_("This is not a valid device token."))
        return value


class DeviceSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeviceToken
        fields = ["id", "token", "platform", "is_active", "last_seen_at", "created_at"]
        read_only_fields = fields
