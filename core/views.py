"""Health checks (readiness and liveness) and the JSON error pages for requests that never
reach a DRF view."""

import asyncio
import contextlib
import logging
import time
import uuid

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.views import defaults
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .exceptions import is_api_path, status_error_response
from .models import Heartbeat

logger = logging.getLogger(__name__)
_STARTED = time.monotonic()


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def _check_broker() -> None:
    from clean_care.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHANNEL_LAYER_TIMEOUT_SECONDS = 2.0
CHANNEL_LAYER_RESEND_SECONDS = 0.02


def _check_channel_layer() -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def roundtrip():
        channel = await layer.new_channel()
        receiving = asyncio.ensure_future(layer.receive(channel))
        try:
            # On the pub/sub layer a subscription counts from when Redis reads it, which may be
            # after a publish on the other connection: the ping goes again until one arrives.
            deadline = time.monotonic() + CHANNEL_LAYER_TIMEOUT_SECONDS
            while not receiving.done():
                if time.monotonic() > deadline:
                    raise RuntimeError("the channel layer delivered nothing within 2 s")
                await layer.send(channel, {"type": "health.ping"})
                await asyncio.wait({receiving}, timeout=CHANNEL_LAYER_RESEND_SECONDS)
            if receiving.result().get("type") != "health.ping":
                raise RuntimeError("channel layer lost a message")
        finally:
            await _channel_forget(layer, channel, receiving)

    async_to_sync(roundtrip)()


async def _channel_forget(layer, channel: str, receiving: asyncio.Future) -> None:
    """Drop the check's channel: the pub/sub layer unsubscribes when a receive is cancelled
    (and only then), so one is left waiting and cancelled; otherwise every health check would
    leave a subscription behind in a long-lived server process."""
    if receiving.done():
        receiving = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0)  # let it start waiting, so that cancelling runs its clean-up
    receiving.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await receiving


def _require_heartbeat(name: str) -> None:
    """Raises unless the ``name`` heartbeat row is at most two intervals old.

    Nothing is required where no beat is meant to run, and a server that started less than two
    intervals ago is given the time for a first heartbeat.
    """
    if not settings.HEALTH_REQUIRES_BEAT:
        return
    allowed = 2 * settings.BEAT_HEARTBEAT_INTERVAL
    last = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    if last is not None and timezone.now() - last <= allowed:
        return
    if time.monotonic() - _STARTED <= allowed.total_seconds():
        return
    raise RuntimeError(f"the {name} heartbeat was last recorded at {last or 'never'}")


def _check_beat() -> None:
    """Beat runs: it sent its heartbeat task within two intervals (beat records each send)."""
    _require_heartbeat("beat")


def _check_periodic_jobs() -> None:
    """Periodic jobs run: a worker ran beat's heartbeat within two intervals. With ``beat``
    healthy, a failure here means no worker takes the jobs beat sends."""
    try:
        _require_heartbeat("worker")
    except RuntimeError as exc:
        raise RuntimeError(f"periodic jobs are not running (beat or every worker): {exc}") from None


_CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
    "channel_layer": _check_channel_layer,
    "beat": _check_beat,
    "periodic_jobs": _check_periodic_jobs,
}


@extend_schema(
    tags=["health"],
    summary="Service health",
    responses={
        200: inline_serializer(
            "Health",
            fields={
                "status": serializers.ChoiceField(choices=["healthy", "unhealthy"]),
                "timestamp": serializers.DateTimeField(),
                "services": serializers.DictField(child=serializers.CharField()),
            },
        ),
        503: inline_serializer(
            "HealthUnhealthy",
            fields={
                "status": serializers.CharField(),
                "timestamp": serializers.DateTimeField(),
                "services": serializers.DictField(child=serializers.CharField()),
            },
        ),
    },
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def health(request):
    """Checks the database, cache, broker, channel layer, beat and that periodic jobs run (beat's
    heartbeat reached a worker); 503 if any of them fails."""
    services = {}
    for name, check in _CHECKS.items():
        try:
            check()
            services[name] = "healthy"
        except Exception:
            logger.exception("health check failed: %s", name)
            services[name] = "unhealthy"
    healthy = all(state == "healthy" for state in services.values())
    return Response(
        {
            "status": "healthy" if healthy else "unhealthy",
            "timestamp": timezone.localtime().isoformat(),
            "services": services,
        },
        status=200 if healthy else 503,
    )


@extend_schema(
    tags=["health"],
    summary="Liveness",
    description=(
        "Answers as long as the process serves requests; touches no database, cache or broker, "
        "so an orchestrator restarts only a process that is stuck, not every process when a "
        "shared service is down (that is what the readiness check `/health/` reports)."
    ),
    responses={
        200: inline_serializer(
            "Liveness", fields={"status": serializers.ChoiceField(choices=["alive"])}
        )
    },
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def health_live(request):
    """Liveness: the process answers; nothing else is asked."""
    return Response({"status": "alive"})


def page_not_found(request, exception=None):
    if is_api_path(request.path):
        return status_error_response(404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_path(request.path):
        return status_error_response(500)
    return defaults.server_error(request)


def bad_request(request, exception=None):
    if is_api_path(request.path):
        return status_error_response(400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api_path(request.path):
        return status_error_response(403)
    return defaults.permission_denied(request, exception)
