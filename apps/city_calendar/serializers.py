"""Calendar events on the wire (API.md "Calendar"): city-wide events have no ward_number."""

from rest_framework import serializers

from core.fields import BoundedDateTimeField

from .enums import (
    CAPACITY_MAX,
    DESCRIPTION_MAX_CHARS,
    LOCATION_MAX_CHARS,
    TITLE_MAX_CHARS,
    EventType,
)
from .models import Event


class EventSerializer(serializers.ModelSerializer):
    """The event object of API.md (counts come annotated by the selectors: no query per row)."""

    participant_count = serializers.IntegerField(read_only=True)
    is_joined = serializers.BooleanField(
        read_only=True, help_text="Whether the signed-in caller has joined (false if anonymous)."
    )

    class Meta:
        model = Event
        fields = [
            "id", "title", "title_en", "description", "event_type", "start", "end", "all_day",
            "location", "ward_number", "capacity", "participant_count", "is_joined",
        ]  # fmt: skip
        read_only_fields = fields


class EventWriteSerializer(serializers.Serializer):
    """POST and PUT (every field; left out: the defaults) and PATCH (only what is sent)."""

    title = serializers.CharField(max_length=TITLE_MAX_CHARS, help_text="In Bengali.")
    title_en = serializers.CharField(
        max_length=TITLE_MAX_CHARS, allow_blank=True, default="", help_text="In English."
    )
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX_CHARS, allow_blank=True, default=""
    )
    event_type = serializers.ChoiceField(choices=EventType.choices)
    start = BoundedDateTimeField()
    end = BoundedDateTimeField(help_text="Not before start.")
    all_day = serializers.BooleanField(
        default=False,
        help_text="Whole days in Asia/Dhaka: start and end are set to the first and last "
        "moment of their days.",
    )
    location = serializers.CharField(max_length=LOCATION_MAX_CHARS, allow_blank=True, default="")
    ward_number = serializers.CharField(
        max_length=10,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="Empty or null: the whole city (super admins only).",
    )
    capacity = serializers.IntegerField(
        min_value=1,
        max_value=CAPACITY_MAX,
        allow_null=True,
        default=None,
        help_text="How many people may join; null: no limit.",
    )
