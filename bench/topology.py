"""Compare serving topologies for HTTP at the same CPU: uvicorn (ASGI) against gunicorn (WSGI).

`make bench-topology` runs it against PostgreSQL and Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL:
the database `make bench` seeds; it seeds a small city itself when the database has none;
BENCH_ARGS="--threads 2,4 --rounds 5" compares several thread counts). Each
topology is started on a loopback port with two processes (the machine's cores), DEBUG off and
the access log on as in production, and driven with wrk (8 connections) on a trivial
authenticated endpoint and on the complaint list, rounds interleaved so that other work on the
machine falls on both alike. Printed: req/s, latency percentiles and the server's CPU per
request, median of the rounds; the run goes to bench/RESULTS.md.

- asgi: `uvicorn clean_care.asgi:application --workers 2`, what production runs. Django's ASGI
  handler gives every request its own thread-sensitive context, so sync views of requests in
  flight run side by side in threads, as under a threaded WSGI server, plus the hops between
  the event loop and those threads.
- wsgi×N: `gunicorn clean_care.wsgi:application` with gthread workers, 2 processes × N threads
  (gunicorn is a dev dependency for this comparison only; production serves with uvicorn).

A benchmark, not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.local")
os.environ.setdefault("DEBUG", "false")
# wrk sends thousands of requests a second from one address and one account.
os.environ.setdefault("THROTTLE_USER", "1000000000/hour")
os.environ.setdefault("THROTTLE_ANON", "1000000000/hour")

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from report import code_version, load, machine, write_results  # noqa: E402

from apps.authentication.services import tokens_for_user  # noqa: E402
from apps.complaints.models import Complaint  # noqa: E402
from apps.dashboard.management.city_seed import SEED_PHONE_PREFIX  # noqa: E402
from apps.users.models import User, UserType  # noqa: E402
from core.management.commands.serve import UVICORN_OPTIONS  # noqa: E402

HOST = "127.0.0.1"
PROCESSES = 2
ENDPOINTS = {  # name: (path, viewer)
    "auth/me/ (trivial authenticated DRF view)": ("/api/v1/auth/me/", "ward"),
    "complaints/ page 1, ward admin": ("/api/v1/complaints/", "ward"),
    "complaints/ page 1, super admin (the city's rows)": ("/api/v1/complaints/", "super"),
}
MIXED = "auth/me/ (2 connections) while the city's list runs (6)"
WRK_LINE = re.compile(r"^\s*(50|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def command(topology: str, port: int) -> list[str]:
    bin_dir = Path(sys.executable).parent
    if topology == "asgi":
        return [
            str(bin_dir / "uvicorn"),
            "clean_care.asgi:application",
            "--host", HOST, "--port", str(port), "--workers", str(PROCESSES),
            *UVICORN_OPTIONS,
        ]  # fmt: skip
    return [
        str(bin_dir / "gunicorn"), "clean_care.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(PROCESSES),
        "--worker-class", "gthread", "--threads", topology.split("×")[1],
        "--timeout", "60", "--keep-alive", "5", "--no-control-socket",
    ]  # fmt: skip


@dataclass
class Result:
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    errors: int = 0


class Server:
    def __init__(self, topology: str, port: int, log_dir: Path):
        self.topology, self.port = topology, port
        self.log = (log_dir / f"{port}.log").open("w")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter's servers
            command(topology, port),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.topology} exited; see {self.log.name}")
            try:
                urllib.request.urlopen(f"http://{HOST}:{self.port}/api/health/live/", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.topology} did not answer within {timeout:.0f} s")

    def cpu_seconds(self) -> float:
        """User + system CPU of the server's processes (its session), from /proc."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[3]) == self.process.pid:  # session id (field 6; 4th after the name)
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def wrk_start(url: str, token: str, *, seconds: int, connections: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - wrk with fixed arguments
        [shutil.which("wrk") or "/usr/bin/wrk", f"-t{min(2, connections)}", f"-c{connections}",
         f"-d{seconds}s", "--latency", "-H", f"Authorization: Bearer {token}", url],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def wrk_result(run: subprocess.Popen, *, seconds: int) -> tuple[float, float, float, int, int]:
    """req/s, p50 ms, p99 ms, errors (non-2xx, socket) and requests of one wrk run."""
    out, _ = run.communicate(timeout=seconds + 30)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: float(v) * UNIT_MS[u] for p, v, u in WRK_LINE.findall(out)}
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, sock.groups())) if sock else 0)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, latency["50"], latency["99"], errors, requests


def wrk(url: str, token: str, *, seconds: int) -> tuple[float, float, float, int, int]:
    return wrk_result(wrk_start(url, token, seconds=seconds, connections=8), seconds=seconds)


def viewer_tokens() -> dict[str, str]:
    """Access tokens of the seed's first ward admin and first super admin."""
    seeded = User.objects.filter(phone__startswith=SEED_PHONE_PREFIX).order_by("phone")
    return {
        "ward": tokens_for_user(seeded.filter(user_type=UserType.ADMIN).first())["access"],
        "super": tokens_for_user(seeded.filter(user_type=UserType.SUPER_ADMIN).first())["access"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--threads", default="4", help="gunicorn threads per process; several: 2,4,8"
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--port", type=int, default=8841, help="asgi here, wsgi on the next")
    parser.add_argument("--no-write", action="store_true", help="print only; keep RESULTS.md")
    args = parser.parse_args()

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit("bench/topology.py measures PostgreSQL + Redis: set DATABASE_URL and REDIS_URL.")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    call_command("migrate", interactive=False, verbosity=0)
    if not Complaint.objects.filter(user__phone__startswith=SEED_PHONE_PREFIX).exists():
        call_command("seed_city", scale=0.01, seed=1, reset=True)
    tokens = viewer_tokens()
    complaints = Complaint.objects.count()
    connection.close()

    names = ["asgi", *(f"wsgi×{threads}" for threads in args.threads.split(","))]
    topologies = {name: args.port + n for n, name in enumerate(names)}
    results = {(t, name): Result() for t in topologies for name in [*ENDPOINTS, MIXED]}
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="bench-topology-") as logs:
        for round_number in range(args.rounds):
            for topology, port in topologies.items():
                print(f"  round {round_number + 1}: {topology} …", flush=True)
                server = Server(topology, port, Path(logs))
                try:
                    for name, (path, viewer) in ENDPOINTS.items():
                        url, token = f"http://{HOST}:{port}{path}", tokens[viewer]
                        wrk(url, token, seconds=2)  # warm-up: imports, pools, caches
                        cpu_before = server.cpu_seconds()
                        rps, p50, p99, errors, requests = wrk(url, token, seconds=args.seconds)
                        cpu = server.cpu_seconds() - cpu_before
                        result = results[(topology, name)]
                        result.rps.append(rps)
                        result.p50.append(p50)
                        result.p99.append(p99)
                        result.cpu_ms.append(1000 * cpu / max(requests, 1))
                        result.errors += errors
                    # The cheap endpoint while the expensive one keeps the server busy: does it
                    # wait behind it (6 connections on the city's list, 2 on auth/me/)?
                    base = f"http://{HOST}:{port}"
                    busy = wrk_start(
                        f"{base}/api/v1/complaints/", tokens["super"], seconds=args.seconds,
                        connections=6,
                    )  # fmt: skip
                    cheap = wrk_start(
                        f"{base}/api/v1/auth/me/", tokens["ward"], seconds=args.seconds,
                        connections=2,
                    )  # fmt: skip
                    rps, p50, p99, errors, _ = wrk_result(cheap, seconds=args.seconds)
                    busy_errors = wrk_result(busy, seconds=args.seconds)[3]
                    result = results[(topology, MIXED)]
                    result.rps.append(rps)
                    result.p50.append(p50)
                    result.p99.append(p99)
                    result.errors += errors + busy_errors
                finally:
                    server.stop()

    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
    described = {
        name: f"gunicorn gthread, {PROCESSES} processes × {name.split('×')[1]} threads (WSGI)"
        for name in topologies
        if name != "asgi"
    }
    described["asgi"] = f"uvicorn, {PROCESSES} workers (ASGI; a thread per request in flight)"
    lines = [
        f"## {stamp} · Serving topology, HTTP (`make bench-topology`)",
        "",
        f"- machine: {machine()}; load average (1 min) {load_before} before, {load()} after "
        "(other work on the machine inflates every number; the rounds are interleaved)",
        f"- code: {code_version()}",
        f"- data: {complaints:,} complaints; settings {settings.SETTINGS_MODULE}, "
        f"DEBUG={settings.DEBUG}, access log on, throttles lifted",
        f"- method: wrk -t2 -c8, {args.seconds} s per run after 2 s of warm-up, {args.rounds} "
        "rounds alternating the topologies; medians of the rounds; server CPU = user + system "
        "time of all the server's processes ÷ requests",
        "",
        "| endpoint | topology | req/s | req/s by round | p50 ms | p99 ms | server CPU ms/req "
        "| errors |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for name in [*ENDPOINTS, MIXED]:
        for topology in topologies:
            r = results[(topology, name)]
            lines.append(
                f"| {name} | {described[topology]} | {statistics.median(r.rps):.0f} "
                f"| {', '.join(f'{rps:.0f}' for rps in r.rps)} "
                f"| {statistics.median(r.p50):.1f} | {statistics.median(r.p99):.1f} "
                f"| {f'{statistics.median(r.cpu_ms):.1f}' if r.cpu_ms else '—'} | {r.errors} |"
            )
    lines.append("")
    for name in ENDPOINTS:
        asgi = results[("asgi", name)]
        for topology in topologies:
            if topology == "asgi":
                continue
            wsgi = results[(topology, name)]
            throughput = statistics.median(wsgi.rps) / statistics.median(asgi.rps)
            cpu = statistics.median(wsgi.cpu_ms) / statistics.median(asgi.cpu_ms)
            lines.append(
                f"- {name}, {topology} / asgi: throughput {throughput:.2f}, "
                f"CPU per request {cpu:.2f}"
            )
    for topology in topologies:
        mixed = results[(topology, MIXED)]
        lines.append(
            f"- {MIXED}, {topology}: p50 {statistics.median(mixed.p50):.1f} ms, "
            f"p99 {statistics.median(mixed.p99):.1f} ms"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write_results(text)
        print("Written to bench/RESULTS.md.")
    return 1 if any(r.errors for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
