"""A city-sized, reproducible data set for benchmarks and demos (``manage.py seed_city``).

Rows go straight into the tables (COPY on PostgreSQL, bulk_create elsewhere), past the services
on purpose: this is seed data, not user writes. So no notifications, audit rows, payment-provider
calls or per-row cache bumps, and two years of a city's history take a minute, not hours. The
rows still keep every rule the database and the services keep: stored Bengali values from the
model choices, resolved complaints with resolved_at after created_at, completed payments with
completed_at, unique tracking numbers taken from the real per-day counter.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from apps.complaints.models import Complaint, ComplaintUpdate
from apps.dashboard.models import ComplaintTally, ServiceTimeTally
from apps.dashboard.services import complaint_tally_compact
from apps.donations.models import Donation, DonationProject
from apps.payments.models import Payment, Refund
from apps.users.models import AdminPermission, User
from apps.users.models import Ward as WardRow

from .base import SEED_PHONE_PREFIX, Run, SeedError, Sizes, Ward
from .clear import city_seed_clear, seeded_users
from .complaints import complaints_plan, complaints_seed, tracking_blocks_reserve
from .money import money_seed
from .people import people_seed

__all__ = [
    "SEED_PHONE_PREFIX",
    "SeedError",
    "SeedResult",
    "Sizes",
    "city_seed",
    "city_seed_clear",
    "seeded_users",
]

SEEDED_MODELS = (
    User,
    AdminPermission,
    Complaint,
    ComplaintUpdate,
    Payment,
    Refund,
    DonationProject,
    Donation,
)


@dataclass
class SeedResult:
    counts: dict[str, int]
    steps: list[tuple[str, float]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.steps)


def _wards() -> list[Ward]:
    rows = WardRow.objects.exclude(latitude=None).exclude(longitude=None)
    wards = [
        Ward(w.number, w.name_bn, w.name_en, float(w.latitude), float(w.longitude)) for w in rows
    ]
    if not wards:
        raise SeedError("There are no wards to seed into: run `manage.py migrate` (or load_wards).")
    return sorted(wards, key=lambda w: (len(w.number), w.number))


def city_seed(
    *,
    scale: float = 1.0,
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> SeedResult:
    """Seed the city: users, complaints with history, payments, refunds and donations.

    The same ``seed``, ``scale`` and ``now`` give the same rows, ids included (tracking numbers
    continue from wherever the day counters stand). A different ``now`` (by default the current
    time) gives a city of the same shape and mixes, placed in the two years before it.
    Refuses if seeded users are already there: clear them first (city_seed_clear).
    """
    already = seeded_users().count()
    if already:
        raise SeedError(
            f"A city seed is already here ({already} users with {SEED_PHONE_PREFIX}… phones); "
            "use --reset to replace it or --clear to remove it."
        )
    run = Run(
        rng=random.Random(seed),  # noqa: S311 (reproducible data, not secrets)
        now=now or timezone.now(),
        wards=_wards(),
        sizes=Sizes.for_scale(scale),
    )
    result = SeedResult(counts=run.counts)

    def record(name: str, started: float) -> None:
        result.steps.append((name, time.perf_counter() - started))
        if progress:
            progress(name, result.steps[-1][1])

    def step(name: str, work: Callable[[], object]):
        started = time.perf_counter()
        value = work()
        record(name, started)
        return value

    plan = step("plan complaint times", lambda: complaints_plan(run))
    # Committed at once, before the long transaction below, so the day's counter row is locked
    # only for one statement and citizens filing meanwhile are not held up.
    first_numbers = step("reserve tracking numbers", lambda: tracking_blocks_reserve(plan.per_day))
    with transaction.atomic():
        people = step("users", lambda: people_seed(run))
        step("complaints", lambda: complaints_seed(run, people, plan, first_numbers))
        step("payments and donations", lambda: money_seed(run, people))
        committing = time.perf_counter()
    record("commit (foreign-key checks)", committing)
    # The tallies' triggers appended a row per seeded complaint: folded as beat folds them
    # (hundreds of thousands of rows made every uncached dashboard read 200 ms slower).
    step("fold the dashboard tallies", complaint_tally_compact)
    step("analyze", _analyze)
    return result


def _analyze() -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map that index-only scans
    need), as autovacuum would have them on a database that grew over two years."""
    models = (*SEEDED_MODELS, ComplaintTally, ServiceTimeTally)
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
        elif connection.in_atomic_block:  # VACUUM cannot run in a transaction (a test's)
            cursor.execute(f"ANALYZE {tables}")
        else:
            cursor.execute(f"VACUUM (ANALYZE) {tables}")
