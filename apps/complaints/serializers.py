"""Complaints on the wire: stored Bengali values plus English codes; absolute photo URLs."""

from rest_framework import serializers

from core.fields import AliasChoiceField, ChoiceDisplayField, OptionalCharField
from core.serializers import CoordinatesSerializer, OutputPlanMixin
from core.storage import file_url

from .enums import (
    CATEGORY_CODES,
    PRIORITY_CODES,
    STATUS_CODES,
    Category,
    Priority,
    Status,
)
from .models import Complaint, ComplaintImage, ComplaintUpdate


class ComplaintImageSerializer(OutputPlanMixin, serializers.ModelSerializer):
    image_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ComplaintImage
        fields = [
            "id",
            "image_url",
            "thumbnail_url",
            "image_name",
            "file_size",
            "width",
            "height",
            "uploaded_at",
        ]
        read_only_fields = fields

    def get_image_url(self, row) -> str | None:
        return file_url(self.context.get("request"), row.image)

    def get_thumbnail_url(self, row) -> str | None:
        return file_url(self.context.get("request"), row.thumbnail)


class ComplaintUpdateSerializer(OutputPlanMixin, serializers.ModelSerializer):
    old_status_code = serializers.SerializerMethodField()
    new_status_code = serializers.SerializerMethodField()
    updated_by_name = serializers.CharField(source="updated_by.name", read_only=True)
    photo_url = serializers.SerializerMethodField(help_text="Proof of the work, if any.")
    photo_thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ComplaintUpdate
        fields = [
            "id",
            "old_status",
            "old_status_code",
            "new_status",
            "new_status_code",
            "comment",
            "updated_by",
            "updated_by_name",
            "photo_url",
            "photo_thumbnail_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_photo_url(self, row) -> str | None:
        return file_url(self.context.get("request"), row.photo)

    def get_photo_thumbnail_url(self, row) -> str | None:
        return file_url(self.context.get("request"), row.photo_thumbnail)

    def get_old_status_code(self, row) -> str | None:
        return STATUS_CODES.get(row.old_status)

    def get_new_status_code(self, row) -> str:
        return STATUS_CODES[row.new_status]


class ComplaintSerializer(OutputPlanMixin, serializers.ModelSerializer):
    """The complaint object of API.md (list shape; detail adds ``updates``)."""

    user_name = serializers.CharField(source="user.name", read_only=True)
    assigned_to_name = serializers.CharField(
        source="assigned_to.name", read_only=True, default=None, allow_null=True
    )
    category_code = serializers.SerializerMethodField()
    priority_code = serializers.SerializerMethodField()
    status_code = serializers.SerializerMethodField()
    category_display = ChoiceDisplayField(source="category")
    priority_display = ChoiceDisplayField(source="priority")
    status_display = ChoiceDisplayField(source="status")
    images = ComplaintImageSerializer(many=True, read_only=True, source="photos")

    class Meta:
        model = Complaint
        fields = [
            "id", "tracking_number", "user", "user_name", "title", "description",
            "category", "category_code", "category_display",
            "priority", "priority_code", "priority_display",
            "status", "status_code", "status_display",
            "location", "latitude", "longitude", "ward_number",
            "assigned_to", "assigned_to_name", "rating", "feedback", "rated_at",
            "created_at", "updated_at", "resolved_at", "images",
        ]  # fmt: skip
        read_only_fields = fields

    def get_category_code(self, complaint) -> str:
        return CATEGORY_CODES[complaint.category]

    def get_priority_code(self, complaint) -> str:
        return PRIORITY_CODES[complaint.priority]

    def get_status_code(self, complaint) -> str:
        return STATUS_CODES[complaint.status]


class ComplaintDetailSerializer(ComplaintSerializer):
    updates = ComplaintUpdateSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "updates"]
        read_only_fields = fields


class ComplaintCreateSerializer(CoordinatesSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    category = AliasChoiceField(Category.choices, codes=CATEGORY_CODES)
    priority = AliasChoiceField(Priority.choices, codes=PRIORITY_CODES, default=Priority.MEDIUM)
    location = serializers.CharField(max_length=255)
    ward_number = OptionalCharField(max_length=10)


class ComplaintEditSerializer(CoordinatesSerializer):
    """PUT/PATCH: which fields a caller may change is the service's rule (owner vs staff)."""

    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, required=False)
    category = AliasChoiceField(Category.choices, codes=CATEGORY_CODES, required=False)
    priority = AliasChoiceField(Priority.choices, codes=PRIORITY_CODES, required=False)
    location = serializers.CharField(max_length=255, required=False)
    ward_number = OptionalCharField(max_length=10)


class StatusChangeSerializer(serializers.Serializer):
    status = AliasChoiceField(Status.choices, codes=STATUS_CODES, required=False)
    new_status = AliasChoiceField(Status.choices, codes=STATUS_CODES, required=False)
    comment = OptionalCharField(max_length=2000)
    photo = serializers.FileField(
        required=False,
        allow_empty_file=False,
        use_url=False,
        help_text=(
            "Multipart only: a photo of the work (the fixed spot), ≤ 5 MB; required when a "
            "service provider resolves (else 400 proof_photo_required)."
        ),
    )

    def validate(self, attrs):
        status = attrs.pop("new_status", None) or attrs.get("status")
        if status is None:
            raise serializers.ValidationError(
                {"status": [self.fields["status"].error_messages["required"]]}
            )
        attrs["status"] = status
        return attrs


class AssignSerializer(serializers.Serializer):
    assigned_to = serializers.UUIDField(allow_null=True)


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    feedback = OptionalCharField(max_length=2000)


class TrackingSerializer(serializers.ModelSerializer):
    """The public view of a tracking number: no names, phones, comments or exact location."""

    category_code = serializers.SerializerMethodField()
    status_code = serializers.SerializerMethodField()
    category_display = ChoiceDisplayField(source="category")
    status_display = ChoiceDisplayField(source="status")
    history = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "tracking_number",
            "status",
            "status_code",
            "status_display",
            "category",
            "category_code",
            "category_display",
            "ward_number",
            "created_at",
            "updated_at",
            "resolved_at",
            "history",
        ]
        read_only_fields = fields

    def get_category_code(self, complaint) -> str:
        return CATEGORY_CODES[complaint.category]

    def get_status_code(self, complaint) -> str:
        return STATUS_CODES[complaint.status]

    def get_history(self, complaint) -> list[dict]:
        return [
            {
                "old_status": row.old_status,
                "new_status": row.new_status,
                "new_status_code": STATUS_CODES[row.new_status],
                "photo_url": file_url(self.context.get("request"), row.photo),
                "created_at": serializers.DateTimeField().to_representation(row.created_at),
            }
            for row in complaint.updates.all()
        ]
