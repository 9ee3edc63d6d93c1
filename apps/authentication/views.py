"""HTTP endpoints of /auth/: each parses input, calls one service, serialises the answer."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.users.serializers import UserSerializer
from core.openapi_errors import errors
from core.rls import ActsAsSystem
from core.throttles import (
    LoginIPThrottle,
    LoginPhoneThrottle,
    OtpVerifyIPThrottle,
    SmsSendIPThrottle,
)

from . import examples, services
from .serializers import (
    ChangePasswordSerializer,
    LoginSerializer,
    LogoutSerializer,
    MessageSerializer,
    OtpSentSerializer,
    PasswordChangedSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    RefreshSerializer,
    RegisterResponseSerializer,
    RegisterSerializer,
    ResendOtpSerializer,
    SessionSerializer,
    TokenPairSerializer,
    VerifyOtpSerializer,
)

TAG = ["auth"]


def _otp_ttl_seconds() -> int:
    return int(settings.OTP_TTL.total_seconds())


def _session(request, user, tokens, message=None) -> dict:
    body = {
        "access_token": tokens["access"],
        "refresh_token": tokens["refresh"],
        "user": UserSerializer(user, context={"request": request}).data,
    }
    if message:
        body = {"message": message, **body}
    return body


class PublicAPIView(ActsAsSystem, APIView):
    """Endpoints for people who are not signed in: a stale token in the header is ignored. They
    look accounts up by phone before anyone is known, so they act as the system (core/rls.py)."""

    authentication_classes = []
    permission_classes = [AllowAny]


class RegisterView(PublicAPIView):
    throttle_classes = [AnonRateThrottle, SmsSendIPThrottle]

    @extend_schema(
        tags=TAG,
        summary="Register a citizen and text a 6-digit code",
        request=RegisterSerializer,
        responses={201: RegisterResponseSerializer, **errors(400, 429)},
        examples=[examples.REGISTER, examples.REGISTERED],
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.auth_register(
            **serializer.validated_data, language=request.LANGUAGE_CODE, request=request
        )
        body = {
            "message": _("Registration received. Enter the code we sent to your phone."),
            "user_id": str(user.id),
            "phone": user.phone,
            "otp_sent": True,
            "otp_expires_in": _otp_ttl_seconds(),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class VerifyOtpView(PublicAPIView):
    throttle_classes = [AnonRateThrottle, OtpVerifyIPThrottle]

    @extend_schema(
        tags=TAG,
        summary="Verify the registration code and sign in",
        request=VerifyOtpSerializer,
        responses={200: SessionSerializer, **errors(400, 429)},
        examples=[examples.VERIFY_OTP, examples.VERIFIED],
    )
    def post(self, request):
        serializer = VerifyOtpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user, tokens = services.auth_verify_registration(
            phone=data["phone"], code=data["otp_code"], request=request
        )
        return Response(_session(request, user, tokens, _("Your phone number is verified.")))


class ResendOtpView(PublicAPIView):
    throttle_classes = [AnonRateThrottle, SmsSendIPThrottle]

    @extend_schema(
        tags=TAG,
        summary="Send a new code (60 s cooldown, 5 texts an hour)",
        request=ResendOtpSerializer,
        responses={200: OtpSentSerializer, **errors(400, 429)},
        examples=[examples.RESEND_OTP, examples.OTP_RESENT],
    )
    def post(self, request):
        serializer = ResendOtpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.auth_resend_otp(**serializer.validated_data, request=request)
        return Response(
            {
                "message": _("A new code has been sent."),
                "otp_sent": True,
                "otp_expires_in": _otp_ttl_seconds(),
            }
        )


class LoginView(PublicAPIView):
    throttle_classes = [AnonRateThrottle, LoginPhoneThrottle, LoginIPThrottle]

    @extend_schema(
        tags=TAG,
        summary="Sign in with phone and password",
        request=LoginSerializer,
        responses={200: SessionSerializer, **errors(400, 401, 403, 429)},
        examples=[examples.LOGIN, examples.STAFF_LOGIN, examples.SIGNED_IN],
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, tokens = services.auth_login(**serializer.validated_data, request=request)
        return Response(_session(request, user, tokens))


class RefreshView(PublicAPIView):
    @extend_schema(
        tags=TAG,
        summary="Exchange a refresh token for a new pair (the old one stops working)",
        request=RefreshSerializer,
        responses={200: TokenPairSerializer, **errors(400, 401)},
        examples=[examples.REFRESH, examples.REFRESHED],
    )
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(services.auth_refresh(raw_refresh=serializer.validated_data["refresh"]))


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Sign out this session",
        request=LogoutSerializer,
        responses={200: MessageSerializer, **errors(400, 401)},
        examples=[examples.LOGOUT, examples.SIGNED_OUT],
    )
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.auth_logout(
            user=request.user,
            raw_refresh=serializer.validated_data["refresh_token"],
            access_token=request.auth,
            request=request,
        )
        return Response({"message": _("You have been signed out.")})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG, summary="The signed-in user", responses={200: UserSerializer, **errors(401)}
    )
    def get(self, request):
        return Response(UserSerializer(request.user, context={"request": request}).data)


class ChangePasswordView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Change the password; other sessions are signed out",
        request=ChangePasswordSerializer,
        responses={200: PasswordChangedSerializer, **errors(400, 401)},
        examples=[examples.CHANGE_PASSWORD, examples.PASSWORD_CHANGED],
    )
    def put(self, request):
        serializer = ChangePasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tokens = services.auth_change_password(
            user=request.user, **serializer.validated_data, request=request
        )
        return Response(
            {
                "message": _("Your password has been changed."),
                "access_token": tokens["access"],
                "refresh_token": tokens["refresh"],
            }
        )


class PasswordResetView(PublicAPIView):
    throttle_classes = [AnonRateThrottle, SmsSendIPThrottle]

    @extend_schema(
        tags=TAG,
        summary="Ask for a reset code (the answer never says whether the number is registered)",
        request=PasswordResetSerializer,
        responses={200: MessageSerializer, **errors(400)},
        examples=[examples.PASSWORD_RESET, examples.RESET_CODE_SENT],
    )
    def post(self, request):
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.auth_password_reset_request(**serializer.validated_data, request=request)
        return Response(
            {"message": _("If this number is registered, a reset code has been sent to it.")}
        )


class PasswordResetConfirmView(PublicAPIView):
    throttle_classes = [AnonRateThrottle, OtpVerifyIPThrottle]

    @extend_schema(
        tags=TAG,
        summary="Set a new password with the reset code",
        request=PasswordResetConfirmSerializer,
        responses={200: MessageSerializer, **errors(400, 429)},
        examples=[examples.PASSWORD_RESET_CONFIRM, examples.PASSWORD_RESET_DONE],
    )
    def post(self, request):
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.auth_password_reset_confirm(
            phone=data["phone"],
            code=data["otp_code"],
            new_password=data["new_password"],
            request=request,
        )
        return Response({"message": _("Your password has been reset. Please sign in.")})
