"""The database's connection budget (seed 000 §10.3: 100) shared out between the processes.

Plain arithmetic, so the production settings (which size every pool from it) and the startup
check (core/checks.py, which warns when explicit sizes exceed it) count the same processes.
"""

# Left free for what runs beside the app: a migration, pg_dump of the nightly backup, an
# operator's psql, PostgreSQL's own superuser slots.
RESERVED_CONNECTIONS = 10


def budget_processes(*, web: int, workers: int, web_servers: int = 1) -> int:
    """Processes that each hold a pool: ``web`` processes in each of ``web_servers`` web
    containers (compose runs two), the Celery worker processes, beat."""
    return web * web_servers + workers + 1


def pool_share(*, max_connections: int, processes: int) -> int:
    """The largest pool every one of ``processes`` may have with the reserve left free."""
    return (max_connections - RESERVED_CONNECTIONS) // processes
