"""HTTP faces of the sandbox simulators: the providers' wire contracts, served by our own server."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import ErrorCode, error_body

from .access import outbox_access
from .fcm import fcm_send, fcm_token, sandbox_push_outbox
from .sms import bulksmsbd_send, code_in, ismsplus_send_sms, sandbox_outbox, sms_on_its_way

OUTBOX_WAIT_MAX_SECONDS = 10
OUTBOX_POLL_SECONDS = 0.2


def _json(body: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


# ---------------------------------------------------------------------------------------------
# SMS
# ---------------------------------------------------------------------------------------------
def _isms_payload(request: HttpRequest) -> Any:
    """JSON body on POST, as documented; query parameters on GET, as many integrations do."""
    if request.method == "GET":
        return request.GET.dict()
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.POST.dict()
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None  # the simulator answers 4004 invalid request format


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sslwireless_send_sms(request: HttpRequest) -> JsonResponse:
    http_status, body = ismsplus_send_sms(_isms_payload(request))
    return _json(body, http_status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def bulksmsbd_smsapi(request: HttpRequest) -> JsonResponse:
    form = {**request.GET.dict(), **request.POST.dict()}  # the provider takes form or query
    http_status, body = bulksmsbd_send(form)
    return _json(body, http_status)


@require_GET
@outbox_access
def sms_outbox(request: HttpRequest) -> JsonResponse:
    """What the simulators "delivered" to a phone, newest first: how a tester reads an OTP.

    ``wait=N`` (at most 10 seconds) waits while a code issued to the phone is still on its way
    through the worker, so a script can read it right after asking for it; ``latest_code`` is
    the code in the newest text.
    """
    phone = request.GET.get("phone", "").strip()
    if not phone:
        message = "The phone query parameter is required."
        return _json(error_body(message, ErrorCode.VALIDATION_ERROR, {"phone": [message]}), 400)
    wait = request.GET.get("wait", "0").strip()
    if not wait.isdigit() or int(wait) > OUTBOX_WAIT_MAX_SECONDS:
        message = f"wait is a whole number of seconds from 0 to {OUTBOX_WAIT_MAX_SECONDS}."
        return _json(error_body(message, ErrorCode.VALIDATION_ERROR, {"wait": [message]}), 400)
    deadline = time.monotonic() + int(wait)
    rows = list(sandbox_outbox(phone))
    while sms_on_its_way(phone, rows[0] if rows else None) and time.monotonic() < deadline:
        time.sleep(OUTBOX_POLL_SECONDS)
        rows = list(sandbox_outbox(phone))
    return _json(
        {
            "count": len(rows),
            "latest_code": code_in(rows[0].text) if rows else None,
            "results": [
                {
                    "id": str(sms.id),
                    "phone": sms.phone,
                    "text": sms.text,
                    "csms_id": sms.csms_id,
                    "provider": sms.provider,
                    "created_at": sms.created_at.isoformat(),
                }
                for sms in rows
            ],
        }
    )


# ---------------------------------------------------------------------------------------------
# Push (FCM HTTP v1)
# ---------------------------------------------------------------------------------------------
@csrf_exempt
@require_POST
def fcm_oauth_token(request: HttpRequest) -> JsonResponse:
    """Google's OAuth2 token endpoint: form fields grant_type and assertion (a signed JWT)."""
    http_status, body = fcm_token(request.POST.dict(), audience=request.build_absolute_uri())
    return _json(body, http_status)


@csrf_exempt
@require_POST
def fcm_messages_send(request: HttpRequest, project_id: str) -> JsonResponse:
    scheme, _space, bearer = request.headers.get("Authorization", "").partition(" ")
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        payload = None  # the simulator answers 400 INVALID_ARGUMENT
    http_status, body = fcm_send(project_id, payload, bearer if scheme == "Bearer" else None)
    return _json(body, http_status)


@require_GET
@outbox_access
def push_outbox(request: HttpRequest) -> JsonResponse:
    """What the FCM simulator "pushed", newest first: to a ``token`` or to a ``user``'s devices."""
    token = request.GET.get("token", "").strip()
    user = request.GET.get("user", "").strip()
    try:
        user_id = uuid.UUID(user) if user else None
    except ValueError:
        message = "The user query parameter must be a user id (UUID)."
        return _json(error_body(message, ErrorCode.VALIDATION_ERROR, {"user": [message]}), 400)
    if not (token or user_id):
        message = "Give a user or a token query parameter."
        return _json(error_body(message, ErrorCode.VALIDATION_ERROR, {"user": [message]}), 400)
    rows = list(sandbox_push_outbox(user_id=user_id, token=token or None))
    return _json(
        {
            "count": len(rows),
            "results": [
                {
                    "id": str(push.id),
                    "token": push.token,
                    "title": push.title,
                    "body": push.body,
                    "data": push.data,
                    "message_id": push.message_id,
                    "created_at": push.created_at.isoformat(),
                }
                for push in rows
            ],
        }
    )
