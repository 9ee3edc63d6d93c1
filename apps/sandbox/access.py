"""Who may read the sandbox outboxes: the machine itself, unless SANDBOX_OUTBOX_PUBLIC says all.

The outboxes show every OTP and push the simulators "delivered", so whoever reads them can reset
any account's password. A developer's own machine is the only reader by default; a request that
came through a proxy (which would make everyone look local) is refused as well.
"""

from __future__ import annotations

import ipaddress
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from core.exceptions import ErrorCode, error_body

FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
OUTBOX_CLOSED = (
    "The sandbox outbox answers only requests made on this machine. Read it from the machine "
    "that runs the server, or set SANDBOX_OUTBOX_PUBLIC=true on a development server nobody "
    "else can reach."
)


def request_is_local(request: HttpRequest) -> bool:
    if any(request.META.get(header) for header in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def outbox_access(view):
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        if not (settings.SANDBOX_OUTBOX_PUBLIC or request_is_local(request)):
            body = error_body(OUTBOX_CLOSED, ErrorCode.PERMISSION_DENIED, {})
            return JsonResponse(body, status=403)
        return view(request, *args, **kwargs)

    return guarded
