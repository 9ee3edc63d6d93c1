"""Throttles beyond DRF's anon/user rates: sign-in attempts per phone and per client IP."""

import hashlib
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from rest_framework.throttling import SimpleRateThrottle

from .phone import normalize_phone


class LoginPhoneThrottle(SimpleRateThrottle):
    """At most 5 sign-in attempts a minute for one phone number, whoever sends them."""

    scope = "login_phone"

    def get_cache_key(self, request, view):
        # A DRF request carries the parsed body in .data; a plain Django view's form in .POST.
        data = getattr(request, "data", request.POST)
        data = data if isinstance(data, Mapping) else {}
        raw = str(data.get("phone") or "").strip()
        if not raw:
            return None
        try:
            phone = normalize_phone(raw)
        except ValidationError:
            phone = raw
        ident = hashlib.sha256(phone.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginIPThrottle(SimpleRateThrottle):
    """At most 5 sign-in attempts a minute from one client address."""

    scope = "login_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class OtpVerifyIPThrottle(LoginIPThrottle):
    """Caps OTP guesses from one address across many phones (each OTP also dies after 5 misses)."""

    scope = "otp_verify_ip"


class SmsSendIPThrottle(LoginIPThrottle):
    """Caps requests that text a code (register, resend, password reset) from one address.

    Per-phone limits already bound what one number costs; this stops one client from texting
    many numbers. Generous, because mobile carriers put many people behind one address.
    """

    scope = "sms_send_ip"
    rate = "20/hour"


def login_attempt_wait(request) -> float | None:
    """Count one sign-in attempt against the API's per-phone and per-address limits.

    For sign-in forms outside DRF (the console): the same scopes, rates and cache keys as the
    API's LoginView, so both doors share one budget. Returns the seconds to wait when a limit is
    reached, None when the attempt may go ahead.
    """
    waits = []
    for throttle in (LoginPhoneThrottle(), LoginIPThrottle()):
        if not throttle.allow_request(request, None):
            waits.append(throttle.wait() or 0)
    return max(waits) if waits else None
