"""Request and response shapes of /auth/ (field names as the existing mobile client sends them)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.users.serializers import UserSerializer
from core.fields import OptionalCharField, PhoneField
from core.text import ascii_digits
from core.validators import validate_nid

from .models import OtpPurpose


class _CodeMixin(serializers.Serializer):
    """Accepts the code as ``otp_code`` (API.md) or ``code`` (the Flutter client)."""

    otp_code = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=12
    )
    code = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=12, write_only=True
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        raw = attrs.pop("otp_code", None) or attrs.pop("code", None) or ""
        attrs.pop("code", None)
        code = ascii_digits(raw).strip()
        if not code:
            raise serializers.ValidationError({"otp_code": [_("This field is required.")]})
        if not (code.isascii() and code.isdigit() and len(code) == settings.OTP_LENGTH):
            message = _("The code has %(length)d digits.") % {"length": settings.OTP_LENGTH}
            raise serializers.ValidationError({"otp_code": [message]})
        attrs["otp_code"] = code
        return attrs


class RegisterSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    phone = PhoneField()
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    email = serializers.EmailField(
        max_length=255, required=False, allow_null=True, allow_blank=True
    )
    nid = OptionalCharField(max_length=20, validators=[validate_nid])
    address = OptionalCharField(max_length=1000)
    ward_number = OptionalCharField(max_length=10)


class RegisterResponseSerializer(serializers.Serializer):
    message = serializers.CharField()
    user_id = serializers.UUIDField()
    phone = serializers.CharField()
    otp_sent = serializers.BooleanField()
    otp_expires_in = serializers.IntegerField(help_text="Seconds until the code expires.")


class PurposeField(serializers.ChoiceField):
    """An OTP purpose; absent or null means registration."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, default=OtpPurpose.REGISTRATION, allow_null=True, **kwargs)

    def run_validation(self, data=serializers.empty):
        return super().run_validation(data) or OtpPurpose.REGISTRATION


class VerifyOtpSerializer(_CodeMixin):
    phone = PhoneField()
    purpose = PurposeField([OtpPurpose.REGISTRATION])


class ResendOtpSerializer(serializers.Serializer):
    phone = PhoneField()
    purpose = PurposeField([OtpPurpose.REGISTRATION, OtpPurpose.PASSWORD_RESET])


class OtpSentSerializer(serializers.Serializer):
    message = serializers.CharField()
    otp_sent = serializers.BooleanField()
    otp_expires_in = serializers.IntegerField()


class LoginSerializer(serializers.Serializer):
    phone = PhoneField()
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text="Staff only, when the city requires a second factor: the code the first "
        "attempt texted (that attempt answers 403 second_factor_required).",
    )

    def validate_code(self, raw):
        code = ascii_digits(raw).strip()
        if code and not (code.isdigit() and len(code) == settings.OTP_LENGTH):
            raise serializers.ValidationError(
                _("The code has %(length)d digits.") % {"length": settings.OTP_LENGTH}
            )
        return code


class SessionSerializer(serializers.Serializer):
    """Answer of verify-otp and login."""

    message = serializers.CharField(required=False)
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    user = UserSerializer()


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(required=False, allow_blank=True)
    refresh_token = serializers.CharField(required=False, allow_blank=True, write_only=True)

    def validate(self, attrs):
        raw = attrs.get("refresh") or attrs.get("refresh_token")
        if not raw:
            raise serializers.ValidationError({"refresh": [_("This field is required.")]})
        return {"refresh": raw}


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class LogoutSerializer(serializers.Serializer):
    """``refresh_token`` or its alias ``refresh``; a missing one is auth_logout's to refuse, after
    it has stopped the caller's access token."""

    refresh_token = serializers.CharField(required=False, allow_blank=True)
    refresh = serializers.CharField(required=False, allow_blank=True, write_only=True)

    def validate(self, attrs):
        return {"refresh_token": attrs.get("refresh_token") or attrs.get("refresh") or ""}


class ChangePasswordSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class PasswordChangedSerializer(serializers.Serializer):
    message = serializers.CharField()
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()


class PasswordResetSerializer(serializers.Serializer):
    phone = PhoneField()


class PasswordResetConfirmSerializer(_CodeMixin):
    phone = PhoneField()
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()
