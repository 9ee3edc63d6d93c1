"""Real uvicorn processes (and a local S3) on free loopback ports, for tests and benchmarks.

Each process serves ``clean_care.asgi:application`` as `make run` does (lifespan off, no access
log), in a session of its own so that stopping it stops anything it started; its output goes to
a file that is printed when the block using it fails. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from core.management.commands.serve import UVICORN_OPTIONS

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
READY_TIMEOUT_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0
LOG_TAIL_CHARS = 4000


def free_port() -> int:
    """A loopback port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def database_url(settings_dict: Mapping) -> str:
    """A DATABASE_URL naming the same PostgreSQL database as a connection's ``settings_dict``.

    pytest-django renames ``NAME`` to the test database in place, so children given this URL
    read and write the rows a transactional test committed.
    """
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = user + (f":{quote(password, safe='')}" if password else "")
    host = quote(settings_dict.get("HOST") or HOST, safe="")  # a socket directory is a path
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def pid_rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def log_text(self) -> str:
        """Everything the process has printed so far (its log goes when the block ends)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def log_tail(self) -> str:
        return self.log_text()[-LOG_TAIL_CHARS:] or "(no output)"


def uvicorn_start(*, env: Mapping[str, str], log_dir: Path, extra_args=()) -> Server:
    port = free_port()
    log_path = log_dir / f"uvicorn-{port}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "clean_care.asgi:application",
        "--host",
        HOST,
        "--port",
        str(port),
        *UVICORN_OPTIONS,
        "--log-level",
        "warning",
        *extra_args,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and application
            command,
            cwd=ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(process=process, port=port, log_path=log_path)


def wait_ready(server: Server, *, timeout: float = READY_TIMEOUT_SECONDS) -> None:
    """Until the port accepts connections (uvicorn binds only once the application is loaded)."""
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"uvicorn on port {server.port} exited with {server.process.returncode} "
                f"before listening:\n{server.log_tail()}"
            )
        try:
            socket.create_connection((HOST, server.port), timeout=1).close()
            return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"uvicorn on port {server.port} did not listen within {timeout:g} s:\n"
                f"{server.log_tail()}"
            )
        time.sleep(0.1)


def uvicorn_stop(server: Server, *, grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM, then SIGKILL to the whole session after ``grace`` seconds."""
    process = server.process
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)


@contextlib.contextmanager
def uvicorn_processes(
    count: int, *, env: Mapping[str, str], ready_timeout: float = READY_TIMEOUT_SECONDS
) -> Iterator[list[Server]]:
    """``count`` uvicorn processes, listening when the block starts, stopped when it ends."""
    log_dir = Path(tempfile.mkdtemp(prefix="cc-uvicorn-"))
    servers: list[Server] = []
    failed = False
    try:
        for _ in range(count):
            servers.append(uvicorn_start(env=env, log_dir=log_dir))
        for server in servers:
            wait_ready(server, timeout=ready_timeout)
        yield servers
    except BaseException:
        failed = True
        raise
    finally:
        for server in servers:
            uvicorn_stop(server)
        if failed:
            for server in servers:
                sys.stderr.write(f"--- uvicorn on port {server.port} ---\n{server.log_tail()}\n")
        shutil.rmtree(log_dir, ignore_errors=True)


@contextlib.contextmanager
def s3_server(*, ready_timeout: float = READY_TIMEOUT_SECONDS) -> Iterator[str]:
    """A local S3-compatible server (moto's) on a free loopback port: its endpoint URL."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).with_name("moto_server")), "-H", HOST, "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise RuntimeError("moto_server exited") from None
                if time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=STOP_GRACE_SECONDS)
