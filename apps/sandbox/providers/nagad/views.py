"""Django faces of the Nagad simulator: wire endpoints adapted to ``api``, and the hosted page."""

from __future__ import annotations

import httpx
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .api import Refusal, api, finish, payment_for_page

# Hop-by-hop and body headers Django sets itself.
_SKIP = frozenset({"content-length", "transfer-encoding", "connection", "content-encoding"})
# The only request headers the simulator reads (§2.2).
_FORWARD = frozenset({"content-type", "x-km-api-version", "x-km-ip-v4", "x-km-client-type"})


def _forwarded(request: HttpRequest) -> dict[str, str]:
    """The headers ``api`` needs; values httpx cannot encode (non-ASCII) are left out."""
    headers = {}
    for key, value in request.headers.items():
        if key.lower() in _FORWARD and value.isascii():
            headers[key] = value
    return headers


@csrf_exempt
def wire(request: HttpRequest, rest: str) -> HttpResponse:
    outgoing = httpx.Request(
        request.method or "GET",
        "http://sandbox.invalid" + request.get_full_path(),
        headers=_forwarded(request),
        content=request.body,
    )
    incoming = api(outgoing)
    response = HttpResponse(incoming.content, status=incoming.status_code)
    for key, value in incoming.headers.items():
        if key.lower() not in _SKIP:
            response[key] = value
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def hosted_page(request: HttpRequest, payment_ref: str) -> HttpResponse:
    """Nagad's checkout page, simulated: approve, decline or cancel, then back to the merchant."""
    try:
        if request.method == "POST":
            action = request.POST.get("action", "")
            if action not in ("approve", "decline", "cancel"):
                return HttpResponse("Unknown action", status=400, content_type="text/plain")
            return HttpResponseRedirect(finish(payment_ref, action))
        payment = payment_for_page(payment_ref)
    except Refusal as refusal:
        return render(
            request,
            "sandbox/nagad/pay.html",
            {"error": refusal.message, "payment_ref": payment_ref},
            status=refusal.status if refusal.status != 400 else 409,
        )
    return render(
        request,
        "sandbox/nagad/pay.html",
        {"payment": payment, "payment_ref": payment_ref, "open": payment.state == "Ready"},
    )
