"""Hold 2,000 WebSockets on one uvicorn process; time chat and staff-feed fan-out across two.

`make bench-ws` runs it against PostgreSQL and Redis (BENCH_WS_DATABASE_URL, BENCH_WS_REDIS_URL).
It migrates the database, replaces the people it seeded last time with fresh ones (only what the
scenarios need), starts two uvicorn processes (A and B) on free loopback ports with the
channels-redis layer, and from one asyncio client process:

1. opens N chat sockets (one citizen and room each) to A and reads A's resident memory before and
   after (÷ the sockets still open = memory per connection), then holds them a while;
2. with those still open, sends chat messages from a citizen's socket on A and times each until
   the ward admin's socket on B receives it (and until the sender's own socket echoes it);
3. opens staff-feed sockets, half on A and half on B, publishes staff-feed events from this
   process through the real service, and times each until every socket has it.

A benchmark, not a test: nothing here asserts a timing. The run goes to bench/RESULTS.md with the
date, the machine and the commit. Traffic goes to 127.0.0.1 only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import re
import resource
import secrets
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.local")
os.environ.setdefault("DEBUG", "false")  # DEBUG records every query: not what production runs
# The servers are started from here with this environment, so the tokens minted here validate
# there; a key of its own per run keeps them useless anywhere else.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
# One sender writes hundreds of messages back to back; 20 per 10 s would refuse most of them.
os.environ.setdefault("CHAT_RATE_MESSAGES", "1000000")

import django  # noqa: E402

# Static files are not collected for a benchmark; WhiteNoise would say so on every start.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

import uvicorn  # noqa: E402
import websockets  # noqa: E402
from asgiref.sync import sync_to_async  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from report import (  # noqa: E402  (bench/report.py)
    code_version,
    load,
    machine,
    percentile,
    write_results,
)
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.exceptions import ConnectionClosed, InvalidHandshake  # noqa: E402
from websockets.protocol import State  # noqa: E402

from apps.authentication.services import tokens_for_user  # noqa: E402
from apps.chat.models import ChatRoom  # noqa: E402
from apps.notifications.services import staff_feed_publish  # noqa: E402
from apps.users.models import AdminPermission, User, UserType  # noqa: E402
from clean_care.celery import app as celery_app  # noqa: E402
from core.testing_servers import Server, pid_rss_kib, uvicorn_processes  # noqa: E402

# 012 is no operator's prefix (as in seed_city), 900 marks the people of this benchmark.
PHONE_PREFIX = "+88012900"
HOLD_WARD, CHAT_WARD, FEED_WARD = "5", "7", "9"
BUDGET_MS = 50.0  # issue 9: p99 of a fan-out under 50 ms
OPEN_TIMEOUT = 30.0  # one handshake
FRAME_TIMEOUT = 10.0  # one frame to arrive
OPEN_CONCURRENCY = 50  # handshakes in flight at once
RUN_TIMEOUT = 900.0  # the whole client side
LOG_RECORD = re.compile(r"^(?=\d{4}-\d\d-\d\d )", re.MULTILINE)  # where a log record starts
ERROR_RECORD = re.compile(r"^\S+ \S+ (ERROR|CRITICAL) ")  # "date time LEVEL logger …"


class BenchError(Exception):
    """A scenario could not be measured (a socket closed, an error frame, a timeout)."""


# ---------------------------------------------------------------------------------------------
# Setup: services, data, tokens
# ---------------------------------------------------------------------------------------------
def require_services() -> None:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit(
            "bench/sockets.py measures PostgreSQL + the channels-redis layer: set DATABASE_URL "
            "and REDIS_URL (`make bench-ws` does)."
        )


def raise_open_files(needed: int) -> str:
    """Lift the soft limit on open files (children inherit it); returns the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft != resource.RLIM_INFINITY and soft < needed:
        sys.exit(f"{needed} open files needed, the hard limit is {hard}: raise `ulimit -Hn`.")
    return "unlimited" if soft == resource.RLIM_INFINITY else str(soft)


@dataclass
class People:
    holders: list[tuple[str, str]]  # (room id, citizen's access token), one room each
    pair_room: str
    pair_citizen: str
    pair_admin: str
    staff: list[str]


def seed(*, holders: int, staff: int) -> People:
    """Replace this benchmark's people: citizens with a room each, a citizen and a ward admin
    with `chat` rights around one room, and ward admins with `complaints` rights in one ward."""
    with transaction.atomic():
        previous = User.objects.filter(phone__startswith=PHONE_PREFIX)
        OutstandingToken.objects.filter(user__in=previous).delete()
        previous.delete()  # their rooms, messages, presence rows and permissions go with them
        password = make_password(None)
        numbers = itertools.count(1)

        def person(user_type: str, ward: str | None = None) -> User:
            n = next(numbers)
            return User(
                phone=f"{PHONE_PREFIX}{n:05d}",
                name=f"Bench {user_type} {n}",
                user_type=user_type,
                ward_number=ward,
                language="en",
                is_verified=True,
                password=password,
            )

        citizens = [person(UserType.CITIZEN, HOLD_WARD) for _ in range(holders)]
        pair_citizen = person(UserType.CITIZEN, CHAT_WARD)
        pair_admin = person(UserType.ADMIN)
        feed_staff = [person(UserType.ADMIN) for _ in range(staff)]
        User.objects.bulk_create([*citizens, pair_citizen, pair_admin, *feed_staff])
        AdminPermission.objects.bulk_create(
            [
                AdminPermission(
                    admin=pair_admin,
                    permission_type="chat",
                    resource_type="chat",
                    ward_numbers=[CHAT_WARD],
                    can_read=True,
                    can_update=True,
                ),
                *(
                    AdminPermission(
                        admin=member,
                        permission_type="complaints",
                        resource_type="complaint",
                        ward_numbers=[FEED_WARD],
                        can_read=True,
                    )
                    for member in feed_staff
                ),
            ]
        )
        rooms = ChatRoom.objects.bulk_create(
            [ChatRoom(citizen=c, ward_number=HOLD_WARD) for c in citizens]
            + [ChatRoom(citizen=pair_citizen, ward_number=CHAT_WARD)]
        )
        # Minted here, as bench/run.py does: the seeded accounts have no usable password.
        access = {
            user.pk: tokens_for_user(user)["access"]
            for user in User.objects.filter(phone__startswith=PHONE_PREFIX)
        }
    return People(
        holders=[(str(room.pk), access[room.citizen_id]) for room in rooms[:-1]],
        pair_room=str(rooms[-1].pk),
        pair_citizen=access[pair_citizen.pk],
        pair_admin=access[pair_admin.pk],
        staff=[access[member.pk] for member in feed_staff],
    )


# ---------------------------------------------------------------------------------------------
# Client side
# ---------------------------------------------------------------------------------------------
# Clients here send no pings (dart:io's WebSocket, under the Flutter app, sends none by default;
# the server pings every socket on its own schedule) and offer permessage-deflate as browsers
# do, unless --no-deflate.
CLIENT_OPTIONS = {"open_timeout": OPEN_TIMEOUT, "ping_interval": None, "compression": "deflate"}


async def open_socket(url: str) -> ClientConnection:
    return await connect(url, **CLIENT_OPTIONS)


async def open_sockets(urls: list[str]) -> tuple[list[ClientConnection], list[str]]:
    """Open every URL, OPEN_CONCURRENCY handshakes at a time; returns sockets and failures."""
    gate = asyncio.Semaphore(OPEN_CONCURRENCY)

    async def one(url: str):
        async with gate:
            try:
                return await open_socket(url)
            except (OSError, TimeoutError, InvalidHandshake) as exc:
                return f"{type(exc).__name__}: {exc}"

    results = await asyncio.gather(*(one(url) for url in urls))
    sockets = [r for r in results if isinstance(r, ClientConnection)]
    return sockets, [r for r in results if isinstance(r, str)]


async def close_sockets(sockets: list[ClientConnection]) -> None:
    gate = asyncio.Semaphore(OPEN_CONCURRENCY)

    async def one(socket: ClientConnection) -> None:
        async with gate:
            await socket.close()

    await asyncio.wait_for(asyncio.gather(*(one(s) for s in sockets), return_exceptions=True), 120)


def still_open(sockets: list[ClientConnection]) -> int:
    return sum(socket.state is State.OPEN for socket in sockets)


class Inbox:
    """Reads one socket in the background and stamps each frame with its arrival time."""

    def __init__(self, socket: ClientConnection):
        self.socket = socket
        self.frames: asyncio.Queue = asyncio.Queue()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.socket:
                self.frames.put_nowait((time.perf_counter(), json.loads(raw)))
        except ConnectionClosed:
            pass
        finally:
            self.frames.put_nowait((time.perf_counter(), None))

    async def expect(self, wanted, *, timeout: float = FRAME_TIMEOUT) -> float:
        """Arrival time of the next frame ``wanted(frame)`` accepts (others are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise TimeoutError
                arrived, frame = await asyncio.wait_for(self.frames.get(), remaining)
            except TimeoutError:
                raise BenchError(f"no expected frame within {timeout:g} s") from None
            if frame is None:
                self.frames.put_nowait((arrived, None))  # stays closed for the next caller
                raise BenchError(
                    f"socket closed by the server (code {self.socket.close_code}, "
                    f"reason {self.socket.close_reason!r})"
                )
            if frame.get("type") == "error":
                raise BenchError(f"error frame: {frame}")
            if wanted(frame):
                return arrived


@dataclass
class Hold:
    target: int
    failures: list[str] = field(default_factory=list)
    sockets: list[ClientConnection] = field(default_factory=list)
    opened_s: float = 0.0
    rss_before_kib: int = 0
    rss_after_kib: int = 0
    open_at_measure: int = 0
    held_s: float = 0.0
    open_after_hold: int = 0
    open_at_end: int = 0
    rss_after_close_kib: int | None = None

    @property
    def per_connection_kib(self) -> float | None:
        if not self.open_at_measure:
            return None
        return (self.rss_after_kib - self.rss_before_kib) / self.open_at_measure


async def hold_sockets(server: Server, people: People, *, hold_s: float) -> Hold:
    """Scenario 1: every citizen's chat socket on one process; its memory before and after."""
    urls = [f"{server.ws_url}/ws/chat/{room}/?token={token}" for room, token in people.holders]
    result = Hold(target=len(urls))
    # Warm up first (thread pool, database and Redis connections, lazy imports), so the
    # difference is what the sockets themselves cost.
    warm, _ = await open_sockets(urls[:20])
    await close_sockets(warm)
    await asyncio.sleep(1)
    result.rss_before_kib = pid_rss_kib(server.process.pid)
    started = time.perf_counter()
    result.sockets, result.failures = await open_sockets(urls)
    result.opened_s = time.perf_counter() - started
    await asyncio.sleep(2)  # let the last connects finish their bookkeeping
    result.rss_after_kib = pid_rss_kib(server.process.pid)
    result.open_at_measure = still_open(result.sockets)
    await asyncio.sleep(hold_s)
    result.held_s = time.perf_counter() - started
    result.open_after_hold = still_open(result.sockets)
    return result


@dataclass
class Latency:
    name: str
    samples: list[float] = field(default_factory=list)
    error: str | None = None

    def row(self) -> str:
        if self.error or not self.samples:
            return f"| {self.name} | {len(self.samples)} | — | — | — | — | {self.error or 'none'} |"
        p = {share: percentile(self.samples, share) for share in (0.5, 0.95, 0.99)}
        verdict = "within" if p[0.99] < BUDGET_MS else "OVER"
        return (
            f"| {self.name} | {len(self.samples):,} | {p[0.5]:.1f} | {p[0.95]:.1f} | "
            f"{p[0.99]:.1f} | {max(self.samples):.1f} | p99 < {BUDGET_MS:g} ms: {verdict} |"
        )


async def chat_fan_out(
    a: Server, b: Server, people: People, *, messages: int, warmup: int
) -> tuple[Latency, Latency]:
    """Scenario 2: a citizen's socket on A sends; the ward admin's socket on B receives."""
    to_b = Latency("chat message: sender's socket on A → ward admin's socket on B")
    to_a = Latency("chat message: sender's socket on A → its own echo on A")
    room = people.pair_room
    sockets = []
    try:
        sender = await open_socket(f"{a.ws_url}/ws/chat/{room}/?token={people.pair_citizen}")
        sockets.append(sender)
        receiver = await open_socket(f"{b.ws_url}/ws/chat/{room}/?token={people.pair_admin}")
        sockets.append(receiver)
        on_a, on_b = Inbox(sender), Inbox(receiver)
        quiet_client()
        for n in range(warmup + messages):
            text = f"bench message {n}"

            def wanted(frame, text=text):
                return frame.get("type") == "message" and frame.get("message") == text

            sent = time.perf_counter()
            await sender.send(json.dumps({"type": "message", "message": text}))
            received = await on_b.expect(wanted)
            echoed = await on_a.expect(wanted)
            if n >= warmup:
                to_b.samples.append((received - sent) * 1000)
                to_a.samples.append((echoed - sent) * 1000)
    except (BenchError, ConnectionClosed, OSError, TimeoutError, InvalidHandshake) as exc:
        to_b.error = to_a.error = f"after {len(to_b.samples)} messages: {exc}"
    finally:
        await close_sockets(sockets)
    return to_b, to_a


def quiet_client() -> None:
    """Move what the client holds (thousands of sockets) out of the collector's way, so a
    garbage-collection pause of this measuring process is not timed as the server's."""
    gc.collect()
    gc.freeze()


def publish(seq: int) -> float:
    """One staff-feed event through the real service (this process is outside any transaction,
    so it goes at once); returns the moment just before it was published."""
    started = time.perf_counter()
    staff_feed_publish(
        resource="complaints",
        ward_number=FEED_WARD,
        payload={"type": "bench.event", "seq": seq},
    )
    return started


async def staff_fan_out(
    a: Server, b: Server, people: People, *, events: int, warmup: int
) -> tuple[Latency, Latency, Latency]:
    """Scenario 3: staff-feed sockets, half on A and half on B, each event timed to each."""
    count = len(people.staff)
    each = Latency(f"staff feed: publish → each of {count} sockets (half on A, half on B)")
    first = Latency(f"staff feed: publish → the first of the {count} sockets")
    last = Latency(f"staff feed: publish → the last of the {count} sockets")
    servers = (a, b)
    urls = [
        f"{servers[n % 2].ws_url}/ws/staff/?token={token}" for n, token in enumerate(people.staff)
    ]
    sockets: list[ClientConnection] = []
    try:
        sockets, failures = await open_sockets(urls)
        if failures:
            raise BenchError(f"{len(failures)} staff sockets failed to open: {failures[0]}")
        inboxes = [Inbox(socket) for socket in sockets]
        await asyncio.gather(*(i.expect(lambda f: f.get("type") == "subscribed") for i in inboxes))
        quiet_client()
        for seq in range(warmup + events):

            def wanted(frame, seq=seq):
                return frame.get("type") == "bench.event" and frame.get("seq") == seq

            sent = await sync_to_async(publish)(seq)
            arrivals = await asyncio.gather(*(inbox.expect(wanted) for inbox in inboxes))
            if seq >= warmup:
                latencies = [(arrived - sent) * 1000 for arrived in arrivals]
                each.samples.extend(latencies)
                first.samples.append(min(latencies))
                last.samples.append(max(latencies))
    except (BenchError, ConnectionClosed, OSError, TimeoutError, InvalidHandshake) as exc:
        each.error = first.error = last.error = f"after {len(last.samples)} events: {exc}"
    finally:
        await close_sockets(sockets)
    return each, first, last


@dataclass
class Run:
    hold: Hold | None = None
    hold_error: str | None = None
    latencies: list[Latency] = field(default_factory=list)


async def run_scenarios(a: Server, b: Server, people: People, args) -> Run:
    run = Run()
    try:
        print(f"  1. {len(people.holders):,} chat sockets on A …", flush=True)
        run.hold = await hold_sockets(a, people, hold_s=args.hold)
        print(
            f"     {run.hold.open_at_measure:,} open, {run.hold.open_after_hold:,} still open "
            f"after {run.hold.held_s:.0f} s",
            flush=True,
        )
        print(f"  2. {args.messages} chat messages A → B …", flush=True)
        run.latencies += await chat_fan_out(a, b, people, messages=args.messages, warmup=10)
        print(f"  3. {args.events} staff-feed events to {len(people.staff)} sockets …", flush=True)
        run.latencies += await staff_fan_out(a, b, people, events=args.events, warmup=3)
    except (BenchError, OSError, TimeoutError) as exc:
        run.hold_error = str(exc)
    finally:
        if run.hold is not None:
            run.hold.open_at_end = still_open(run.hold.sockets)
            await close_sockets(run.hold.sockets)
            await asyncio.sleep(2)
            run.hold.rss_after_close_kib = pid_rss_kib(a.process.pid)
    return run


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------
def server_errors(servers: list[Server], *, verbose: bool = False) -> list[str]:
    """Each distinct exception or error the servers logged (a traceback's last line, else the
    record's first line), with its count; ``verbose`` prints the first full record of each."""
    found: dict[str, int] = {}
    for server in servers:
        for record in LOG_RECORD.split(server.log_text()):
            if "Traceback" in record:
                last = [line for line in record.splitlines() if line and not line[0].isspace()]
                text = last[-1]
            elif ERROR_RECORD.search(record):
                text = record.strip().splitlines()[0]
            else:
                continue
            if verbose and text not in found:
                print(f"--- uvicorn on port {server.port} ---\n{record}", file=sys.stderr)
            found[text] = found.get(text, 0) + 1
    return [f"{count} × {text}" for text, count in found.items()]


def error_count(errors: list[str]) -> int:
    return sum(int(error.split(" × ", 1)[0]) for error in errors)


def hold_rows(run: Run) -> list[str]:
    lines = ["| scenario | result | budget |", "| --- | --- | --- |"]
    hold = run.hold
    if hold is None:
        lines.append(f"| chat sockets held on one process | {run.hold_error or 'not run'} | |")
        return lines
    per = hold.per_connection_kib
    per_text = f"{per:.1f} KiB per connection" if per is not None else "no socket open"
    after_close = (
        f"; {hold.rss_after_close_kib / 1024:.1f} MiB after closing them"
        if hold.rss_after_close_kib is not None
        else ""
    )
    held_ok = min(hold.open_after_hold, hold.open_at_end) == hold.target
    lines.append(
        f"| {hold.target:,} chat sockets on process A | RSS {hold.rss_before_kib / 1024:.1f} → "
        f"{hold.rss_after_kib / 1024:.1f} MiB with {hold.open_at_measure:,} open: {per_text}"
        f"{after_close}; opened in {hold.opened_s:.1f} s "
        f"({hold.target / hold.opened_s:.0f}/s), {len(hold.failures)} refused; "
        f"{hold.open_after_hold:,} still open {hold.held_s:.0f} s after the first opened, "
        f"{hold.open_at_end:,} at the end of the run "
        f"| {hold.target:,} held: {'within' if held_ok else 'OVER'} |"
    )
    return lines


def section(run: Run, args, *, load_before: str, errors: list[str], limit: str) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
    compression = (
        "permessage-deflate offered as browsers do"
        if CLIENT_OPTIONS["compression"]
        else "no compression offered (--no-deflate)"
    )
    database = connection.settings_dict["NAME"]
    lines = [
        f"## {stamp} · WebSockets (`make bench-ws`)",
        "",
        f"- machine: {machine()}; load average (1 min) {load_before} before, {load()} after "
        "(other work on the machine inflates every number)",
        f"- code: {code_version()}",
        *([f"- note: {args.note}"] if args.note else []),
        f"- servers: 2 uvicorn {uvicorn.__version__} processes (A, B) as `make run` starts them "
        f"(`--lifespan off --no-access-log`), settings {settings.SETTINGS_MODULE} with "
        f"DEBUG={settings.DEBUG}, PostgreSQL database {database}, channels-redis layer; "
        f"CHAT_RATE_MESSAGES lifted; no Celery worker (queued notification tasks are purged); "
        f"open files {limit}",
        f"- clients: one asyncio process on the same machine (websockets {websockets.__version__},"
        f" {compression}, no client pings); data: only what the "
        f"scenarios need ({args.connections:,} citizens with a room each, a citizen and a ward "
        f"admin with `chat` rights around one room, {args.staff} ward admins with `complaints` "
        "rights in one ward)",
        "- method: (1) A's RSS (/proc VmRSS) after 20 warm-up sockets, and 2 s after the last "
        f"of {args.connections:,} chat sockets opened ({OPEN_CONCURRENCY} handshakes at a "
        f"time), ÷ sockets open; they stay open through (2) and (3). (2) 10 warm-up then "
        f"{args.messages} messages one after another, each timed from the send on A to its "
        f"arrival on B. (3) {args.staff} staff sockets alternating A/B; 3 warm-up then "
        f"{args.events} events from this process through staff_feed_publish, each timed from "
        "the call to its arrival at every socket.",
        "",
        *hold_rows(run),
        "",
        "| scenario | samples | p50 ms | p95 ms | p99 ms | max ms | budget |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        *(latency.row() for latency in run.latencies),
        "",
    ]
    lines.append(
        f"Errors in the servers' logs: **{error_count(errors):,}**"
        + (" (budget: none): OVER" if errors else " (budget: none): within")
    )
    lines.append("")
    if errors:
        lines += [f"- `{error}`" for error in errors]
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=2000, help="chat sockets held on A")
    parser.add_argument("--staff", type=int, default=200, help="staff-feed sockets (A and B)")
    parser.add_argument("--messages", type=int, default=200, help="timed chat messages")
    parser.add_argument("--events", type=int, default=30, help="timed staff-feed events")
    parser.add_argument(
        "--hold", type=float, default=15.0, help="seconds to hold the sockets before (2)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; keep RESULTS.md")
    parser.add_argument(
        "--no-deflate", action="store_true", help="clients offer no permessage-deflate"
    )
    parser.add_argument("--note", default="", help="a line for RESULTS.md (what differs)")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print the servers' tracebacks in full"
    )
    args = parser.parse_args()

    if args.no_deflate:
        CLIENT_OPTIONS["compression"] = None
    require_services()
    limit = raise_open_files(args.connections + args.staff + 1024)
    call_command("migrate", interactive=False, verbosity=0)
    print("Seeding the benchmark's people …", flush=True)
    people = seed(holders=args.connections, staff=args.staff)
    connection.close()  # the servers do the database work from here on
    load_before = load()
    print("Starting two uvicorn processes …", flush=True)
    with uvicorn_processes(2, env=os.environ) as (a, b):
        run = asyncio.run(asyncio.wait_for(run_scenarios(a, b, people, args), RUN_TIMEOUT))
        errors = server_errors([a, b], verbose=args.verbose)
    celery_app.control.purge()  # the notification tasks the messages queued; no worker runs
    text = section(run, args, load_before=load_before, errors=errors, limit=limit)
    print(text)
    if not args.no_write:
        write_results(text)
        print("Written to bench/RESULTS.md.")
    failed = (
        run.hold is None
        or min(run.hold.open_after_hold, run.hold.open_at_end) < run.hold.target
        or any(latency.error for latency in run.latencies)
    )
    if errors:
        print(
            f"FAILED: {error_count(errors):,} errors in the servers' logs "
            "(-v prints the first of each in full).",
            file=sys.stderr,
        )
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
