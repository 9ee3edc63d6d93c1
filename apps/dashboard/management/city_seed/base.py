"""What every part of the city seed shares: the markers of seeded rows, the sizes, the clock and
the random draws, and bulk inserts that keep the timestamps the seed chose."""

from __future__ import annotations

import bisect
import itertools
import json
import math
import random
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

from core.rls import as_owner

# Seeded users have phones +88012 and eight digits. 012 is no Bangladeshi operator's prefix, so
# core.phone.normalize_phone never produces one: no real account can hold such a phone, no SMS
# can reach a person through it, and --clear can select seeded rows by it without touching others.
SEED_PHONE_PREFIX = "+88012"
# Seeded donation projects have slugs starting with this.
SEED_PROJECT_PREFIX = "seed-"
# Seeded payment references and receipt numbers carry a "Z" where the real generators write
# upper-case hex (CCP<date><12 hex>, CCD-<date>-<10 hex>), so the two can never collide.
SEED_REFERENCE_MARK = "Z"
# An unusable password (Django's "!" prefix): seeded accounts cannot sign in until an operator
# sets a password (`manage.py changepassword +8801200000001`).
UNUSABLE_PASSWORD = "!seed_city"  # noqa: S105 (not a password: the mark of having none)

BATCH_SIZE = 2000
WINDOW = timedelta(days=730)  # "the last two years"

# Relative traffic by hour of the day in Dhaka (complaints, payments, sign-ups).
HOURLY_WEIGHTS = [
    0.15, 0.08, 0.05, 0.05, 0.08, 0.25, 0.6, 1.0, 1.4, 1.7, 1.8, 1.7,
    1.5, 1.4, 1.5, 1.6, 1.6, 1.5, 1.4, 1.3, 1.1, 0.8, 0.5, 0.3,
]  # fmt: skip
_HOURLY_MAX = max(HOURLY_WEIGHTS)


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind; ``scale`` multiplies the city-sized defaults."""

    super_admins: int
    ward_admins: int
    providers: int
    citizens: int
    complaints: int
    payments: int
    donations: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        def scaled(default: int, least: int = 1) -> int:
            return max(least, round(default * scale))

        users = scaled(50_000, least=10)
        staff = (scaled(5), scaled(150), scaled(600))
        return cls(
            super_admins=staff[0],
            ward_admins=staff[1],
            providers=staff[2],
            citizens=max(5, users - sum(staff)),
            complaints=scaled(200_000),
            payments=scaled(100_000),
            donations=scaled(10_000),
        )

    @property
    def users(self) -> int:
        return self.super_admins + self.ward_admins + self.providers + self.citizens


@dataclass
class Ward:
    number: str
    name_bn: str
    name_en: str
    latitude: float
    longitude: float


@dataclass
class Run:
    """One seeding run: its random source, its clock and the city's wards."""

    rng: random.Random
    now: datetime
    wards: list[Ward]
    sizes: Sizes
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def now_ts(self) -> float:
        return self.now.timestamp()

    @property
    def start_ts(self) -> float:
        return (self.now - WINDOW).timestamp()

    def uuid(self) -> uuid.UUID:
        """A version-4 UUID from the run's generator, so --seed reproduces the ids too."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def lognormal(self, median: float, sigma: float) -> float:
        return self.rng.lognormvariate(math.log(median), sigma)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def times(self, count: int, *, start: float, growth: float = 1.5) -> list[float]:
        """``count`` sorted epoch seconds in [start, now): traffic grows linearly (the last day has
        1 + ``growth`` times the first day's) and follows the day in Dhaka."""
        rng, end = self.rng, self.now_ts
        span = end - start
        offset = timezone.localtime(self.now).utcoffset().total_seconds()
        out: list[float] = []
        while len(out) < count:
            # Inverse CDF of the density 1 + growth·x on [0, 1].
            x = (math.sqrt(1 + growth * (2 + growth) * rng.random()) - 1) / growth
            ts = start + x * span
            if rng.random() * _HOURLY_MAX < HOURLY_WEIGHTS[int((ts + offset) // 3600) % 24]:
                out.append(ts)
        out.sort()
        return out


class WeightedChoice:
    """Draws from ``{value: weight}`` with one bisect per draw."""

    def __init__(self, weights: dict | Sequence[tuple]):
        items = list(weights.items()) if isinstance(weights, dict) else list(weights)
        self.values = [value for value, _ in items]
        self.cumulative = list(itertools.accumulate(weight for _, weight in items))

    def __call__(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def aware(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def money(value: float, *, low: Decimal, high: Decimal, step: int = 10) -> Decimal:
    """A plausible amount: rounded to ``step`` taka, within [low, high]."""
    rounded = Decimal(max(step, round(value / step) * step))
    return min(high, max(low, rounded)).quantize(Decimal("0.01"))


def seed_phone(number: int) -> str:
    return f"{SEED_PHONE_PREFIX}{number:08d}"


@contextmanager
def explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created_at/updated_at the seed chose.

    auto_now/auto_now_add stamp "now" on every insert, bulk ones included; seed rows must be spread
    over two years. The flags are switched off on these models for the block and put back after.
    """
    switched = []
    for model in model_classes:
        for model_field in model._meta.concrete_fields:
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                switched.append((model_field, model_field.auto_now, model_field.auto_now_add))
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in switched:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def insert(model: type[models.Model], rows: list[dict]) -> int:
    """Insert ``rows`` (dicts by attribute name; a missing field takes its default) as they are.

    PostgreSQL: one COPY, several times faster than bulk_create (which spends most of its time
    preparing each value in Python: 200k complaints took minutes). Elsewhere: bulk_create in
    batches, with the auto timestamps switched off so the seed's own times are kept.
    """
    if not rows:
        return 0
    fields = model._meta.concrete_fields
    if connection.vendor != "postgresql":
        with explicit_timestamps(model):
            model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)
        return len(rows)
    # (name, value when the row has none, whether to send it as JSON text)
    columns = [(f.attname, f.get_default(), isinstance(f, models.JSONField)) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        as_owner(),  # COPY is refused under row-level security
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = []
            for name, default, is_json in columns:
                value = row.get(name, default)
                if is_json and value is not None:
                    value = json.dumps(value, ensure_ascii=False)
                values.append(value)
            copy.write_row(values)
    return len(rows)


class SeedError(Exception):
    """The seed cannot run here (no wards, a seed already present, or a
    relation the set-wise clear does not know how to follow)."""
