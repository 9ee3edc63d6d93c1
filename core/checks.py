"""System checks of the deployment: the database pools fit the connection budget, and the
metrics networks parse."""

import ipaddress

from django.conf import settings
from django.core import checks

from core.connection_budget import budget_processes


@checks.register(checks.Tags.database)
def database_connection_budget(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warns when every process's pool at its largest would open more connections than the
    database allows (seed 000 §10.3: 100): the last processes would then wait for a connection
    until DB_POOL_TIMEOUT and fail."""
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    if not isinstance(pool, dict) or "max_size" not in pool:
        return []  # embedded mode (SQLite): no pool, no budget
    processes = budget_processes(
        web=settings.WEB_CONCURRENCY,
        workers=settings.CELERY_WORKER_CONCURRENCY,
        web_servers=settings.WEB_SERVERS,
    )
    needed = processes * pool["max_size"]
    if needed <= settings.DB_MAX_CONNECTIONS:
        return []
    return [
        checks.Warning(
            f"{processes} processes × DB_POOL_MAX_SIZE={pool['max_size']} may open {needed} "
            f"database connections, more than DB_MAX_CONNECTIONS={settings.DB_MAX_CONNECTIONS}.",
            hint=(
                "Lower DB_POOL_MAX_SIZE, WEB_CONCURRENCY or CELERY_WORKER_CONCURRENCY (processes: "
                "uvicorn processes × WEB_SERVERS + Celery worker processes + beat), or raise the "
                "database's max_connections and DB_MAX_CONNECTIONS."
            ),
            id="core.W001",
        )
    ]


@checks.register()
def metrics_networks(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for network in settings.METRICS_ALLOWED_NETWORKS:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            errors.append(
                checks.Error(
                    f"METRICS_ALLOWED_NETWORKS: {network!r} is not a network.",
                    hint="Use addresses or CIDR blocks, e.g. 127.0.0.1/32,10.0.0.0/8.",
                    id="core.E001",
                )
            )
    return errors
