"""Periodic housekeeping of the core mechanisms; the heartbeat that proves periodic work runs."""

from celery import shared_task
from celery.signals import after_task_publish
from django.utils import timezone

from .backups import backup_create, backups_prune
from .idempotency import idempotency_purge_expired as _purge
from .models import Heartbeat, RevokedAccessToken

HEARTBEAT_TASK = "core.tasks.beat_heartbeat"


@shared_task(name="core.tasks.idempotency_purge_expired")
def idempotency_purge_expired() -> int:
    return _purge()


@shared_task(name="core.tasks.revoked_access_tokens_purge")
def revoked_access_tokens_purge() -> int:
    """Forget signed-out tokens that have expired: simplejwt refuses them on ``exp`` alone."""
    deleted, _detail = RevokedAccessToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@shared_task(name=HEARTBEAT_TASK)
def beat_heartbeat() -> None:
    """Sent by beat every BEAT_HEARTBEAT_INTERVAL (expiring after one); the worker that runs it
    records when, and /api/health/ reads how long ago (``periodic_jobs``)."""
    Heartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})


@after_task_publish.connect(sender=HEARTBEAT_TASK)
def beat_heartbeat_sent(**kwargs) -> None:
    """Runs in the process that sent the heartbeat, which is beat: beat itself records that it
    runs, so a dead worker cannot make beat look dead (/api/health/ ``beat``)."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"beat_at": timezone.now()})


@shared_task(name="core.tasks.backups_nightly", time_limit=4 * 3600, soft_time_limit=4 * 3600 - 300)
def backups_nightly() -> str:
    """Beat's 02:00 Asia/Dhaka job: a new backup set, then the sets past BACKUP_KEEP_DAYS pruned
    (only after the new one is written, so a failing backup never leaves fewer old ones)."""
    backup = backup_create()
    backups_prune()
    return backup.stamp
