"""Drive the production-like topology over HTTP: every list, detail, KPI and filing, with wrk.

`make bench-server` runs it (`make bench-load` runs its --load mode). It migrates the bench
database, seeds the city once (bench/run.py's ensure_data) and a little of what the city seed
does not make (notices, chat, emergencies, notifications: bench_extras_ensure), then starts

- the web server (BENCH_SERVER / --server: `uvicorn` by default, 2 worker processes) with the
  settings clean_care.settings.bench (production's: DEBUG off, JSON access log) on a loopback
  port, its log in a file;
- a Celery worker (production's concurrency) on the same PostgreSQL database and Redis;

and measures each scenario with wrk (8 connections), in rounds that alternate with the trivial
authenticated DRF view (bench/urls.py), so each scenario's throughput is a share of the floor
measured beside it. Per scenario: req/s, p50/p95/p99, % of trivial, the server's own time (the
access log's duration), server and PostgreSQL CPU per request (/proc of the server's processes
and of the database's backends), errors; then the budgets of issue 14, OVER where missed.
Uncached KPI and the filing with five 5 MB photos are driven from Python (one client), because
each needs work between requests (retiring the cached answer) or a body wrk cannot vary; so is
the cached KPI's server-time budget, which is about the request alone, not the queue beside it.

--load runs bench/locustfile.py headless against the same topology at each --users step and
reports req/s, errors, p50 and p95 per step (once every user has arrived; the ramp's figures
beside them) and the knee. Every run goes to bench/RESULTS.md.
A benchmark, not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import itertools
import json
import os
import re
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.bench")
# The servers get this environment, so tokens minted here validate there; a key of the run's
# own keeps them useless anywhere else.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
# The throttles run on every request and refuse nothing: per-second rates keep each key's
# history as short as a real client's (DRF keeps one timestamp per request in the window).
os.environ.setdefault("THROTTLE_USER", "100000/second")
os.environ.setdefault("THROTTLE_ANON", "100000/second")
os.environ.setdefault("LOG_LEVEL", "INFO")  # production's: one access line a request
os.environ.setdefault("HEALTH_REQUIRES_BEAT", "false")  # no beat in the bench topology
# Production serves hashed, compressed static files from a manifest (the public pages ask it):
# collected here once per run, into a folder of the bench's own.
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench" / "static"))

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

import boto3  # noqa: E402
import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from report import code_version, load, machine, percentile, write_results  # noqa: E402
from run import dashboard_invalidator, data_size, ensure_data  # noqa: E402  (bench/run.py)

from apps.authentication.services import tokens_for_user  # noqa: E402
from apps.chat.models import ChatMessage, ChatRoom  # noqa: E402
from apps.complaints.models import Complaint  # noqa: E402
from apps.complaints.views import ComplaintListCreateView  # noqa: E402
from apps.dashboard.management.city_seed import SEED_PHONE_PREFIX  # noqa: E402
from apps.dashboard.services import complaint_tally_compact  # noqa: E402
from apps.emergency.enums import EmergencyStatus, EmergencyType  # noqa: E402
from apps.emergency.models import EmergencyRequest  # noqa: E402
from apps.notices.models import Notice, NoticeWard  # noqa: E402
from apps.notifications.models import Notification  # noqa: E402
from apps.users.models import AdminPermission, User, UserType  # noqa: E402
from core.lists import lists_touch_everything  # noqa: E402
from core.management.commands.serve import UVICORN_OPTIONS  # noqa: E402
from core.testing_servers import HOST, Server, s3_server, uvicorn_stop, wait_ready  # noqa: E402

# Serving commands by name; anything else given to --server is taken as a command template
# with the same fields ({python}, {host}, {port}, {workers}).
SERVERS = {
    "uvicorn": (
        "{python} -m uvicorn clean_care.asgi:application --host {host} --port {port} "
        "--workers {workers} " + " ".join(UVICORN_OPTIONS)
    ),
}
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
PHOTO_DIR = ROOT / "var" / "bench" / "photos"
PHOTO_COUNT = 5
PHOTO_MAX_BYTES = int(4.95 * 1024 * 1024)  # under IMAGE_MAX_BYTES (5 MiB), as a camera's would be
S3_BUCKET = "cc-bench-media"  # --s3
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ACCESS_LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) (?P<ms>[\d.]+)ms")
BENCH_MARK = "[bench]"  # subjects, titles and descriptions of the rows bench_extras_ensure makes
VIEWER_ROOM = f"{BENCH_MARK} viewer"  # the chat room of the citizen the scenarios sign in as

# Budgets of issue 14 (printed, never asserted).
SHARE_OF_TRIVIAL = 0.5  # every list and detail ≥ 50 % of the trivial view's req/s
DEEP_PAGE_FACTOR = 1.5  # page 5,000 within 1.5× of page 1 (p50)
KPI_UNCACHED_MS = 300.0  # p95, one client
KPI_CACHED_SERVER_MS = 5.0  # median server time
PHOTOS_SERVER_MS = 2000.0  # median server time


class BenchError(Exception):
    """The topology could not be started or a scenario could not be driven."""


# ---------------------------------------------------------------------------------------------
# The people and rows the scenarios use
# ---------------------------------------------------------------------------------------------
@dataclass
class Cast:
    tokens: dict[str, str]  # role -> access token
    ward: str  # the ward admin's first ward
    complaint_id: str  # the citizen's newest complaint
    tracking_number: str  # the city's newest complaint
    oldest_tracking_number: str  # the city's oldest: the last a newest-first walk would reach
    room_id: str  # the citizen's open chat room
    deep_cursor: str  # the next link's cursor into page 5,000 of the whole city's list
    citizen_tokens: list[str]  # citizens who file complaints in turn


def seeded(user_type: str):
    return User.objects.filter(
        phone__startswith=SEED_PHONE_PREFIX, user_type=user_type, is_active=True
    ).order_by("phone")


def busiest(user_type: str, relation: str, *, besides=()) -> User:
    """The seeded user of ``user_type`` with the most complaints through ``relation``."""
    people = seeded(user_type).exclude(pk__in=[person.pk for person in besides])
    return people.annotate(n=Count(relation)).order_by("-n", "phone").first()


def cast_make() -> Cast:
    """Access tokens of one seeded person per role (minted here, as bench/run.py does: the
    seeded accounts have no usable password) and the rows the scenarios name."""
    super_admin = seeded(UserType.SUPER_ADMIN).first()
    ward_admin = seeded(UserType.ADMIN).first()
    filers = list(seeded(UserType.CITIZEN).filter(is_verified=True)[:20])
    # The citizen chosen the first time stays (its chat room says who), however many
    # complaints the filers have added since.
    room = ChatRoom.objects.filter(subject=VIEWER_ROOM).select_related("citizen").first()
    citizen = room.citizen if room else busiest(UserType.CITIZEN, "complaints", besides=filers)
    provider = seeded(UserType.SERVICE_PROVIDER).filter(assigned_complaints__isnull=False).first()
    if not all((super_admin, ward_admin, citizen, provider)):
        raise BenchError("the seeded city has no super admin, ward admin, citizen or provider")
    permission = AdminPermission.objects.filter(
        admin=ward_admin, permission_type="complaints"
    ).first()
    ward = (permission.ward_numbers or ["1"])[0] if permission else "1"
    room = room or bench_extras_ensure(citizen=citizen, super_admin=super_admin)
    return Cast(
        tokens={
            role: tokens_for_user(user)["access"]
            for role, user in (
                ("super", super_admin),
                ("ward", ward_admin),
                ("citizen", citizen),
                ("provider", provider),
            )
        },
        ward=ward,
        complaint_id=str(
            citizen.complaints.order_by("-created_at").values_list("id", flat=True)[0]
        ),
        tracking_number=Complaint.objects.order_by("-created_at")
        .values_list("tracking_number", flat=True)
        .first(),
        oldest_tracking_number=Complaint.objects.order_by("created_at")
        .values_list("tracking_number", flat=True)
        .first(),
        room_id=str(room.pk),
        deep_cursor=deep_cursor(page=5000),
        citizen_tokens=[tokens_for_user(user)["access"] for user in filers],
    )


def deep_cursor(*, page: int, size: int = 20) -> str:
    """The cursor page ``page - 1``'s next link carries for the city's list (newest first), as a
    client following next links reaches it."""
    from apps.complaints.selectors import LIST_ORDER
    from core.pagination import encode_cursor

    edge = Complaint.objects.order_by(*LIST_ORDER).values_list("created_at", "id")
    return encode_cursor(
        list(edge[(page - 1) * size - 1]), ordering=list(LIST_ORDER), reverse=False
    )


def bench_extras_ensure(*, citizen: User, super_admin: User) -> ChatRoom:
    """Notices, chat rooms and messages, emergencies and notifications, which the city seed does
    not make: a small realistic amount, made once (cast_make calls this only while no room
    is marked VIEWER_ROOM; they go with the seeded people on a reseed). Returns ``citizen``'s
    open chat room."""
    print("Data: adding notices, chat, emergencies and notifications (once) …", flush=True)
    now = timezone.now()
    citizens = list(seeded(UserType.CITIZEN).exclude(pk=citizen.pk)[:600])
    with transaction.atomic():
        notices = Notice.objects.bulk_create(
            Notice(
                title=f"{BENCH_MARK} বর্জ্য সংগ্রহের সময়সূচি {n}",
                content="আগামী সপ্তাহে বর্জ্য সংগ্রহের সময় পরিবর্তন হবে। " * 8,
                category="announcement",
                priority=("low", "normal", "high")[n % 3],
                published_at=now - timedelta(hours=n * 7),
                created_by=super_admin,
            )
            for n in range(60)
        )
        NoticeWard.objects.bulk_create(
            NoticeWard(notice=notice, ward_number=citizen.ward_number or "1")
            for notice in notices[::3]
        )
        rooms = ChatRoom.objects.bulk_create(
            ChatRoom(
                citizen=person,
                ward_number=person.ward_number,
                subject=VIEWER_ROOM if person == citizen else BENCH_MARK,
            )
            for person in [citizen, *citizens]
        )
        messages = []
        for index, room in enumerate(rooms):
            for n in range(200 if index == 0 else 6):
                messages.append(
                    ChatMessage(
                        room=room,
                        sender_id=room.citizen_id if n % 2 == 0 else super_admin.pk,
                        receiver_id=super_admin.pk if n % 2 == 0 else room.citizen_id,
                        message=f"বার্তা {n}: ড্রেনের পানি এখনো সরেনি, দয়া করে দেখুন।",
                        is_read=n < 150,
                        read_at=now if n < 150 else None,
                    )
                )
        ChatMessage.objects.bulk_create(messages, batch_size=2000)
        for room in rooms:
            last = room.messages.order_by("-created_at").first()
            ChatRoom.objects.filter(pk=room.pk).update(
                last_message=last, last_message_at=last.created_at
            )
        types = list(EmergencyType.values)
        statuses = list(EmergencyStatus.values)
        EmergencyRequest.objects.bulk_create(
            (
                EmergencyRequest(
                    user=person,
                    emergency_type=types[n % len(types)],
                    description=f"{BENCH_MARK} রাস্তায় গাছ পড়ে আছে",
                    location="ধানমন্ডি ২৭",
                    ward_number=person.ward_number,
                    status=statuses[n % len(statuses)],
                )
                for n, person in enumerate(citizens * 4)
            ),
            batch_size=2000,
        )
        Notification.objects.bulk_create(
            Notification(
                user=citizen,
                kind="complaint.status_changed",
                title="অভিযোগের অবস্থা পরিবর্তন",
                body=f"{BENCH_MARK} আপনার অভিযোগ প্রক্রিয়াধীন।",
                is_read=n >= 20,
                read_at=now if n >= 20 else None,
            )
            for n in range(300)
        )
    lists_touch_everything()  # bulk inserts send no signal: no kept answer predates these
    return rooms[0]


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------
@dataclass
class Scenario:
    name: str
    path: str
    role: str | None  # who calls (None: anonymous)
    budget: str = "share"  # share | deep | kpi-cached | kpi-uncached | photos | none
    method: str = "GET"
    body: bytes | None = None
    content_type: str = ""
    driver: str = "wrk"  # wrk | kpi-uncached | photos | one-client
    rotate: bool = False  # citizens take turns (filings)
    fresh: bool = False  # every request a new address: no kept page answers (core/lists.py)
    runs: list[Measure] = field(default_factory=list)
    floors: list[Measure] = field(default_factory=list)  # the trivial view's run before each
    error: str | None = None


def scenarios(cast: Cast) -> list[Scenario]:
    ward = cast.ward
    api = "/api/v1"
    listing = f"{api}/complaints/"
    orderings = [
        f"{sign}{name}" for name in ComplaintListCreateView.ordering_fields for sign in ("", "-")
    ]
    search = quote("ডাস্টবিন")
    # A dated window is computed on every call (only the latest feed is kept): the same 1,000 rows.
    window = quote((timezone.now() - timedelta(days=89)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    rows = [
        Scenario("complaints, citizen's own", listing, "citizen"),
        Scenario("complaints, citizen's own, rendered (not kept)", listing, "citizen", fresh=True),
        Scenario("complaints, ward admin, page 1", listing, "ward"),
        Scenario(
            "complaints, ward admin, page 1, rendered (not kept)", listing, "ward", fresh=True
        ),
        Scenario(f"complaints, ward admin, ward {ward}", f"{listing}?ward_number={ward}", "ward"),
        Scenario(
            f"complaints, ward {ward}, status=resolved",
            f"{listing}?ward_number={ward}&status=resolved",
            "ward",
        ),
        Scenario(
            f"complaints, ward {ward}, status=resolved, ordering=priority",
            f"{listing}?ward_number={ward}&status=resolved&ordering=priority",
            "ward",
        ),
        *(
            Scenario(
                f"complaints, ward admin, ordering={ordering}",
                f"{listing}?ordering={ordering}",
                "ward",
            )
            for ordering in orderings
        ),
        Scenario("complaints, ward admin, search (a word)", f"{listing}?search={search}", "ward"),
        Scenario(
            "complaints, super admin, search (the oldest tracking number)",
            f"{listing}?search={cast.oldest_tracking_number}",
            "super",
        ),
        Scenario("complaints, super admin, page 1", listing, "super"),
        Scenario(
            "complaints, super admin, page 1, rendered (not kept)", listing, "super", fresh=True
        ),
        Scenario("complaints, super admin, page 5,000", f"{listing}?page=5000", "super", "deep"),
        Scenario(
            "complaints, super admin, page 5,000 by its cursor",
            f"{listing}?cursor={cast.deep_cursor}",
            "super",
            "deep",
        ),
        Scenario("complaints, service provider", listing, "provider"),
        Scenario("complaint detail, citizen", f"{listing}{cast.complaint_id}/", "citizen"),
        Scenario("payments history, super admin", f"{api}/payments/history/", "super"),
        Scenario("payments history, citizen", f"{api}/payments/history/", "citizen"),
        Scenario("donations, super admin", f"{api}/donations/", "super"),
        Scenario("donations history, citizen", f"{api}/donations/history/", "citizen"),
        Scenario("notifications, citizen", f"{api}/notifications/", "citizen"),
        Scenario("notifications unread count", f"{api}/notifications/unread-count/", "citizen"),
        Scenario("notices, citizen", f"{api}/notices/", "citizen"),
        Scenario("chat rooms, citizen", f"{api}/chat/rooms/", "citizen"),
        Scenario("chat rooms, super admin", f"{api}/chat/rooms/", "super"),
        Scenario(
            "chat messages of a room, citizen",
            f"{api}/chat/rooms/{cast.room_id}/messages/",
            "citizen",
        ),
        Scenario("emergencies, super admin", f"{api}/emergency/", "super"),
        Scenario("emergencies, citizen's own", f"{api}/emergency/", "citizen"),
        Scenario("Open311 requests.json", "/open311/v2/requests.json", None),
        Scenario("Open311 requests.xml", "/open311/v2/requests.xml", None),
        Scenario(
            "Open311 requests.json, start_date (computed)",
            f"/open311/v2/requests.json?start_date={window}",
            None,
        ),
        Scenario(
            "Open311 requests.xml, start_date (computed)",
            f"/open311/v2/requests.xml?start_date={window}",
            None,
        ),
        Scenario("public tracking (API)", f"{listing}track/{cast.tracking_number}/", None),
        Scenario("public tracking page", f"/track/{cast.tracking_number}/", None),
        Scenario(f"ward {ward} scorecard page", f"/wards/{ward}/", None),
        Scenario("dashboard/stats/ (home screen), citizen", f"{api}/dashboard/stats/", "citizen"),
        Scenario("dashboard/kpi/ cached, super admin", f"{api}/dashboard/kpi/", "super"),
        # The server's own time for a cached answer, with nothing queued beside it (under eight
        # connections, two processes' threads wait on each other: the trivial view's server p50
        # is then ~20 ms too).
        Scenario(
            "dashboard/kpi/ cached, super admin, one client",
            f"{api}/dashboard/kpi/",
            "super",
            "kpi-cached",
            driver="one-client",
        ),
        # What any authenticated DRF answer costs the server alone (JWT, throttles, middleware):
        # the floor under the cached KPI's server time.
        Scenario(
            "trivial authenticated DRF view, one client",
            TRIVIAL.path,
            "super",
            "none",
            driver="one-client",
        ),
        Scenario(
            "dashboard/kpi/ uncached, super admin, one client",
            f"{api}/dashboard/kpi/",
            "super",
            "kpi-uncached",
            driver="kpi-uncached",
        ),
        Scenario(
            "complaint create, JSON",
            listing,
            "citizen",
            "none",
            method="POST",
            body=json.dumps(
                {
                    "title": "ডাস্টবিন উপচে পড়ছে",
                    "description": "তিন দিন ধরে ডাস্টবিন খালি করা হয়নি, দুর্গন্ধ ছড়াচ্ছে।",
                    "category": "waste",
                    "location": "ধানমন্ডি ২৭, রোড ৪",
                    "ward_number": ward,
                },
                ensure_ascii=False,
            ).encode(),
            content_type="application/json",
            rotate=True,
        ),
        Scenario(
            "complaint create, five 5 MB photos, one client",
            listing,
            "citizen",
            "photos",
            method="POST",
            driver="photos",
        ),
    ]
    return rows


TRIVIAL = Scenario(
    "trivial authenticated DRF view (the floor)", "/api/v1/bench/trivial/", "super", "none"
)
LIVENESS = Scenario(
    "liveness /api/health/live/ (no auth, no throttle)", "/api/health/live/", None, "none"
)


# ---------------------------------------------------------------------------------------------
# The topology
# ---------------------------------------------------------------------------------------------
@dataclass
class Topology:
    web: Server
    worker: Server
    command: str
    workers: int

    @property
    def url(self) -> str:
        return self.web.http_url


def server_command(server: str, *, port: int, workers: int) -> str:
    template = SERVERS.get(server, server)
    return template.format(
        python=shlex.quote(sys.executable), host=HOST, port=port, workers=workers
    )


def start(argv: list[str], log_path: Path, env: dict) -> subprocess.Popen:
    with log_path.open("wb") as log:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and commands
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own session: CPU is summed, and stopped, per session
        )


@contextlib.contextmanager
def topology(*, server: str, port: int, workers: int, keep_logs: bool) -> Iterator[Topology]:
    log_dir = Path(tempfile.mkdtemp(prefix="cc-bench-server-"))
    env = {**os.environ, "WEB_CONCURRENCY": str(workers)}
    command = server_command(server, port=port, workers=workers)
    worker_argv = [
        sys.executable, "-m", "celery", "-A", "clean_care", "worker", "--loglevel", "WARNING",
        "--concurrency", str(settings.CELERY_WORKER_CONCURRENCY),
    ]  # fmt: skip
    web = Server(start(shlex.split(command), log_dir / "web.log", env), port, log_dir / "web.log")
    worker = Server(start(worker_argv, log_dir / "worker.log", env), 0, log_dir / "worker.log")
    failed = False
    try:
        wait_ready(web)
        time.sleep(2)  # every worker process listening, not only the first
        yield Topology(web=web, worker=worker, command=command, workers=workers)
    except BaseException:
        failed = True
        raise
    finally:
        for process in (web, worker):
            uvicorn_stop(process)  # SIGTERM, then SIGKILL, to the whole session
        if failed:
            sys.stderr.write(
                f"--- web ---\n{web.log_tail()}\n--- worker ---\n{worker.log_tail()}\n"
            )
        if keep_logs:
            print(f"Logs kept in {log_dir}.")
        else:
            shutil.rmtree(log_dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# CPU from /proc
# ---------------------------------------------------------------------------------------------
def proc_cpu(pid: int) -> tuple[int, float] | None:
    """(session id, user + system CPU seconds) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[3]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def session_cpu(session: int) -> dict[int, float]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := proc_cpu(int(entry.name))) and stat[0] == session:
            found[int(entry.name)] = stat[1]
    return found


def postgres_cpu() -> dict[int, float]:
    """CPU seconds of every backend connected to the bench database but this process's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    return {pid: stat[1] for pid in pids if (stat := proc_cpu(pid))}


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """Seconds between two samples; a process that appeared in between counts from zero."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------
@dataclass
class Measure:
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int
    server_ms: list[float]
    server_cpu_s: float
    postgres_cpu_s: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class AccessLog:
    """Reads the access lines the server wrote since the last call (JSON log lines)."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0

    def skip(self) -> None:
        self.offset = self.path.stat().st_size

    def durations(self, method: str, path: str) -> list[float]:
        return [float(line["ms"]) for line, _kept in self.lines(method, path)]

    def kept(self, method: str, path: str) -> tuple[int, int]:
        """Of the answers to ``path`` since the last call, how many were kept pages (the
        access line ends in ``page=kept``: core/lists.py), and how many there were."""
        lines = self.lines(method, path)
        return sum(kept for _line, kept in lines), len(lines)

    def lines(self, method: str, path: str) -> list[tuple[re.Match, bool]]:
        with self.path.open("rb") as log:
            log.seek(self.offset)
            chunk = log.read()
        self.offset += len(chunk)
        found = []
        for raw in chunk.splitlines():
            if b"clean_care.access" not in raw:
                continue
            try:
                message = json.loads(raw)["message"]
            except (ValueError, KeyError):
                continue
            line = ACCESS_LINE.match(message)
            if line and line["method"] == method and line["path"] == path:
                found.append((line, message.endswith(" page=kept")))
        return found


class Bench:
    def __init__(self, top: Topology, cast: Cast, *, duration: float, connections: int):
        self.top = top
        self.cast = cast
        self.duration = duration
        self.connections = connections
        self.log = AccessLog(top.web.log_path)
        self.session = top.web.process.pid
        self.photos: list[Path] = []

    def sample(self) -> tuple[dict[int, float], dict[int, float]]:
        return session_cpu(self.session), postgres_cpu()

    def measure(self, scenario: Scenario) -> Measure:
        self.log.skip()
        before = self.sample()
        if scenario.driver == "wrk":
            requests, seconds, latency, errors = self.wrk(scenario)
        elif scenario.driver == "kpi-uncached":
            requests, seconds, latency, errors = self.kpi_uncached(scenario)
        elif scenario.driver == "one-client":
            requests, seconds, latency, errors = self.one_client(scenario)
        else:
            requests, seconds, latency, errors = self.photo_filings(scenario)
        after = self.sample()
        return Measure(
            requests=requests,
            seconds=seconds,
            p50=latency[0],
            p95=latency[1],
            p99=latency[2],
            errors=errors,
            server_ms=self.log.durations(scenario.method, scenario.path.split("?")[0]),
            server_cpu_s=cpu_spent(before[0], after[0]),
            postgres_cpu_s=cpu_spent(before[1], after[1]),
        )

    def tokens(self, scenario: Scenario) -> list[str]:
        if scenario.role is None:
            return []
        if scenario.rotate:
            return self.cast.citizen_tokens
        return [self.cast.tokens[scenario.role]]

    def wrk(self, scenario: Scenario):
        env = {
            **os.environ,
            "BENCH_METHOD": scenario.method,
            "BENCH_TOKENS": ",".join(self.tokens(scenario)),
            "BENCH_CONTENT_TYPE": scenario.content_type,
            "BENCH_BODY_FILE": "",
            "BENCH_FRESH": "1" if scenario.fresh else "",
        }
        with tempfile.NamedTemporaryFile(suffix=".body") as body:
            if scenario.body is not None:
                body.write(scenario.body)
                body.flush()
                env["BENCH_BODY_FILE"] = body.name
            command = [
                "wrk", "-t", str(min(2, self.connections)), "-c", str(self.connections),
                "-d", f"{self.duration:g}s", "--timeout", "30s", "-s", str(WRK_SCRIPT),
                self.top.url + scenario.path,
            ]  # fmt: skip
            done = subprocess.run(  # noqa: S603 - wrk with our arguments
                command,
                env=env,
                capture_output=True,
                text=True,
                timeout=self.duration + 60,
                check=False,
            )
        line = next(
            (row for row in done.stdout.splitlines() if row.startswith("BENCH_RESULT ")), None
        )
        if done.returncode != 0 or line is None:
            raise BenchError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
        result = json.loads(line.removeprefix("BENCH_RESULT "))
        errors = sum(result[key] for key in ("connect", "read", "write", "timeout", "status"))
        seconds = result["duration_us"] / 1e6
        if not result["requests"]:
            # Not one answer within the run: 0 req/s, and the latency of one call made alone.
            return 0, seconds, *self.one_call(scenario)
        latency = tuple(result[key] / 1000 for key in ("p50", "p95", "p99"))
        return result["requests"], seconds, latency, errors

    def one_call(self, scenario: Scenario) -> tuple[tuple[float, float, float], int]:
        tokens = self.tokens(scenario)
        headers = {"Authorization": f"Bearer {tokens[0]}"} if tokens else {}
        with httpx.Client(base_url=self.top.url, timeout=300) as client:
            started = time.perf_counter()
            response = client.request(
                scenario.method, scenario.path, headers=headers, content=scenario.body
            )
            ms = (time.perf_counter() - started) * 1000
        return (ms, ms, ms), int(response.status_code >= 400)

    def timed_calls(self, call, *, at_least: int, at_most: int):
        """One client: ``call(client)`` until the duration is spent (within the bounds)."""
        samples: list[float] = []
        errors = 0
        with httpx.Client(base_url=self.top.url, timeout=60) as client:
            deadline = time.monotonic() + self.duration
            while len(samples) < at_most and (
                len(samples) < at_least or time.monotonic() < deadline
            ):
                seconds, ok = call(client)
                samples.append(seconds * 1000)
                errors += not ok
        latency = tuple(percentile(samples, share) for share in (0.5, 0.95, 0.99))
        return len(samples), sum(samples) / 1000, latency, errors

    def kpi_uncached(self, scenario: Scenario):
        """Each call after the bump every write makes (apps.dashboard.cache.dashboard_touch,
        called here on the same Redis), so each one computes the figures afresh."""
        retire = dashboard_invalidator()
        headers = {"Authorization": f"Bearer {self.cast.tokens[scenario.role]}"}

        def call(client: httpx.Client):
            retire()
            started = time.perf_counter()
            response = client.get(scenario.path, headers=headers)
            return time.perf_counter() - started, response.status_code == 200

        return self.timed_calls(call, at_least=3, at_most=200)

    def one_client(self, scenario: Scenario):
        """One client, call after call: what a request costs the server with no other waiting."""
        headers = {"Authorization": f"Bearer {self.cast.tokens[scenario.role]}"}

        def call(client: httpx.Client):
            started = time.perf_counter()
            response = client.get(scenario.path, headers=headers)
            return time.perf_counter() - started, response.status_code == 200

        return self.timed_calls(call, at_least=20, at_most=5000)

    def photo_filings(self, scenario: Scenario):
        if not self.photos:
            self.photos = photos_ensure()
        files = [(path.name, path.read_bytes()) for path in self.photos]
        headers = {"Authorization": f"Bearer {self.cast.tokens[scenario.role]}"}
        fields = {
            "title": "রাস্তার পাশে ময়লার স্তূপ",
            "description": "ছবিগুলো আজ সকালে তোলা।",
            "category": "waste",
            "location": "ধানমন্ডি ২৭",
            "ward_number": self.cast.ward,
        }

        def call(client: httpx.Client):
            parts = [("images", (name, data, "image/jpeg")) for name, data in files]
            started = time.perf_counter()
            response = client.post(scenario.path, data=fields, files=parts, headers=headers)
            return time.perf_counter() - started, response.status_code == 201

        return self.timed_calls(call, at_least=2, at_most=10)


def photos_ensure() -> list[Path]:
    """Five noisy 4000×3000 JPEGs of just under 5 MB with a camera's EXIF, made once."""
    from PIL import Image

    PHOTO_DIR.mkdir(parents=True, exist_ok=True)
    paths = [PHOTO_DIR / f"camera-{n}.jpg" for n in range(1, PHOTO_COUNT + 1)]
    for n, path in enumerate(paths):
        if path.exists():
            continue
        size = (4000, 3000)
        gradient = Image.linear_gradient("L").resize(size).convert("RGB")
        noise = Image.merge("RGB", [Image.effect_noise(size, 40 + 10 * c + n) for c in range(3)])
        photo = Image.blend(gradient, noise, 0.5)
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = "BenchCam", f"Phone {n + 1}"  # Make, Model
        data = b""
        for quality in range(90, 60, -1):  # the best quality that stays under the size
            buffer = io.BytesIO()
            photo.save(buffer, "JPEG", quality=quality, exif=exif)
            data = buffer.getvalue()
            if len(data) <= PHOTO_MAX_BYTES:
                break
        path.write_bytes(data)
    return paths


def warm_up(bench: Bench, rows: list[Scenario]) -> None:
    """A few untimed calls of every GET first, so no process's first request (imports, lazy
    set-up, cold caches) is timed."""
    with httpx.Client(base_url=bench.top.url, timeout=120) as client:
        for scenario in [LIVENESS, TRIVIAL, *rows]:
            if scenario.method != "GET":
                continue
            tokens = bench.tokens(scenario)
            headers = {"Authorization": f"Bearer {tokens[0]}"} if tokens else {}
            for _ in range(2 * bench.top.workers):
                client.get(scenario.path, headers=headers)


def run_scenarios(bench: Bench, rows: list[Scenario], *, rounds: int) -> None:
    """Each scenario ``rounds`` times, each right after a run of the trivial view; the liveness
    endpoint at the start, the middle and the end."""
    print("  warming up …", flush=True)
    warm_up(bench, rows)
    checkpoints = {0, len(rows) // 2, len(rows) - 1}
    for index, scenario in enumerate(rows):
        if index in checkpoints:
            LIVENESS.runs.append(bench.measure(LIVENESS))
        print(f"  {scenario.name} …", flush=True)
        for _ in range(rounds):
            floor = bench.measure(TRIVIAL)
            TRIVIAL.runs.append(floor)
            scenario.floors.append(floor)
            try:
                scenario.runs.append(bench.measure(scenario))
            except (BenchError, httpx.HTTPError, OSError) as exc:
                scenario.error = str(exc)[:300]
                break


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------
@dataclass
class Row:
    scenario: Scenario
    rps: float
    p50: float
    p95: float
    p99: float
    share: float | None  # of the trivial view's req/s in the same rounds
    server_p50: float | None
    server_cpu_ms: float
    postgres_cpu_ms: float
    errors: int
    requests: int


def summarise(scenario: Scenario, floors: list[Measure] | None) -> Row | None:
    runs = scenario.runs
    if not runs:
        return None
    requests = sum(run.requests for run in runs)
    # What the server finished in the runs (its access log), else what wrk counted: the
    # CPU is divided by this.
    served = max(1, sum(len(run.server_ms) or run.requests for run in runs))
    ratios = [
        run.rps / floor.rps
        for run, floor in zip(runs, floors or [], strict=False)
        if floor.rps and scenario.driver == "wrk"
    ]
    server = [ms for run in runs for ms in run.server_ms]
    return Row(
        scenario=scenario,
        rps=statistics.median(run.rps for run in runs),
        p50=statistics.median(run.p50 for run in runs),
        p95=statistics.median(run.p95 for run in runs),
        p99=statistics.median(run.p99 for run in runs),
        share=statistics.median(ratios) if ratios else None,
        server_p50=statistics.median(server) if server else None,
        server_cpu_ms=sum(run.server_cpu_s for run in runs) * 1000 / served,
        postgres_cpu_ms=sum(run.postgres_cpu_s for run in runs) * 1000 / served,
        errors=sum(run.errors for run in runs),
        requests=requests,
    )


def verdict(row: Row, page_one: Row | None) -> str:
    budget = row.scenario.budget
    if row.errors:
        return "OVER: errors"
    if budget == "share" and row.share is not None:
        return f"≥ 50 % of trivial: {'within' if row.share >= SHARE_OF_TRIVIAL else 'OVER'}"
    if budget == "deep" and page_one is not None:
        ratio = row.p50 / page_one.p50 if page_one.p50 else float("inf")
        share = (
            f"; ≥ 50 % of trivial: {'within' if row.share >= SHARE_OF_TRIVIAL else 'OVER'}"
            if row.share is not None
            else ""
        )
        return (
            f"p50 ≤ {DEEP_PAGE_FACTOR:g}× page 1 ({ratio:.1f}×): "
            f"{'within' if ratio <= DEEP_PAGE_FACTOR else 'OVER'}{share}"
        )
    if budget == "kpi-cached" and row.server_p50 is not None:
        ok = row.server_p50 <= KPI_CACHED_SERVER_MS
        return f"server p50 ≤ {KPI_CACHED_SERVER_MS:g} ms: {'within' if ok else 'OVER'}"
    if budget == "kpi-uncached":
        return f"p95 ≤ {KPI_UNCACHED_MS:g} ms: {'within' if row.p95 <= KPI_UNCACHED_MS else 'OVER'}"
    if budget == "photos" and row.server_p50 is not None:
        ok = row.server_p50 <= PHOTOS_SERVER_MS
        return f"server p50 ≤ {PHOTOS_SERVER_MS / 1000:g} s: {'within' if ok else 'OVER'}"
    return ""


def table(rows: list[Scenario]) -> tuple[list[str], list[str]]:
    """The Markdown table and the budgets missed."""
    floor = summarise(TRIVIAL, None)
    summaries: list[tuple[Scenario, Row | None]] = [(LIVENESS, summarise(LIVENESS, None))]
    summaries.append((TRIVIAL, floor))
    summaries += [(scenario, summarise(scenario, scenario.floors)) for scenario in rows]
    page_one = next(
        (row for s, row in summaries if s.name == "complaints, super admin, page 1"), None
    )
    lines = [
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | % of trivial | server p50 ms "
        "| server CPU ms/req | PostgreSQL CPU ms/req | errors | budget |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    over = []
    for scenario, row in summaries:
        if row is None:
            lines.append(f"| {scenario.name} | — | | | | | | | | | {scenario.error or 'not run'} |")
            over.append(f"{scenario.name}: not measured ({scenario.error or 'not run'})")
            continue
        share = f"{row.share * 100:.0f}" if row.share is not None else "—"
        server = f"{row.server_p50:.1f}" if row.server_p50 is not None else "—"
        judged = verdict(row, page_one)
        if scenario.error:
            judged = f"{judged}; failed later: {scenario.error}".strip("; ")
        if "OVER" in judged or scenario.error:
            over.append(f"{scenario.name}: {judged}")
        lines.append(
            f"| {scenario.name} | {row.rps:.1f} | {row.p50:.1f} | {row.p95:.1f} | {row.p99:.1f} "
            f"| {share} | {server} | {row.server_cpu_ms:.1f} | {row.postgres_cpu_ms:.1f} "
            f"| {row.errors} of {row.requests:,} | {judged} |"
        )
    return lines, over


def wrk_version() -> str:
    done = subprocess.run(
        ["wrk", "--version"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return (done.stdout or done.stderr).split(" [")[0].strip() or "wrk"


def topology_line(top: Topology, workers: int) -> str:
    uploads = (
        f"uploads on a local S3-compatible server (moto) in bucket {S3_BUCKET}, links signed"
        if os.environ.get("AWS_STORAGE_BUCKET_NAME") == S3_BUCKET
        else "uploads on local disk"
    )
    return (
        f"`{top.command.replace(sys.executable, 'python')}` ({workers} processes), settings "
        f"{settings.SETTINGS_MODULE} (DEBUG={settings.DEBUG}, JSON access log to a file), a "
        f"Celery worker (concurrency {settings.CELERY_WORKER_CONCURRENCY}); PostgreSQL database "
        f"{connection.settings_dict['NAME']}, Redis {settings.REDIS_URL}; {uploads}; all on this "
        "machine"
    )


@contextlib.contextmanager
def uploads_on_s3(enabled: bool) -> Iterator[None]:
    """With ``enabled``, the servers keep uploads on a local S3 server, as production does on S3:
    every photo link in an answer is then signed (or reused), which local disk never costs."""
    if not enabled:
        yield
        return
    with s3_server() as endpoint:
        names = {
            "AWS_STORAGE_BUCKET_NAME": S3_BUCKET,
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
        }
        before = {name: os.environ.get(name) for name in names}
        os.environ.update(names)  # the servers' environment; this process's settings are read
        try:
            boto3.client("s3", endpoint_url=endpoint, region_name="ap-south-1").create_bucket(
                Bucket=S3_BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-south-1"}
            )
            yield
        finally:
            for name, value in before.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def heading(kind: str, args, top: Topology, load_before: str, seeding: str | None) -> list[str]:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"## {stamp} · {kind}",
        "",
        f"- machine: {machine()}; load average (1 min) {load_before} before, {load()} after "
        "(other work on the machine inflates every number; ratios are what count)",
        f"- code: {code_version()}",
        *([f"- note: {args.note}"] if args.note else []),
        f"- data: {data_size()} (seed_city --scale {args.scale:g}), plus the bench's notices, "
        "chat rooms, emergencies and notifications",
        f"- topology: {topology_line(top, args.workers)}",
    ]
    if seeding:
        lines.append("- seeded during this run")
    return lines


def server_section(
    args, top: Topology, rows: list[Scenario], load_before: str, seeding: str | None
) -> tuple[str, list[str]]:
    body, over = table(rows)
    lines = [
        *heading("server (`make bench-server`)", args, top, load_before, seeding),
        f"- method: {wrk_version()}, {args.connections} connections, 2 threads, "
        f"{args.duration:g} s a run; each scenario {args.rounds} rounds, each round right after "
        "a run of the trivial view (liveness: at the start, middle and end); req/s and "
        "latencies are the median of the rounds, % of trivial the median of each round's "
        "ratio; server p50 is the median of the access log's own durations (time inside "
        "Django); CPU from /proc (the server's session; the database's backends) ÷ requests; "
        "errors are HTTP ≥ 400 and socket errors. KPI uncached and the photo filing: one "
        "Python client (httpx), the KPI's cache retired before each call with "
        "dashboard_touch(). Tokens minted directly for seeded people; throttles run at "
        "THROTTLE_USER/THROTTLE_ANON 100000/second (they refuse nothing).",
        "",
        *body,
        "",
    ]
    if over:
        lines += ["OVER budget or not measured:", "", *(f"- {line}" for line in over), ""]
    return "\n".join(lines) + "\n", over


# ---------------------------------------------------------------------------------------------
# Load (locust)
# ---------------------------------------------------------------------------------------------
LOAD_P95_MS = 500.0
LOAD_ERRORS = 0.01


def load_people(count: int, path: Path) -> None:
    """Tokens for ``count`` users, 85 % citizens and 15 % staff, written where the locustfile
    reads them (BENCH_LOAD_PEOPLE)."""
    citizens_wanted = round(count * 0.85)
    citizens = seeded(UserType.CITIZEN).filter(is_verified=True)[:citizens_wanted]
    staff = list(seeded(UserType.ADMIN)[: count - citizens_wanted])
    staff += list(seeded(UserType.SUPER_ADMIN)[: max(0, count - citizens_wanted - len(staff))])
    people = {
        "citizens": [tokens_for_user(user)["access"] for user in citizens],
        "staff": [tokens_for_user(user)["access"] for user in staff],
    }
    path.write_text(json.dumps(people))


@dataclass(frozen=True)
class Ramp:
    """What the users met while they were still arriving (arrivals_per_second, each opening
    the app at once), before locust reset its figures."""

    seconds: int
    requests: int
    failures: int
    p50: float
    p95: float


@dataclass
class Step:
    users: int
    rps: float = 0.0
    requests: int = 0
    failures: int = 0
    p50: float = 0.0
    p95: float = 0.0
    error: str | None = None
    endpoints: list[tuple[str, int, float, float]] = field(default_factory=list)
    failures_seen: list[tuple[int, str]] = field(default_factory=list)  # (count, what)
    ramp: Ramp | None = None  # while the users were arriving (not in the figures above)
    kept: tuple[int, int] = (0, 0)  # complaint list answers: kept pages, all (the ramp's too)

    @property
    def error_share(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    @property
    def over(self) -> bool:
        return self.p95 > LOAD_P95_MS or self.error_share > LOAD_ERRORS


def arrivals_per_second(users: int) -> int:
    """How fast a step's users arrive: in about 20 s, and never slower than 10 a second."""
    return max(10, users // 20)


STEADY_SECONDS_AT_LEAST = 30  # of a step after its ramp, for its figures to leave the ramp out


def load_step(top: Topology, users: int, *, seconds: int, people: Path, out: Path) -> Step:
    step = Step(users)
    prefix = out / f"users-{users}"
    spawn_rate = arrivals_per_second(users)
    # The figures start once every user has arrived, when the step leaves time after that
    # (a --quick step may not); otherwise they count the ramp too, and there is no ramp column.
    steady = seconds >= users / spawn_rate + STEADY_SECONDS_AT_LEAST
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s",
        "--host", top.url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "10", *(["--reset-stats"] if steady else []),
    ]  # fmt: skip
    log = AccessLog(top.web.log_path)
    log.skip()
    done = subprocess.run(  # noqa: S603 - locust with our arguments
        command,
        env={**os.environ, "BENCH_LOAD_PEOPLE": str(people)},
        capture_output=True,
        text=True,
        timeout=seconds + 300,
        check=False,
    )
    step.kept = log.kept("GET", "/api/v1/complaints/")
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        step.error = (done.stderr or done.stdout)[-300:]
        return step
    with stats.open() as file:
        for record in csv.DictReader(file):
            name = record["Name"]
            requests = int(record["Request Count"])
            if name == "Aggregated":
                step.requests = requests
                step.failures = int(record["Failure Count"])
                step.rps = float(record["Requests/s"])
                step.p50 = _percentile(record["50%"])
                step.p95 = _percentile(record["95%"])
            elif requests:
                step.endpoints.append(
                    (f"{record['Type']} {name}", requests, _percentile(record["50%"]),
                     _percentile(record["95%"]))
                )  # fmt: skip
    step.ramp = ramp_of(Path(f"{prefix}_stats_history.csv")) if steady else None
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open() as file:
            step.failures_seen = sorted(
                (
                    (int(record["Occurrences"]), f"{record['Method']} {record['Name']}: "
                     f"{record['Error'][:160]}")
                    for record in csv.DictReader(file)
                ),
                reverse=True,
            )  # fmt: skip
    return step


def ramp_of(history: Path) -> Ramp | None:
    """The ramp's figures from locust's history (a row a second, cumulative since the last
    reset): the last row before ``--reset-stats`` emptied them when every user had arrived."""
    if not history.exists():
        return None
    with history.open() as file:
        rows = [row for row in csv.DictReader(file) if row["Name"] == "Aggregated"]
    for before, after in itertools.pairwise(rows):
        if int(after["Total Request Count"]) < int(before["Total Request Count"]):
            return Ramp(
                seconds=int(before["Timestamp"]) - int(rows[0]["Timestamp"]) + 1,
                requests=int(before["Total Request Count"]),
                failures=int(before["Total Failure Count"]),
                p50=_percentile(before["50%"]),
                p95=_percentile(before["95%"]),
            )
    return None


def _percentile(text: str) -> float:
    return float(text) if text not in ("", "N/A") else 0.0


def load_section(
    args, top: Topology, steps: list[Step], load_before: str, seeding: str | None
) -> str:
    knee = next((step.users for step in steps if step.over), None)
    lines = [
        *heading("load (`make bench-load`)", args, top, load_before, seeding),
        f"- method: locust (bench/locustfile.py), headless, on the same machine; "
        f"{args.load_seconds} s at each step, after an unreported warm-up; the users arrive "
        "at users/20 a second (10 at least), each opening the app at once (who am I, the home "
        "screen's figures, their list): req/s, errors and percentiles count from the moment "
        "the last one has arrived (locust --reset-stats) to the step's end, and what the "
        "arriving users met is in the ramp columns (the failures listed below are those after "
        "the ramp); 85 % citizens "
        "(own complaints, a complaint's detail, notices, notifications, the home screen's "
        "figures, payment history and payable services, now and then a filing), 15 % staff "
        "(the queue with filters and orderings, a complaint, a status change, the dashboard); "
        "think time 5–15 s. Signing in: tokens minted in advance for each user (the login "
        "throttles stay as production has them; paying stops short of a provider, whose "
        "sandbox production settings do not have).",
        f"- knee (first step with p95 > {LOAD_P95_MS:g} ms or errors > {LOAD_ERRORS:.0%}): "
        f"{f'{knee:,} users' if knee else 'not reached'}; budget: 1,000 users with errors "
        "< 0.1 % and p95 < 500 ms",
        "- complaint pages kept: of the complaint list's answers in the step (its ramp "
        "included), the share answered from a kept page (core/lists.py; the access line says "
        "`page=kept`), while the users file complaints and move them through their statuses",
        "",
        "| concurrent users | req/s | requests | errors | p50 ms | p95 ms | verdict "
        "| ramp s | ramp requests | ramp errors | ramp p50 ms | ramp p95 ms "
        "| complaint pages kept |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for step in steps:
        if step.error:
            lines.append(f"| {step.users:,} | — | | | | | failed: {step.error} | | | | | | |")
            continue
        kept, listed = step.kept
        kept_share = f"{kept / listed:.0%} of {listed:,}" if listed else "—"
        ramp = step.ramp
        arriving = (
            f"{ramp.seconds} | {ramp.requests:,} | {ramp.failures} | {ramp.p50:.0f} | "
            f"{ramp.p95:.0f}"
            if ramp
            else "— | | | |"
        )
        lines.append(
            f"| {step.users:,} | {step.rps:.1f} | {step.requests:,} | "
            f"{step.error_share:.1%} ({step.failures}) | {step.p50:.0f} | {step.p95:.0f} | "
            f"{'OVER' if step.over else 'within'} | {arriving} | {kept_share} |"
        )
    last = next((step for step in reversed(steps) if step.endpoints), None)
    if last:
        lines += [
            "",
            f"Slowest endpoints at {last.users:,} users (p95):",
            "",
            "| endpoint | requests | p50 ms | p95 ms |",
            "| --- | ---: | ---: | ---: |",
        ]
        for name, requests, p50, p95 in sorted(last.endpoints, key=lambda e: -e[3])[:10]:
            lines.append(f"| {name} | {requests:,} | {p50:.0f} | {p95:.0f} |")
    failed = next((step for step in reversed(steps) if step.failures_seen), None)
    if failed:
        lines += ["", f"Failures at {failed.users:,} users (the most frequent):", ""]
        lines += [f"- {count} × {what}" for count, what in failed.failures_seen[:8]]
    return "\n".join([*lines, ""]) + "\n"


# ---------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=5.0, help="seed_city --scale (5: 1M)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_SERVER") or "uvicorn",
        help=f"{' or '.join(SERVERS)}, or a command template with {{python}} {{host}} {{port}} "
        "{workers} (BENCH_SERVER)",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8821")))
    parser.add_argument("--workers", type=int, default=2, help="web server processes")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", default="", help="scenarios whose name contains this")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 1 s, one round, nothing written"
    )
    parser.add_argument("--load", action="store_true", help="run the locust steps instead")
    parser.add_argument(
        "--users", default="100,250,500,1000", help="--load: concurrent users at each step"
    )
    parser.add_argument("--load-seconds", type=int, default=120, help="--load: each step")
    parser.add_argument(
        "--s3",
        action="store_true",
        help="uploads on a local S3-compatible server (moto), so photo links are signed",
    )
    parser.add_argument("--note", default="", help="a line for RESULTS.md (what differs)")
    parser.add_argument("--keep-logs", action="store_true", help="keep the servers' logs")
    parser.add_argument("--no-write", action="store_true", help="print only; keep RESULTS.md")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rounds, args.no_write = 1.0, 1, True
        args.load_seconds = min(args.load_seconds, 20)

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit(
            "bench/server.py needs DATABASE_URL and REDIS_URL (`make bench-server` sets them)."
        )
    if not shutil.which("wrk") and not args.load:
        sys.exit("wrk is not installed (`make bench-server` installs it: apt-get install wrk).")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seeding = ensure_data(scale=args.scale, seed=args.seed)
    # Beat folds the dashboard tallies every few minutes; this topology has no beat, so what the
    # last run's filings appended is folded here.
    complaint_tally_compact()
    cast = cast_make()
    out = Path(tempfile.mkdtemp(prefix="cc-bench-load-"))
    if args.load:
        load_people(max(int(n) for n in args.users.split(",")), out / "people.json")
    else:
        rows = [s for s in scenarios(cast) if args.only.lower() in s.name.lower()]
        if any(s.driver == "photos" for s in rows):
            photos_ensure()
    connection.close()
    load_before = load()
    print(f"Starting {args.server} ({args.workers} processes) and a Celery worker …", flush=True)
    with (
        uploads_on_s3(args.s3),
        topology(
            server=args.server, port=args.port, workers=args.workers, keep_logs=args.keep_logs
        ) as top,
    ):
        if args.load:
            print("  warming up (10 users, 15 s, not reported) …", flush=True)
            load_step(top, 10, seconds=15, people=out / "people.json", out=out)
            steps = []
            for users in (int(n) for n in args.users.split(",")):
                print(f"  {users:,} users for {args.load_seconds} s …", flush=True)
                steps.append(
                    load_step(top, users, seconds=args.load_seconds, people=out / "people.json",
                              out=out)
                )  # fmt: skip
            text, over = load_section(args, top, steps, load_before, seeding), []
        else:
            bench = Bench(top, cast, duration=args.duration, connections=args.connections)
            run_scenarios(bench, rows, rounds=args.rounds)
            text, over = server_section(args, top, rows, load_before, seeding)
    shutil.rmtree(out, ignore_errors=True)
    print(text)
    if not args.no_write:
        write_results(text)
        print("Written to bench/RESULTS.md.")
    return 1 if any("not measured" in line for line in over) else 0


if __name__ == "__main__":
    sys.exit(main())
