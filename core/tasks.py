"""Periodic housekeeping of the core mechanisms."""

from celery import shared_task

from .idempotency import idempotency_purge_expired as _purge


@shared_task(name="core.tasks.idempotency_purge_expired")
def idempotency_purge_expired() -> int:
    return _purge()
