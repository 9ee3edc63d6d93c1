"""Embedded SMS backend: the real ISMS v3 payload, answered in-process by the sandbox simulator."""

from __future__ import annotations

import logging

from apps.sandbox.sms import ismsplus_send_sms

from .base import SmsMessage, SmsReceipt
from .sslwireless import parse_and_log, send_sms_payload

logger = logging.getLogger("clean_care.sms")

# The simulator accepts these without any configuration; they are not secrets.
SANDBOX_API_TOKEN = "sandbox-token"  # noqa: S105
SANDBOX_SID = "CLEANCARE"


class SandboxBackend:
    """Speaks the SSL Wireless contract to the simulator, so embedded mode exercises the same
    payload and reply parsing as production; it also logs the text so the OTP can be read."""

    name = "sandbox"

    def send(self, message: SmsMessage) -> SmsReceipt:
        logger.info(
            "sms (sandbox) to=%s csms_id=%s text=%s", message.phone, message.csms_id, message.text
        )
        payload = send_sms_payload(message, api_token=SANDBOX_API_TOKEN, sid=SANDBOX_SID)
        http_status, body = ismsplus_send_sms(payload)
        return parse_and_log(self.name, message, http_status, body)
