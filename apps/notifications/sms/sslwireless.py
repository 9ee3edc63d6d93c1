"""SSL Wireless ISMS Plus v3: our thin httpx client for ``POST /send-sms`` (GATEWAYS.md §5.1)."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from core.phone import msisdn
from core.transports import http_client, json_or_none

from ._http import log_failure, log_sent, network_error, required_setting
from .base import SmsError, SmsMessage, SmsReceipt

PROVIDER = "sslwireless"
DUPLICATE_CSMS_ID = 4023
# 5000 is ISMS's own internal error; 4029/4030/4031 are rate, limit and TPS throttles.
TRANSIENT_CODES = frozenset({5000, 4029, 4030, 4031})
PERMANENT_CODES = frozenset({4001, 4002, 4003, 4004, 4020, 4022, 4024, 4025, 4026, 4027})


def send_sms_payload(message: SmsMessage, *, api_token: str, sid: str) -> dict[str, str]:
    """The JSON body of ``POST /send-sms``; the sandbox backend sends exactly this too."""
    return {
        "api_token": api_token,
        "sid": sid,
        "msisdn": msisdn(message.phone),
        "sms": message.text,
        "csms_id": message.csms_id,
    }


def parse_send_sms_response(http_status: int, body: Any, *, provider: str = PROVIDER) -> SmsReceipt:
    """Turn a send-sms reply into a receipt, or raise SmsError saying whether a retry may help.

    The body's ``status_code`` decides when there is one (ISMS answers business errors with
    HTTP 200); the HTTP status only decides when the body is not the documented JSON.
    """
    if not isinstance(body, dict) or not isinstance(body.get("status_code"), int):
        raise _unreadable(http_status, provider)
    code = body["status_code"]
    if body.get("status") == "SUCCESS" and code == 200:
        return _receipt_from_smsinfo(body.get("smsinfo"), provider)
    if code == DUPLICATE_CSMS_ID:
        return SmsReceipt(provider=provider, duplicate=True)
    reason = str(body.get("error_message") or "")
    if code in PERMANENT_CODES:
        raise SmsError(f"{provider} refused the SMS: {reason}", code=str(code), transient=False)
    # Unknown codes: a 4xxx names something wrong with our request; anything else is theirs.
    transient = code in TRANSIENT_CODES or http_status >= 500 or not 4000 <= code < 5000
    raise SmsError(f"{provider} failed to send: {reason}", code=str(code), transient=transient)


def _receipt_from_smsinfo(smsinfo: Any, provider: str) -> SmsReceipt:
    info = smsinfo[0] if isinstance(smsinfo, list) and smsinfo else None
    if not isinstance(info, dict):
        # Safe to retry: the csms_id makes a re-send come back as a duplicate.
        raise SmsError(
            f"{provider} sent SUCCESS without smsinfo", code="bad_response", transient=True
        )
    sms_status = info.get("sms_status")
    if sms_status == "SUCCESS":
        reference = info.get("reference_id")
        return SmsReceipt(provider=provider, reference=str(reference) if reference else None)
    if sms_status == "DUPLICATE":  # one msisdn per request, so this can only be our csms_id
        return SmsReceipt(provider=provider, duplicate=True)
    raise SmsError(
        f"{provider} did not send the SMS: {info.get('status_message') or sms_status}",
        code=str(sms_status or "bad_response").lower(),
        transient=sms_status is None,
    )


def _unreadable(http_status: int, provider: str) -> SmsError:
    if http_status >= 500 or http_status == 429:
        return SmsError(
            f"{provider} answered HTTP {http_status}", code=f"http_{http_status}", transient=True
        )
    if 200 <= http_status < 300:
        return SmsError(f"{provider} sent an unreadable reply", code="bad_response", transient=True)
    # A bare 4xx (wrong base URL, proxy refusal) will not fix itself on retry.
    return SmsError(
        f"{provider} answered HTTP {http_status}", code=f"http_{http_status}", transient=False
    )


class SslWirelessBackend:
    """Sends one SMS per call; ``csms_id`` makes a retried send come back as a duplicate."""

    name = PROVIDER

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_token: str | None = None,
        sid: str | None = None,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        base_url = required_setting(base_url, "SSLWIRELESS_BASE_URL", backend=PROVIDER)
        self.base_url = base_url.rstrip("/")
        self._api_token = required_setting(api_token, "SSLWIRELESS_API_TOKEN", backend=PROVIDER)
        self.sid = required_setting(sid, "SSLWIRELESS_SID", backend=PROVIDER)
        self.timeout = timeout if timeout is not None else settings.SMS_TIMEOUT_SECONDS
        self._transport = transport

    def __repr__(self) -> str:  # keeps the token out of tracebacks and debug output
        return f"<SslWirelessBackend {self.base_url} sid={self.sid}>"

    def send(self, message: SmsMessage) -> SmsReceipt:
        payload = send_sms_payload(message, api_token=self._api_token, sid=self.sid)
        try:
            with http_client(
                base_url=self.base_url, timeout=self.timeout, transport=self._transport
            ) as client:
                response = client.post(f"{self.base_url}/send-sms", json=payload)
        except httpx.TransportError as exc:
            error = network_error(exc, self.name)
            log_failure(self.name, message, error)
            raise error from exc
        return parse_and_log(self.name, message, response.status_code, json_or_none(response))


def parse_and_log(provider: str, message: SmsMessage, http_status: int, body: Any) -> SmsReceipt:
    """Parse a send-sms reply and log the outcome without the text or any credential."""
    try:
        receipt = parse_send_sms_response(http_status, body, provider=provider)
    except SmsError as error:
        log_failure(provider, message, error)
        raise
    log_sent(provider, message, receipt)
    return receipt
