"""HTTP face of the bKash simulator: the API (adapted onto ``api``) and the hosted payment page."""

from __future__ import annotations

import httpx
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.sandbox.models import SandboxPayment

from .api import PROVIDER, api, customer_action, expire_tokens

# The only headers the simulator reads (GATEWAYS.md §1.2).
_FORWARDED_HEADERS = ("content-type", "authorization", "x-app-key", "username", "password")


def _forwarded_headers(request: HttpRequest) -> dict[str, str]:
    """Headers for the simulator; a value httpx cannot encode (non-ASCII) is dropped, so the
    call answers like a missing header (401) instead of crashing."""
    headers = {}
    for name in _FORWARDED_HEADERS:
        value = request.headers.get(name)
        if value is None:
            continue
        try:
            value.encode("ascii")
        except UnicodeEncodeError:
            continue
        headers[name] = value
    return headers


@csrf_exempt
def api_view(request: HttpRequest, op: str) -> HttpResponse:
    """Server-to-server calls: no browser, no CSRF; the simulator checks the credentials."""
    outgoing = httpx.Request(
        request.method,
        request.build_absolute_uri(),
        headers=_forwarded_headers(request),
        content=request.body,
    )
    answer = api(outgoing)
    return HttpResponse(
        answer.content,
        status=answer.status_code,
        content_type=answer.headers.get("content-type", "application/json"),
    )


@csrf_exempt  # a stand-in for bKash's own page: no session of ours to protect
@require_http_methods(["GET", "POST"])
def pay_page(request: HttpRequest, payment_id: str) -> HttpResponse:
    """bKash's hosted page, simulated: approve, decline or cancel, then back to callbackURL."""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ("approve", "decline", "cancel"):
            return render(
                request,
                "sandbox/bkash/pay.html",
                {"payment": _payment(payment_id), "error": "Choose approve, decline or cancel."},
                status=400,
            )
        url = customer_action(payment_id, action)
        if url is None:
            raise Http404("No such bKash payment")
        return HttpResponseRedirect(url)
    return render(request, "sandbox/bkash/pay.html", {"payment": _payment(payment_id)})


def _payment(payment_id: str) -> SandboxPayment:
    payment = SandboxPayment.objects.filter(provider=PROVIDER, provider_ref=payment_id).first()
    if payment is None:
        raise Http404("No such bKash payment")
    return payment


@csrf_exempt
@require_POST
def tokens_expire(request: HttpRequest) -> JsonResponse:
    """Tester knob: every id_token issued so far now answers 401."""
    expire_tokens()
    return JsonResponse({"expired": True})
