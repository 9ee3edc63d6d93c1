"""Run the whole system in the foreground: ASGI server (HTTP + WebSocket), Celery worker, beat.

`make run` calls this after migrating and loading demo data. Ctrl-C (or SIGTERM) stops every
process it started; if one of them dies, the others are stopped too, so nothing (periodic work
included) can be half-running without anyone noticing. Beat is a process of its own for that
reason: embedded in the worker (``--beat``) it could die while the worker lives on.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping

from django.conf import settings
from django.core.management.base import BaseCommand

STOP_GRACE_SECONDS = 10


def supervise(
    processes: Mapping[str, subprocess.Popen],
    stop_requested: Callable[[], bool],
    report: Callable[[str], None],
    *,
    interval: float = 0.5,
) -> int:
    """Watch ``processes`` until a stop is requested (0) or one of them exits (its code, or 1)."""
    while not stop_requested():
        for name, process in processes.items():
            if process.poll() is not None:
                report(f"{name} exited with {process.returncode}; stopping every process.")
                return process.returncode or 1
        time.sleep(interval)
    return 0


def _browser_host(host: str) -> str:
    """The address a browser on this machine uses for a server bound to ``host``."""
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104


WS_MAX_FRAME_BYTES = 64 * 1024
# How every web process runs (benchmarks and multi-process tests start theirs the same way).
UVICORN_OPTIONS = (
    "--lifespan",
    "off",
    "--no-access-log",
    # A chat frame is at most 4,000 characters; nothing else needs more than this.
    "--ws-max-size",
    str(WS_MAX_FRAME_BYTES),
    # Frames are small JSON: compressing each one costs CPU and ~35 KiB per socket for nothing.
    "--ws-per-message-deflate",
    "false",
)


class Command(BaseCommand):
    help = "Serve the API on HOST:PORT (default 127.0.0.1:8000) with a Celery worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=(
                "Serve HTTP/WebSocket only (no worker, no beat; /api/health/ then does not require"
                " them unless HEALTH_REQUIRES_BEAT is set)."
            ),
        )

    def handle(self, *args, host, port, no_worker, **options):
        # Payment callbacks and the sandbox's hosted pages must name the address browsers use.
        os.environ.setdefault("PAYMENT_PUBLIC_BASE_URL", f"http://{_browser_host(host)}:{port}")
        python = sys.executable
        commands = {
            "web": [
                python,
                "-m",
                "uvicorn",
                "clean_care.asgi:application",
                "--host",
                host,
                "--port",
                str(port),
                *UVICORN_OPTIONS,
            ],
        }
        if not no_worker:
            celery = [python, "-m", "celery", "-A", "clean_care"]
            commands["worker"] = [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"]
            commands["beat"] = [
                *celery,
                "beat",
                "--loglevel",
                "INFO",
                "--scheduler",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--pidfile=",  # nothing to clean up after a crash; serve itself watches it
            ]
        env = dict(os.environ)
        if no_worker:
            # No beat and no worker here, so the web process must not report periodic work dead;
            # an explicit HEALTH_REQUIRES_BEAT (worker and beat run elsewhere) is kept.
            env.setdefault("HEALTH_REQUIRES_BEAT", "false")
        processes = {
            name: subprocess.Popen(cmd, start_new_session=True, env=env)  # noqa: S603 (our argv)
            for name, cmd in commands.items()
        }
        self._banner(host, port)

        stopping = False

        def request_stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        try:
            exit_code = supervise(processes, lambda: stopping, self.stderr.write)
        finally:
            self._stop(processes)
        if exit_code:
            sys.exit(exit_code)

    def _stop(self, processes) -> None:
        # The leaders shut down warmly (Celery drains its pool); stragglers are killed after grace.
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # anything the leader left behind
        self.stdout.write("Stopped every process.")

    def _banner(self, host: str, port: int) -> None:
        shown = _browser_host(host)
        base = f"http://{shown}:{port}"
        lines = [
            "",
            "Clean Care Bangladesh is running (embedded mode)"
            if not settings.SERVICES_MODE
            else "Clean Care Bangladesh is running (services mode)",
            f"  Staff console  {base}/console/",
            f"  API            {base}/api/v1/   (also {base}/api/)",
            f"  API docs       {base}/api/docs/   (ReDoc: {base}/api/redoc/)",
            f"  Django admin   {base}/admin/",
            f"  Health         {base}/api/health/",
            f"  WebSocket      ws://{shown}:{port}/ws/notifications/?token=<access token>",
        ]
        if settings.SANDBOX_ENABLED:
            lines.append(f"  SMS outbox     {base}/sandbox/sms/outbox/?phone=01XXXXXXXXX")
        lines += [
            "",
            "Demo logins are listed above (make run loads them).",
            "Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write("\n".join(lines))
