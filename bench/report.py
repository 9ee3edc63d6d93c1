"""What every benchmark run records: the machine, its load, the code, and the run in RESULTS.md.

Imported by the bench scripts after django.setup() (the machine line asks PostgreSQL).
"""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

import django
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
RUNS_MARK = "<!-- runs: newest first; bench/run.py inserts below this line -->"
HEADER = (
    "# Benchmark results\n\n"
    "Written by `make bench` (bench/run.py), `make bench-ws` (bench/sockets.py), "
    "`make bench-server` and `make bench-load` (bench/server.py); "
    "bench/README.md says what is measured and how.\n"
    "Budgets come from the issue that owns the endpoint (issue 5: kpi/ under 300 ms uncached "
    "and 20 ms cached on the 200k-complaint data set; issue 9: 2,000 WebSocket connections held "
    "per process, chat and staff-feed fan-out p99 under 50 ms; issue 14: every list and detail "
    "at least 50 % of the trivial view's throughput, page 5,000 within 1.5× of page 1, kpi/ "
    "uncached under 300 ms at 1M complaints and cached under 5 ms server time, a filing with "
    "five 5 MB photos under 2 s, 1,000 users with p95 under 500 ms and errors under 0.1 %).\n\n"
)


def load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0.5 is the median)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        memory = "RAM unknown"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs, {memory}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {postgres} "
        f"(shared_buffers {buffers}), Redis at {settings.REDIS_URL}"
    )


def code_version() -> str:
    """The commit measured, and the files that differ from it (outside bench/) if any."""

    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603 - fixed git arguments
            ["git", *args],  # noqa: S607 - git from PATH, as a developer runs it
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.rstrip("\n")

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = [
            line[3:]
            for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
            if not line[3:].startswith("bench/")
        ]
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    if not changed:
        return f"commit {commit}"
    return f"commit {commit} with uncommitted changes to {', '.join(changed)}"


def write_results(section: str) -> None:
    """Insert ``section`` at the top of the runs in RESULTS.md (newest first)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER + RUNS_MARK + "\n"
    if RUNS_MARK not in text:
        text = text.rstrip("\n") + "\n\n" + RUNS_MARK + "\n"
    before, after = text.split(RUNS_MARK, 1)
    runs = (section.strip() + "\n\n" + after.strip()).strip()
    RESULTS.write_text(before + RUNS_MARK + "\n\n" + runs + "\n", encoding="utf-8")
