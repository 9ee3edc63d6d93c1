"""The "sandbox" SMS and push backends: real wire payloads, answered in-process by the simulators.

SMS_BACKEND=sandbox and PUSH_BACKEND=sandbox name these classes; only the development and test
settings register them (clean_care/settings/simulators.py), so no production module names them.
"""

from __future__ import annotations

from apps.notifications.push import PushReceipt
from apps.notifications.push.fcm import parse_and_log as push_parse_and_log
from apps.notifications.push.fcm import send_message_body
from apps.notifications.sms import SmsMessage, SmsReceipt
from apps.notifications.sms.sslwireless import parse_and_log as sms_parse_and_log
from apps.notifications.sms.sslwireless import send_sms_payload

from .fcm import SANDBOX_BEARER, SANDBOX_PROJECT_ID, fcm_send
from .sms import ISMS_SANDBOX_TOKEN, ismsplus_send_sms

SANDBOX_SID = "CLEANCARE"  # the simulator accepts any sender id


class SandboxSmsBackend:
    """Speaks the SSL Wireless contract to the simulator, so embedded mode exercises the same
    payload and reply parsing as production. Like the real clients it logs a masked phone and
    never the text (it holds the code): the outbox, on this machine only, shows what was sent."""

    name = "sandbox"

    def send(self, message: SmsMessage) -> SmsReceipt:
        payload = send_sms_payload(message, api_token=ISMS_SANDBOX_TOKEN, sid=SANDBOX_SID)
        http_status, body = ismsplus_send_sms(payload)
        return sms_parse_and_log(self.name, message, http_status, body)


class SandboxPushBackend:
    """Speaks the FCM contract to the simulator, so embedded mode builds the same message and
    parses the same replies as production; what it "pushed" shows at /sandbox/push/outbox/."""

    name = "sandbox"

    def send(self, *, token: str, title: str, body: str, data: dict[str, str]) -> PushReceipt:
        payload = send_message_body(token=token, title=title, body=body, data=data)
        http_status, reply = fcm_send(SANDBOX_PROJECT_ID, payload, SANDBOX_BEARER)
        return push_parse_and_log(self.name, token, http_status, reply)
