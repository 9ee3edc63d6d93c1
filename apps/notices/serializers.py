"""Notices on the wire: target wards as a list (empty = city-wide), the attachment as a URL."""

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html

from core.fields import BoundedDateTimeField, ChoiceDisplayField
from core.serializers import OutputPlanMixin

from .enums import CATEGORY_MAX_CHARS, CONTENT_MAX_CHARS, TITLE_MAX_CHARS, Priority, State
from .models import Notice
from .policy import state_of

LIVE_STATES = (State.SCHEDULED, State.PUBLISHED)


class NoticeSerializer(OutputPlanMixin, serializers.ModelSerializer):
    """The notice object of API.md."""

    priority_display = ChoiceDisplayField(source="priority")
    target_wards = serializers.SerializerMethodField()
    is_active = serializers.SerializerMethodField(
        help_text="Not withdrawn and not expired (a scheduled notice is active)."
    )
    state = serializers.SerializerMethodField(
        help_text="scheduled, published, expired or withdrawn, at the time of the answer."
    )
    attachment_url = serializers.SerializerMethodField()
    created_by_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Notice
        fields = [
            "id", "title", "content", "category", "priority", "priority_display", "is_urgent",
            "target_wards", "published_at", "expires_at", "is_active", "state",
            "attachment_url", "attachment_name", "attachment_size",
            "view_count", "created_by_name", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_target_wards(self, notice) -> list[str]:
        wards = [row.ward_number for row in notice.wards.all()]
        return sorted(wards, key=lambda ward: (not ward.isdigit(), ward.zfill(10)))

    def _state(self, notice) -> State:
        return state_of(notice, now=self.context.get("now") or timezone.now())

    def get_is_active(self, notice) -> bool:
        return self._state(notice) in LIVE_STATES

    def get_state(self, notice) -> str:
        return self._state(notice).value

    def get_attachment_url(self, notice) -> str | None:
        if not notice.attachment:
            return None
        path = reverse("v1:notice-attachment", kwargs={"notice_id": notice.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class WardListField(serializers.ListField):
    """Ward numbers as a JSON list; in a form, repeated ``target_wards`` (or ``target_wards[]``)
    parts, each of which may also hold several numbers separated by commas."""

    def get_value(self, dictionary):
        if not html.is_html_input(dictionary):
            return super().get_value(dictionary)
        parts = [*dictionary.getlist(self.field_name), *dictionary.getlist(f"{self.field_name}[]")]
        if not parts:
            return empty
        return [ward.strip() for part in parts for ward in str(part).split(",") if ward.strip()]


class NoticeWriteSerializer(serializers.Serializer):
    """POST and PUT (every field; left out: the defaults) and PATCH (only what is sent)."""

    title = serializers.CharField(max_length=TITLE_MAX_CHARS)
    content = serializers.CharField(max_length=CONTENT_MAX_CHARS)
    category = serializers.CharField(max_length=CATEGORY_MAX_CHARS)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    is_urgent = serializers.BooleanField(
        default=False, help_text="Pushed to every citizen of its wards when it is published."
    )
    target_wards = WardListField(
        child=serializers.CharField(max_length=10),
        default=list,
        max_length=100,
        help_text="Ward numbers; empty means the whole city (super admins only).",
    )
    published_at = BoundedDateTimeField(
        required=False,
        allow_null=True,
        help_text="Default now (an edit keeps the old time); a future time schedules it.",
    )
    expires_at = BoundedDateTimeField(
        required=False, allow_null=True, help_text="After published_at; null never expires."
    )
    attachment = serializers.FileField(
        required=False,
        allow_null=True,
        allow_empty_file=False,
        use_url=False,
        help_text="Multipart only: a PDF (≤ 10 MB) or a photo (≤ 5 MB). null removes it.",
    )
