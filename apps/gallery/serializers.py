"""The gallery on the wire: the photo object of API.md, categories, and what staff send."""

from rest_framework import serializers

from core.storage import file_url

from .enums import DESCRIPTION_MAX_CHARS, SLUG_MAX_CHARS, TITLE_MAX_CHARS
from .models import GalleryCategory, GalleryImage


def _english(context) -> bool:
    request = context.get("request")
    return request is not None and getattr(request, "LANGUAGE_CODE", "bn") == "en"


class GalleryImageSerializer(serializers.ModelSerializer):
    """{id, title, title_en, description, category, category_display, image_url, thumbnail_url,
    width, height, view_count, ward_number, created_at}."""

    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category_display = serializers.SerializerMethodField(
        help_text="The category's name in the reader's language."
    )
    image_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = GalleryImage
        fields = [
            "id", "title", "title_en", "description", "category", "category_display",
            "image_url", "thumbnail_url", "width", "height", "view_count", "ward_number",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_category_display(self, image) -> str:
        category = image.category
        return category.name_en if _english(self.context) else category.name_bn

    def get_image_url(self, image) -> str | None:
        return file_url(self.context.get("request"), image.image)

    def get_thumbnail_url(self, image) -> str | None:
        return file_url(self.context.get("request"), image.thumbnail)


class GalleryCategorySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text="In the reader's language.")
    count = serializers.IntegerField(read_only=True, help_text="Photos in this category.")

    class Meta:
        model = GalleryCategory
        fields = ["slug", "name", "count"]
        read_only_fields = fields

    def get_name(self, category) -> str:
        return category.name_en if _english(self.context) else category.name_bn


class GalleryImageWriteSerializer(serializers.Serializer):
    """PUT (title and category required; the rest left out takes its default, the photo stays)
    and PATCH (only what is sent). Multipart."""

    image = serializers.FileField(
        required=False,
        allow_empty_file=False,
        use_url=False,
        help_text="A JPEG, PNG, WebP or HEIC photo (≤ 5 MB); stored re-encoded without "
        "metadata, long side ≤ 1920 px, with a thumbnail.",
    )
    title = serializers.CharField(max_length=TITLE_MAX_CHARS, help_text="In Bengali.")
    title_en = serializers.CharField(
        max_length=TITLE_MAX_CHARS, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX_CHARS, required=False, allow_blank=True, default=""
    )
    category = serializers.CharField(
        max_length=SLUG_MAX_CHARS, help_text="A category's slug (see categories/)."
    )
    ward_number = serializers.CharField(
        max_length=10,
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="Empty: a photo of the whole city (super admins only).",
    )


class GalleryImageCreateSerializer(GalleryImageWriteSerializer):
    """POST: the photo is required too."""

    image = serializers.FileField(
        allow_empty_file=False,
        use_url=False,
        help_text="A JPEG, PNG, WebP or HEIC photo (≤ 5 MB); stored re-encoded without "
        "metadata, long side ≤ 1920 px, with a thumbnail.",
    )
