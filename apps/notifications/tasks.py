"""Background work of notifications: delivering one text, pushing one notification to devices."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from core.crypto import InvalidToken, unseal
from core.phone import mask_phone

from . import services
from .sms import SmsError, SmsMessage, get_sms_backend

logger = logging.getLogger(__name__)

SMS_MAX_RETRIES = 5
PUSH_MAX_RETRIES = 5


@shared_task(bind=True, name="apps.notifications.tasks.sms_deliver", max_retries=SMS_MAX_RETRIES)
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
            raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
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


@shared_task(bind=True, name="apps.notifications.tasks.push_deliver", max_retries=PUSH_MAX_RETRIES)
def push_deliver(self, *, notification_id: str, token_ids: list[str] | None = None) -> None:
    """Push a notification. Safe to retry: a push no longer pending is skipped, and a retry
    targets only the devices that failed transiently (``token_ids``), never one already reached.

    Out of time (the soft limit: FCM slow for many devices) it tries again while retries are
    left, else settles the push so it never stays pending.
    """
    final_attempt = self.request.retries >= PUSH_MAX_RETRIES
    try:
        outcome = services.notification_push_deliver(
            notification_id=notification_id, token_ids=token_ids, final_attempt=final_attempt
        )
    except SoftTimeLimitExceeded:
        if final_attempt:
            logger.error("push of notification %s ran out of time; giving up", notification_id)
            services.notification_push_finish(notification_id=notification_id)
            return
        logger.warning("push of notification %s ran out of time; retrying", notification_id)
        raise self.retry(
            kwargs={"notification_id": notification_id, "token_ids": token_ids},
            countdown=_backoff(self.request.retries),
        ) from None
    if not outcome.retry_token_ids:
        return
    countdown = max(_backoff(self.request.retries), outcome.retry_after or 0)
    logger.warning(
        "push of notification %s to %d device(s) failed; retry %d in %ss",
        notification_id,
        len(outcome.retry_token_ids),
        self.request.retries + 1,
        countdown,
    )
    raise self.retry(
        kwargs={"notification_id": notification_id, "token_ids": outcome.retry_token_ids},
        countdown=countdown,
    )


def _backoff(retries: int) -> int:
    return min(300, 10 * 2**retries)
