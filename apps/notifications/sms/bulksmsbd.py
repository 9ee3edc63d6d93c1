"""BulkSMSBD (bulksmsbd.net): our thin httpx client for ``POST /smsapi`` (GATEWAYS.md §5.2).

BulkSMSBD has no idempotency id: a request it received cannot be told apart from a new one, so
a retry after a request that reached it may send the SMS twice. Errors are therefore transient
only when the send surely did not happen (connect errors, HTTP 5xx, code 1005 "internal error"),
plus a read timeout, which is transient too but may have sent already: a retry then risks a
second copy of the same OTP, which we accept over a user who gets no code at all.
"""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from core.phone import msisdn
from core.transports import http_client, json_or_none

from ._http import log_failure, log_sent, network_error, required_setting
from .base import SmsError, SmsMessage, SmsReceipt

PROVIDER = "bulksmsbd"
ACCEPTED = 202
TRANSIENT_CODES = frozenset({1005})
# 1001 number, 1002 sender id, 1003 missing fields, 1006 balance validity, 1007 balance,
# 1011 user id (bad api_key), 1012 masking must be Bengali, 1031 not verified, 1032 IP whitelist.
PERMANENT_CODES = frozenset({1001, 1002, 1003, 1006, 1007, 1011, 1012, 1031, 1032})


def parse_smsapi_response(http_status: int, body: Any) -> SmsReceipt:
    """Turn an smsapi reply into a receipt, or raise SmsError saying whether a retry may help."""
    if http_status >= 500:
        raise SmsError(
            f"{PROVIDER} answered HTTP {http_status}", code=f"http_{http_status}", transient=True
        )
    if not isinstance(body, dict) or not isinstance(body.get("response_code"), int):
        # Unlike ISMS there is no csms_id to make a retry safe, and a garbled 2xx may have sent.
        raise SmsError(f"{PROVIDER} sent an unreadable reply", code="bad_response", transient=False)
    code = body["response_code"]
    if code == ACCEPTED:
        message_id = body.get("message_id")
        return SmsReceipt(provider=PROVIDER, reference=str(message_id) if message_id else None)
    reason = str(body.get("error_message") or "")
    # Unknown codes are final: retrying something we do not understand may send twice.
    raise SmsError(
        f"{PROVIDER} refused the SMS: {reason}", code=str(code), transient=code in TRANSIENT_CODES
    )


class BulkSmsBdBackend:
    """Sends one SMS per call through BulkSMSBD; see the module docstring about retries."""

    name = PROVIDER

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        sender_id: str | None = None,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        base_url = required_setting(base_url, "BULKSMSBD_BASE_URL", backend=PROVIDER)
        self.base_url = base_url.rstrip("/")
        self._api_key = required_setting(api_key, "BULKSMSBD_API_KEY", backend=PROVIDER)
        self.sender_id = required_setting(sender_id, "BULKSMSBD_SENDER_ID", backend=PROVIDER)
        self.timeout = timeout if timeout is not None else settings.SMS_TIMEOUT_SECONDS
        self._transport = transport

    def __repr__(self) -> str:  # keeps the key out of tracebacks and debug output
        return f"<BulkSmsBdBackend {self.base_url} senderid={self.sender_id}>"

    def send(self, message: SmsMessage) -> SmsReceipt:
        # The key travels in the POST body, never the URL, so proxies and access logs miss it.
        form = {
            "api_key": self._api_key,
            "type": "text",
            "number": msisdn(message.phone),
            "senderid": self.sender_id,
            "message": message.text,
        }
        try:
            with http_client(
                base_url=self.base_url, timeout=self.timeout, transport=self._transport
            ) as client:
                response = client.post(f"{self.base_url}/smsapi", data=form)
            receipt = parse_smsapi_response(response.status_code, json_or_none(response))
        except httpx.TransportError as exc:
            error = network_error(exc, self.name)
            log_failure(self.name, message, error)
            raise error from exc
        except SmsError as error:
            log_failure(self.name, message, error)
            raise
        log_sent(self.name, message, receipt)
        return receipt
