"""Chat on the wire: rooms with their last message and unread count, messages with file URLs."""

from django.urls import reverse
from rest_framework import serializers

from core.fields import OptionalCharField
from core.serializers import OutputPlanMixin

from .enums import MESSAGE_MAX_CHARS, SUBJECT_MAX_CHARS, MessageType
from .models import ChatMessage, ChatRoom


class ChatMessageSerializer(OutputPlanMixin, serializers.ModelSerializer):
    """A message as the ``message`` WebSocket frame carries it, plus its read state."""

    room_id = serializers.UUIDField(read_only=True)
    sender_id = serializers.UUIDField(read_only=True)
    sender_name = serializers.CharField(source="sender.name", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = ChatMessage
        fields = [
            "id", "room_id", "sender_id", "sender_name", "message", "message_type",
            "file_url", "file_name", "file_size", "is_read", "read_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_file_url(self, message) -> str | None:
        if not message.file:
            return None
        path = reverse("v1:chat-message-file", kwargs={"message_id": message.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class LastMessageSerializer(OutputPlanMixin, serializers.ModelSerializer):
    sender_id = serializers.UUIDField(read_only=True)
    sender_name = serializers.CharField(source="sender.name", read_only=True)

    class Meta:
        model = ChatMessage
        fields = ["id", "sender_id", "sender_name", "message", "message_type", "created_at"]
        read_only_fields = fields


class ChatRoomSerializer(OutputPlanMixin, serializers.ModelSerializer):
    """The room object of API.md."""

    citizen_name = serializers.CharField(source="citizen.name", read_only=True)
    assigned_to_name = serializers.CharField(
        source="assigned_to.name", read_only=True, default=None, allow_null=True
    )
    last_message = LastMessageSerializer(read_only=True, allow_null=True)
    unread_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = ChatRoom
        fields = [
            "id", "citizen", "citizen_name", "ward_number", "complaint", "subject",
            "assigned_to", "assigned_to_name", "last_message", "last_message_at",
            "unread_count", "is_closed", "closed_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class RoomOpenSerializer(serializers.Serializer):
    complaint = serializers.UUIDField(required=False, allow_null=True)
    subject = OptionalCharField(max_length=SUBJECT_MAX_CHARS)


class MessageSendSerializer(serializers.Serializer):
    """JSON ``{message, message_type: text}`` or multipart with ``file`` (image or file)."""

    message = serializers.CharField(
        required=False, allow_blank=True, max_length=MESSAGE_MAX_CHARS, trim_whitespace=True
    )
    message_type = serializers.ChoiceField(choices=MessageType.choices, default=MessageType.TEXT)
    file = serializers.FileField(required=False, allow_empty_file=False, use_url=False)


class RoomAssignSerializer(serializers.Serializer):
    assigned_to = serializers.UUIDField(allow_null=True)


class ReadResultSerializer(serializers.Serializer):
    room_id = serializers.UUIDField()
    marked = serializers.IntegerField(help_text="How many messages became read.")
    up_to = serializers.DateTimeField(help_text="Everything received up to now is read.")
