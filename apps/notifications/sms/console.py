"""Development SMS backend: writes each message, text included, to the "clean_care.sms" log."""

from __future__ import annotations

import logging
import uuid

from .base import SmsMessage, SmsReceipt

logger = logging.getLogger("clean_care.sms")


class ConsoleBackend:
    """Sends nothing; the full text is logged on purpose so a developer can read the OTP."""

    name = "console"

    def send(self, message: SmsMessage) -> SmsReceipt:
        reference = uuid.uuid4().hex
        logger.info(
            "sms (console) to=%s csms_id=%s reference=%s text=%s",
            message.phone,
            message.csms_id,
            reference,
            message.text,
        )
        return SmsReceipt(provider=self.name, reference=reference)
