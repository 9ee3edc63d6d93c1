"""Background work of notifications: pushing one notification to the user's devices."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import services

logger = logging.getLogger(__name__)

PUSH_MAX_RETRIES = 5


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
