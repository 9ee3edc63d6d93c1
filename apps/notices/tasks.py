"""Background work of notices: expiring them, and pushing urgent ones to their wards' citizens."""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from . import selectors, services


@shared_task(name="apps.notices.tasks.notices_expire")
def notices_expire() -> int:
    return services.notices_expire()


@shared_task(name="apps.notices.tasks.notices_urgent_sweep")
def notices_urgent_sweep() -> int:
    """Start every urgent notice that shows and has not been pushed: a scheduled one whose time
    has come, or one whose start was never queued (the broker was down). Returns batches queued."""
    return sum(
        services.notice_urgent_start(notice_id=notice_id)
        for notice_id in selectors.notices_urgent_due(now=timezone.now())
    )


@shared_task(
    name="apps.notices.tasks.notice_urgent_start",
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=10,
)
def notice_urgent_start(*, notice_id: str) -> int:
    """Claim an urgent notice and queue its batches. Safe to repeat: only one run claims it."""
    return services.notice_urgent_start(notice_id=notice_id)


@shared_task(
    name="apps.notices.tasks.notice_urgent_push",
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=10,
)
def notice_urgent_push(*, notice_id: str, user_ids: list[str]) -> int:
    """Tell one batch of citizens. Safe to retry: whoever was told already is not told again."""
    return services.notice_urgent_push(notice_id=notice_id, user_ids=user_ids)
