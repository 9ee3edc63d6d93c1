"""Background work of authentication: delivering texts, purging old codes."""

import logging

from celery import shared_task

from core.crypto import InvalidToken, unseal
from core.phone import mask_phone

from . import services
from .sms import SmsError, SmsMessage, get_sms_backend

logger = logging.getLogger(__name__)

SMS_MAX_RETRIES = 5


@shared_task(bind=True, name="apps.authentication.tasks.sms_deliver", max_retries=SMS_MAX_RETRIES)
def sms_deliver(self, *, phone: str, sealed_text: str, csms_id: str) -> str | None:
    """Send one text. Safe to retry: the provider drops a repeated ``csms_id`` (ISMS 4023).

    The text arrives sealed (core.crypto) so the broker never holds an OTP in the clear.
    """
    try:
        text = unseal(sealed_text)
    except InvalidToken:
        logger.error(
            "SMS %s to %s dropped: its text cannot be unsealed", csms_id, mask_phone(phone)
        )
        return None
    try:
        receipt = get_sms_backend().send(SmsMessage(phone=phone, text=text, csms_id=csms_id))
    except SmsError as exc:
        if exc.transient and self.request.retries < SMS_MAX_RETRIES:
            logger.warning(
                "SMS %s to %s failed (%s); retrying", csms_id, mask_phone(phone), exc.code
            )
            raise self.retry(exc=exc, countdown=min(300, 10 * 2**self.request.retries)) from exc
        logger.error("SMS %s to %s failed for good (%s)", csms_id, mask_phone(phone), exc.code)
        return None
    logger.info(
        "SMS %s to %s accepted by %s%s",
        csms_id,
        mask_phone(phone),
        receipt.provider,
        " (duplicate, sent before)" if receipt.duplicate else "",
    )
    return receipt.reference


@shared_task(name="apps.authentication.tasks.otp_purge_expired")
def otp_purge_expired() -> int:
    return services.otp_purge_expired()
