"""Embedded push backend: the real FCM v1 message, answered in-process by the sandbox simulator."""

from __future__ import annotations

from apps.sandbox.fcm import SANDBOX_BEARER, SANDBOX_PROJECT_ID, fcm_send

from .base import PushReceipt
from .fcm import parse_and_log, send_message_body


class SandboxBackend:
    """Speaks the FCM contract to the simulator, so embedded mode builds the same message and
    parses the same replies as production; what it "pushed" shows at /sandbox/push/outbox/."""

    name = "sandbox"

    def send(self, *, token: str, title: str, body: str, data: dict[str, str]) -> PushReceipt:
        payload = send_message_body(token=token, title=title, body=body, data=data)
        http_status, reply = fcm_send(SANDBOX_PROJECT_ID, payload, SANDBOX_BEARER)
        return parse_and_log(self.name, token, http_status, reply)
