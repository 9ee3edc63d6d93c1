"""HTTP faces of the SSLCommerz simulator: the wire APIs (shared with the in-process transport)
and the hosted payment page a browser approves, declines or cancels on."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import api as simulator

MERCHANT = "Clean Care Bangladesh"
ACTIONS = ("approve", "decline", "cancel")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wire_api(request: HttpRequest, **_kwargs) -> HttpResponse:
    """Adapts the Django request to ``api(httpx.Request)`` and its answer back."""
    content_type = request.content_type or "application/octet-stream"
    if request.method == "POST" and content_type == "multipart/form-data":
        # PHP-style providers take either encoding; the api reads one.
        content_type = "application/x-www-form-urlencoded"
        body = urlencode(list(request.POST.items())).encode()
    else:
        body = request.body
    outgoing = httpx.Request(
        request.method,
        request.build_absolute_uri(),
        headers={"content-type": content_type},
        content=body,
    )
    answer = simulator.api(outgoing)
    return HttpResponse(
        answer.content,
        status=answer.status_code,
        content_type=answer.headers.get("content-type", "application/json"),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def hosted_page(request: HttpRequest, sessionkey: str) -> HttpResponse:
    """GatewayPageURL: shows the payment; POST action=approve|decline|cancel decides it once and
    sends the browser back with an auto-submitting form POST (no redirect for the IPN-only knob)."""
    payment = simulator.payment_for(sessionkey)
    if payment is None:
        raise Http404("No such SSLCommerz session")
    context = {
        "payment": payment,
        "merchant": MERCHANT,
        "method": simulator.method_label(payment),
        "product": payment.data.get("product_name", ""),
    }
    if request.method == "GET":
        return render(request, "sandbox/sslcommerz/pay.html", context)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest("action must be approve, decline or cancel")
    payment = simulator.decide(sessionkey, action)
    target = simulator.callback_target(payment)
    context["payment"] = payment
    if target is None:
        return render(request, "sandbox/sslcommerz/done.html", context)
    context.update(target=target, fields=sorted(payment.data["callback"].items()))
    return render(request, "sandbox/sslcommerz/redirect.html", context)
