"""Time the dashboard and the complaint lists on a city-sized PostgreSQL + Redis data set.

`make bench` runs it (SCALE=5 for 1M complaints; BENCH_ARGS="--repeat 100" and so on). It
migrates the database it is given, seeds it once with `manage.py seed_city` when it holds fewer
seeded complaints than the scale asks for, then calls each endpoint in-process through Django's
test client (full middleware, JWT authentication, throttles, serialisation; no HTTP server or
socket), after a warm-up, N times, and prints median, p95 and p99 latency. The run is written to
bench/RESULTS.md, newest first. A benchmark, not a test: nothing here runs under `make test`.

Each scenario is also compared with two floors: the same stack's cheapest authenticated endpoint
(auth/me/) and the SQL the endpoint ran (captured once, then re-run alone on the same
connection), so a slow answer shows whether the time goes to the database or to Python.

"Uncached" calls retire every cached dashboard answer first (apps.dashboard.cache.dashboard_touch,
the same bump a write makes); "cached" calls read what the warm-up left in Redis.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.local")
os.environ.setdefault("DEBUG", "false")  # DEBUG records every query: not what production runs
# One client calls hundreds of times a minute here; the real throttles would answer 429.
os.environ.setdefault("THROTTLE_USER", "1000000/hour")
os.environ.setdefault("THROTTLE_ANON", "1000000/hour")

import django  # noqa: E402

# Static files are not collected for a benchmark; WhiteNoise would say so on every start.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image, ImageChops  # noqa: E402
from report import RESULTS, load, machine, write_results  # noqa: E402  (bench/report.py)

from apps.authentication.services import tokens_for_user  # noqa: E402
from apps.complaints.models import Complaint  # noqa: E402
from apps.dashboard.management.city_seed import SEED_PHONE_PREFIX, Sizes  # noqa: E402
from apps.donations.models import Donation  # noqa: E402
from apps.payments.models import Payment  # noqa: E402
from apps.users.models import User, UserType  # noqa: E402
from core.rls import use_app_role  # noqa: E402

KPI = "/api/v1/dashboard/kpi/"


@dataclass
class Scenario:
    name: str
    path: str
    viewer: str  # "super" | "ward" | "citizen"
    cache: str = "plain"  # "plain" | "cached" | "uncached"
    photos: int = 0  # > 0: POST a complaint with this many camera photos instead of a GET
    budget_ms: float | None = None
    samples: list[float] = field(default_factory=list)
    queries: int = 0
    sql_ms: float | None = None
    error: str | None = None

    def percentile(self, share: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]

    @property
    def verdict(self) -> str:
        if self.error or self.budget_ms is None:
            return ""
        return ", ".join(
            f"{name} {'within' if self.percentile(share) <= self.budget_ms else 'OVER'}"
            for name, share in (("p50", 0.5), ("p95", 0.95))
        )


def scenarios(*, month_ago: str, tracking_number: str, complaint_id: str) -> list[Scenario]:
    return [
        Scenario("auth/me/ (same-stack floor)", "/api/v1/auth/me/", "super"),
        Scenario("kpi/ uncached, super admin", KPI, "super", "uncached", 300),
        Scenario("kpi/ cached, super admin", KPI, "super", "cached", 20),
        Scenario("kpi/ uncached, ward admin", KPI, "ward", "uncached"),
        Scenario("kpi/ cached, ward admin", KPI, "ward", "cached"),
        Scenario("complaints/ page 1, super admin", "/api/v1/complaints/", "super"),
        Scenario("complaints/?status=submitted", "/api/v1/complaints/?status=submitted", "super"),
        Scenario(
            "complaints/?category=roads&created_after=<30 days>",
            f"/api/v1/complaints/?category=roads&created_after={month_ago}",
            "super",
        ),
        Scenario(
            "complaints/?ward_number=12&ordering=priority",
            "/api/v1/complaints/?ward_number=12&ordering=priority",
            "super",
        ),
        Scenario("complaints/ page 1, ward admin", "/api/v1/complaints/", "ward"),
        Scenario(
            "complaints/?status=resolved&ordering=priority, ward admin",
            "/api/v1/complaints/?status=resolved&ordering=priority",
            "ward",
        ),
        Scenario("complaints/?page=5000, super admin", "/api/v1/complaints/?page=5000", "super"),
        Scenario("complaints/ page 1, citizen (own)", "/api/v1/complaints/", "citizen"),
        Scenario(
            "complaints/<id>/ (detail), super admin", f"/api/v1/complaints/{complaint_id}/", "super"
        ),
        Scenario("payments/history/, super admin", "/api/v1/payments/history/", "super"),
        Scenario("donations/, super admin", "/api/v1/donations/", "super"),
        Scenario("notifications/, citizen", "/api/v1/notifications/", "citizen"),
        Scenario("notices/, citizen", "/api/v1/notices/", "citizen"),
        Scenario("open311/v2/requests.json (1,000 rows)", "/open311/v2/requests.json", "super"),
        Scenario("open311/v2/requests.xml (1,000 rows)", "/open311/v2/requests.xml", "super"),
        Scenario("complaints/statistics/, super admin", "/api/v1/complaints/statistics/", "super"),
        Scenario(
            "complaints/track/<number>/ (public)",
            f"/api/v1/complaints/track/{tracking_number}/",
            "super",
        ),
        Scenario(
            "complaints/ POST with five 5 MB camera photos",
            "/api/v1/complaints/",
            "citizen",
            budget_ms=2000,
            photos=5,
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Setup: database, data, viewers
# ---------------------------------------------------------------------------------------------
def require_services() -> None:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit(
            "bench/run.py measures PostgreSQL + Redis: set DATABASE_URL and REDIS_URL "
            "(`make bench` does, to a clean_care_bench database and Redis db 2)."
        )


def ensure_data(*, scale: float, seed: int) -> str | None:
    """Seed when the database holds fewer seeded complaints than ``scale`` asks for; returns the
    seeding output, or None when the data was already there."""
    wanted = Sizes.for_scale(scale).complaints
    have = Complaint.objects.filter(user__phone__startswith=SEED_PHONE_PREFIX).count()
    if have >= wanted:
        print(f"Data: {have:,} seeded complaints already here (≥ {wanted:,}); not reseeding.")
        return None
    print(f"Data: {have:,} seeded complaints, {wanted:,} wanted: seeding (once) …", flush=True)
    out = _Tee()
    if connection.vendor == "postgresql":  # production's statement timeout is for requests
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    # The bench's own database: its settings may look like production (bench/server.py runs
    # production's, sandbox off), which seed_city otherwise refuses.
    call_command("seed_city", scale=scale, seed=seed, reset=True, force=True, stdout=out)
    return out.getvalue()


class _Tee(StringIO):
    """Keeps what is written and shows it at once (seeding a large city takes minutes)."""

    def write(self, text: str) -> int:
        sys.stdout.write(text)
        sys.stdout.flush()
        return super().write(text)


def viewer_tokens() -> dict[str, str]:
    """Access tokens of the seed's first super admin, first ward admin and first citizen with a
    complaint (minted here, so the seeded accounts keep their unusable passwords)."""
    seeded = User.objects.filter(phone__startswith=SEED_PHONE_PREFIX).order_by("phone")
    citizen = seeded.filter(user_type=UserType.CITIZEN, complaints__isnull=False).first()
    return {
        "super": tokens_for_user(seeded.filter(user_type=UserType.SUPER_ADMIN).first())["access"],
        "ward": tokens_for_user(seeded.filter(user_type=UserType.ADMIN).first())["access"],
        "citizen": tokens_for_user(citizen)["access"],
    }


def dashboard_invalidator() -> Callable[[], None]:
    try:
        from apps.dashboard.cache import dashboard_touch
    except ImportError:
        from django.core.cache import cache

        return cache.clear  # Redis db of the bench only
    return dashboard_touch


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------
def camera_photo(seed: int) -> bytes:
    """A 4000 × 3000 JPEG of about 4.5 MB, as a phone camera sends: noise compresses as badly
    as a real scene does, so decoding costs what a real photo costs."""
    size = (4000, 3000)
    ramp = Image.linear_gradient("L").resize(size)
    bands = [
        ImageChops.add(Image.effect_noise(size, 26 + seed + band), ramp, scale=2)
        for band in range(3)
    ]
    buffer = BytesIO()
    Image.merge("RGB", bands).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def measure(scenario: Scenario, client: Client, tokens, *, warmup: int, repeat: int) -> None:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[scenario.viewer]}"}
    invalidate = dashboard_invalidator() if scenario.cache == "uncached" else None
    if scenario.photos:
        # Fewer rounds: each one files a complaint and writes ten files.
        warmup, repeat = min(warmup, 1), max(3, repeat // 10)
        photos = [camera_photo(seed) for seed in range(scenario.photos)]

    def request():
        if not scenario.photos:
            return client.get(scenario.path, **headers)
        files = [
            SimpleUploadedFile(f"IMG_{n}.jpg", data, content_type="image/jpeg")
            for n, data in enumerate(photos)
        ]
        body = {
            "title": "Overflowing bin",
            "description": "Not collected for a week.",
            "location": "Road 4, Mirpur",
            "ward_number": 5,
            "category": "waste",
            "images": files,
        }
        return client.post(scenario.path, body, **headers)

    def call() -> float:
        if invalidate:
            invalidate()
        started = time.perf_counter()
        response = request()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != (201 if scenario.photos else 200):
            raise RuntimeError(
                f"{scenario.path} answered {response.status_code}: {response.content[:300]!r}"
            )
        return elapsed

    for _ in range(warmup):
        call()
    scenario.samples = [call() for _ in range(repeat)]
    # Once more, counting the queries, then the same SQL alone: the database's share.
    if invalidate:
        invalidate()
    with CaptureQueriesContext(connection) as captured:
        call()
    statements = [q["sql"] for q in captured.captured_queries]
    scenario.queries = len(statements)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    if reads:
        scenario.sql_ms = statistics.median(run_sql(reads) for _ in range(max(3, repeat // 5)))


def run_sql(statements: list[str]) -> float:
    """Milliseconds to run ``statements`` (complete SQL, parameters inlined) and fetch all rows."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own: no placeholder parsing when no parameters are given
        for sql in statements:
            raw.execute(sql)
            raw.fetchall()
    return (time.perf_counter() - started) * 1000


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------
def data_size() -> str:
    return (
        f"{Complaint.objects.count():,} complaints, {User.objects.count():,} users, "
        f"{Payment.objects.count():,} payments, {Donation.objects.count():,} donations"
    )


def table(rows: list[Scenario], floor_ms: float | None) -> list[str]:
    lines = [
        "| scenario | p50 ms | p95 ms | p99 ms | req/s | budget | queries | SQL alone ms "
        "| × floor |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for s in rows:
        if s.error:
            lines.append(f"| {s.name} | — | — | — | — | {s.error} | | | |")
            continue
        p50 = s.percentile(0.5)
        budget = f"{s.budget_ms:g} ms: {s.verdict}" if s.budget_ms else ""
        sql = f"{s.sql_ms:.1f}" if s.sql_ms is not None else "—"
        ratio = f"{p50 / floor_ms:.1f}" if floor_ms else "—"
        lines.append(
            f"| {s.name} | {p50:.1f} | {s.percentile(0.95):.1f} | {s.percentile(0.99):.1f} "
            f"| {1000 / statistics.mean(s.samples):.0f} | {budget} | {s.queries} | {sql} "
            f"| {ratio} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="seed_city --scale (1: 200k)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=50, help="timed calls per scenario")
    parser.add_argument("--warmup", type=int, default=5, help="untimed calls first")
    parser.add_argument("--only", default="", help="run the scenarios whose name has this text")
    parser.add_argument("--no-write", action="store_true", help="print only; keep RESULTS.md")
    parser.add_argument(
        "--owner",
        action="store_true",
        help="query as the tables' owner, past row-level security (what the policies cost)",
    )
    args = parser.parse_args()

    require_services()
    # One access-log line per call would flood the terminal; production ships them elsewhere.
    logging.getLogger("clean_care.access").setLevel(logging.WARNING)
    call_command("migrate", interactive=False, verbosity=0)
    seeding = ensure_data(scale=args.scale, seed=args.seed)
    if not args.owner:
        use_app_role()  # as the web processes do: PostgreSQL's policies apply (core/rls.py)
    database_role = (
        "the tables' owner (row-level security bypassed)"
        if args.owner
        else (f"{settings.DATABASE_APP_ROLE} (row-level security applies)")
    )
    tokens = viewer_tokens()
    load_before = load()
    client = Client(HTTP_HOST="127.0.0.1")
    month_ago = (timezone.now() - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    newest = Complaint.objects.order_by("-created_at").values_list("tracking_number", "id").first()
    rows = scenarios(
        month_ago=month_ago,
        tracking_number=newest[0] if newest else "CC000000000000",
        complaint_id=str(newest[1]) if newest else "0",
    )
    # The floor (first row) is always measured: every ratio is against it.
    rows = rows[:1] + [row for row in rows[1:] if args.only in row.name]

    try:
        resolve(KPI)
        kpi_missing = None
    except Resolver404:
        kpi_missing = f"{KPI} does not exist yet (apps/dashboard urls)"
    for scenario in rows:
        if kpi_missing and scenario.path == KPI:
            scenario.error = "endpoint missing"
            continue
        print(f"  {scenario.name} …", flush=True)
        measure(scenario, client, tokens, warmup=args.warmup, repeat=args.repeat)
    floor = rows[0].percentile(0.5) if rows[0].samples else None

    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"## {stamp}",
        "",
        f"- machine: {machine()}; load average (1 min) {load_before} before the timed calls, "
        f"{load()} after (other work on the machine inflates every number)",
        f"- data: {data_size()} (seed_city --scale {args.scale:g} --seed {args.seed})",
        f"- method: in-process Django test client, settings {settings.SETTINGS_MODULE} with "
        f"DEBUG={settings.DEBUG}, access log off, database role {database_role}; "
        f"{args.warmup} warm-up calls, then "
        f"{args.repeat} timed calls per scenario, one after another (req/s = 1 / mean "
        "latency, one process; the photo filing: 1 warm-up and a tenth of the calls, at least 3); "
        "× floor = p50 / p50 of auth/me/; SQL alone = the captured "
        "queries re-run directly (median).",
        "",
        *table(rows, floor),
        "",
    ]
    if seeding:
        lines += ["Seeded during this run:", "", "```", seeding.strip(), "```", ""]
    section = "\n".join(lines) + "\n"
    print(section)
    if not args.no_write:
        write_results(section)
        print(f"Written to {RESULTS.relative_to(ROOT)}.")
    if kpi_missing:
        print(f"FAILED: {kpi_missing}; nothing to time for kpi/.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
