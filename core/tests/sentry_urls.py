"""A view that fails with secrets in its message and locals, for the Sentry scrubbing test."""

from django.urls import path
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny

PHONE = "01712345678"
OTP = "480917"


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def fail(request):
    phone = request.data.get("phone")  # a local variable Sentry would show
    otp_code = request.data.get("otp_code")
    raise RuntimeError(
        f"could not verify {phone} with OTP {otp_code} for {request.get_full_path()}"
    )


urlpatterns = [path("api/v1/fail/", fail)]
