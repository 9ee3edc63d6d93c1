"""Prometheus /metrics: process, pool and heartbeat figures, read when scraped (no per-request
cost), for allowed networks or a bearer token only."""

import functools
import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import GaugeMetricFamily

from .request import client_ip

logger = logging.getLogger(__name__)


class ApplicationCollector:
    """Figures read at scrape time: build, the database pool of this process (labelled with its
    pid: each uvicorn process has its own) and the age of beat's and the worker's heartbeats."""

    def describe(self):
        """The names, without asking the database (the registry asks when this registers)."""
        yield GaugeMetricFamily("clean_care_info", "Build of this process.")
        yield GaugeMetricFamily("clean_care_db_pool", "Database pool of this process.")
        yield GaugeMetricFamily("clean_care_heartbeat_age_seconds", "Heartbeat ages.")

    def collect(self):
        info = GaugeMetricFamily(
            "clean_care_info", "Build of this process.", labels=["environment", "release"]
        )
        info.add_metric([settings.SENTRY_ENVIRONMENT, settings.SENTRY_RELEASE or "-"], 1)
        yield info
        yield from self._pool()
        yield from self._heartbeats()

    @staticmethod
    def _pool():
        pool = getattr(connections["default"], "pool", None)
        if pool is None:
            return
        stats = pool.get_stats()
        gauge = GaugeMetricFamily(
            "clean_care_db_pool", "Database pool of this process.", labels=["pid", "figure"]
        )
        for figure in ("pool_size", "pool_available", "requests_waiting", "pool_max"):
            gauge.add_metric([str(os.getpid()), figure], stats.get(figure, 0))
        yield gauge

    @staticmethod
    def _heartbeats():
        from .models import Heartbeat

        gauge = GaugeMetricFamily(
            "clean_care_heartbeat_age_seconds",
            "Seconds since beat sent (beat) and a worker ran (worker) the heartbeat task.",
            labels=["name"],
        )
        now = timezone.now()
        try:
            beats = list(Heartbeat.objects.values_list("name", "beat_at"))
        except DatabaseError:  # the process figures are still worth a scrape
            logger.warning("metrics: heartbeats unreadable", exc_info=True)
            beats = []
        for name, beat_at in beats:
            gauge.add_metric([name], (now - beat_at).total_seconds())
        yield gauge


REGISTRY.register(ApplicationCollector())


@functools.lru_cache(maxsize=4)
def _networks(
    allowed: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(network, strict=False) for network in allowed)


def metrics_allowed(request) -> bool:
    """A bearer token equal to METRICS_TOKEN, or a client address in METRICS_ALLOWED_NETWORKS."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if (
        token
        and header.startswith("Bearer ")
        and hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    ):
        return True
    address = client_ip(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(tuple(settings.METRICS_ALLOWED_NETWORKS)))


@require_GET
def metrics(request):
    """The registry in Prometheus' text format; a 404 like any unknown page for everyone else."""
    if not metrics_allowed(request):
        raise Http404
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
