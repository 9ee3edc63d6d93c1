"""Development push backend: logs each notification to "clean_care.push" and sends nothing."""

from __future__ import annotations

import logging
import uuid

from .base import PushReceipt, token_ref

logger = logging.getLogger("clean_care.push")


class ConsoleBackend:
    name = "console"

    def send(self, *, token: str, title: str, body: str, data: dict[str, str]) -> PushReceipt:
        message_id = uuid.uuid4().hex
        logger.info(
            "push (console) to=%s message_id=%s title=%s body=%s data=%s",
            token_ref(token),
            message_id,
            title,
            body,
            data,
        )
        return PushReceipt(provider=self.name, message_id=message_id)
