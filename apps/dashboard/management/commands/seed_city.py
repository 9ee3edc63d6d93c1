"""Seed a city-sized data set for benchmarks and demos: `python manage.py seed_city [--scale N]`.

Default size: 50,000 users (5 super admins, 150 ward admins allowed to work on complaints and read
payments in their wards, 600 service providers, the rest citizens over the 75 wards), 200,000
complaints with their status history and ratings, 100,000 fee payments with refunds, and 10,000
donations (each with its payment) on four seed donation projects, spread over the last two years.
``--scale 5`` gives 1M complaints; ``--seed`` (with ``--now``) reproduces the same rows, ids
included. About two minutes for the default size on 2 CPUs with PostgreSQL.

This is seed data, not user writes: rows go straight into the tables (COPY on PostgreSQL,
bulk_create elsewhere), deliberately bypassing the per-row services (no notifications, audit
entries, payment-provider calls or dashboard cache bumps per row; the dashboard cache is bumped
once at the end). The rows still keep the rules those services keep (see city_seed).

How seeded rows are told apart, so --reset/--clear never touch anything else:
- users have phones +88012 and eight digits (012 is no operator's prefix: core.phone never
  accepts it, so no real account has one and no SMS can reach a person); their complaints,
  payments, refunds and donations are the seeded ones. Seeded accounts have unusable passwords.
- donation projects have slugs starting with "seed-".
- tracking numbers are in the real format, CC<Dhaka date><sequence>: the seed advances each day's
  row of the real counter table by its count and uses the block it reserved, so the real
  generator continues after them. Clearing leaves the counters advanced (gaps are harmless).
- payment references and receipt numbers put a "Z" where the real generators write hex
  (CCP<date>Z…, CCD-<date>-Z…), so they can never collide with real ones.

Refuses to run where the sandbox is off (production) unless --force, like seed_demo.
"""

import time
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.db.models import ProtectedError
from django.utils import timezone

from apps.dashboard.management.city_seed import (
    SEED_PHONE_PREFIX,
    SeedError,
    Sizes,
    city_seed,
    city_seed_clear,
)
from core.figures import dashboard_touch
from core.lists import lists_touch_everything


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _positive(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Seed a realistic city-sized data set (200k complaints, 50k users by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=_positive,
            default=1.0,
            help="Multiply every count (5 → 1M complaints, 0.01 → a small demo city).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--now",
            type=_moment,
            default=None,
            help="The moment the two years end at (ISO 8601, Dhaka time if no offset); with the "
            "same --seed it reproduces the same rows. Default: now.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete a previous seed first, then seed."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Only delete a previous seed; seed nothing."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even where the sandbox is off (production).",
        )

    def handle(self, *args, scale, seed, now, reset, clear, force, **options):
        if not settings.SANDBOX_ENABLED and not force:
            raise CommandError(
                "This writes tens of thousands of made-up rows; this looks like production "
                "(SANDBOX_ENABLED is off). Use --force if you really mean it."
            )
        started = time.perf_counter()
        try:
            if reset or clear:
                self._clear()
            if not clear:
                self._seed(scale=scale, seed=seed, now=now)
        finally:
            # Bulk writes send no signals: retire the cached answers and kept pages once, even
            # when seeding failed after clearing committed.
            dashboard_touch()
            lists_touch_everything()
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")

    def _clear(self) -> None:
        started = time.perf_counter()
        try:
            deleted = city_seed_clear()
        except ProtectedError as exc:
            raise CommandError(
                "Real rows point at seeded ones and must not be deleted with them "
                f"({exc.args[0]}); nothing was deleted."
            ) from exc
        except DatabaseError as exc:  # e.g. activity_logs is append-only: audit rows stay
            raise CommandError(
                f"The database refused to delete the seed ({exc}); nothing was deleted. "
                "Seeded accounts that appear in the audit log cannot be deleted."
            ) from exc
        summary = ", ".join(f"{count} {label}" for label, count in sorted(deleted.items()))
        self.stdout.write(
            f"Cleared the previous seed in {time.perf_counter() - started:.1f} s: "
            f"{summary or 'nothing to clear'}."
        )

    def _seed(self, *, scale: float, seed: int, now: datetime | None) -> None:
        sizes = Sizes.for_scale(scale)
        self.stdout.write(
            f"Seeding {sizes.users:,} users, {sizes.complaints:,} complaints, "
            f"{sizes.payments:,} payments and {sizes.donations:,} donations "
            f"(scale {scale:g}, seed {seed}) …"
        )

        def progress(name: str, seconds: float) -> None:
            self.stdout.write(f"  {name:<26} {seconds:7.1f} s")

        try:
            result = city_seed(scale=scale, seed=seed, now=now, progress=progress)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Seeded in {result.seconds:.1f} s:")
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:<26} {count:>9,}")
        self.stdout.write(
            f"Seeded users have phones {SEED_PHONE_PREFIX} and eight digits, and no usable "
            f"password; the first super admin is {SEED_PHONE_PREFIX}00000001."
        )
