"""Periodic housekeeping of the core mechanisms."""

from celery import shared_task
from django.utils import timezone

from .idempotency import idempotency_purge_expired as _purge
from .models import Heartbeat, RevokedAccessToken


@shared_task(name="core.tasks.idempotency_purge_expired")
def idempotency_purge_expired() -> int:
    return _purge()


@shared_task(name="core.tasks.revoked_access_tokens_purge")
def revoked_access_tokens_purge() -> int:
    """Forget signed-out tokens that have expired: simplejwt refuses them on ``exp`` alone."""
    deleted, _detail = RevokedAccessToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@shared_task(name="core.tasks.beat_heartbeat")
def beat_heartbeat() -> None:
    """Scheduled by beat every BEAT_HEARTBEAT_INTERVAL: /api/health/ reads how long ago it ran."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"beat_at": timezone.now()})
