"""Shapes of users on the wire: the public user object, profile edits, staff edits."""

from rest_framework import serializers

from core.fields import ChoiceDisplayField, OptionalCharField
from core.storage import file_url
from core.validators import validate_nid

from .models import Language, User, UserType, Ward


class UserSerializer(serializers.ModelSerializer):
    """The user object of API.md (login, me, profile)."""

    profile_picture_url = serializers.SerializerMethodField()
    user_type_display = ChoiceDisplayField(source="user_type")

    class Meta:
        model = User
        fields = [
            "id",
            "phone",
            "name",
            "email",
            "nid",
            "address",
            "ward_number",
            "user_type",
            "user_type_display",
            "is_verified",
            "language",
            "profile_picture_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_profile_picture_url(self, user: User) -> str | None:
        return file_url(self.context.get("request"), user.profile_picture)


class UserStaffSerializer(UserSerializer):
    """What staff see of an account in the user list and detail."""

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "is_active", "last_login", "updated_at"]
        read_only_fields = fields


class ProfileUpdateSerializer(serializers.Serializer):
    """Fields a person may change on their own profile; null or "" clears an optional one.

    PUT replaces the profile: it must carry the name, and optional details it leaves out are
    cleared. PATCH (partial) changes only what it names.
    """

    CLEARED_WHEN_OMITTED = ("email", "nid", "address", "ward_number")

    name = serializers.CharField(max_length=100)
    email = serializers.EmailField(
        max_length=255, required=False, allow_null=True, allow_blank=True
    )
    nid = OptionalCharField(max_length=20, validators=[validate_nid])
    address = OptionalCharField(max_length=1000)
    ward_number = OptionalCharField(max_length=10)
    language = serializers.ChoiceField(choices=Language.choices, required=False)

    def validate_name(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError(self.fields["name"].error_messages["blank"])
        return value

    def validate(self, attrs):
        if not self.partial:
            for field in self.CLEARED_WHEN_OMITTED:
                attrs.setdefault(field, None)
        return attrs


class UserStaffUpdateSerializer(ProfileUpdateSerializer):
    user_type = serializers.ChoiceField(choices=UserType.choices, required=False)
    is_active = serializers.BooleanField(required=False)
    is_verified = serializers.BooleanField(required=False)


class AvatarUploadSerializer(serializers.Serializer):
    avatar = serializers.FileField(allow_empty_file=False)


class WardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ward
        fields = ["number", "name_en", "name_bn", "zone", "latitude", "longitude"]
        read_only_fields = fields
