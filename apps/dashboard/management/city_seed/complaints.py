"""Seeded complaints with their status history, tracking numbers from the real counter, and ratings.

Each complaint lives a simulated life: filed, picked up after some hours, fixed after a time that
depends on its priority (or cancelled, or stuck); its status is wherever that life is "now", so
old complaints are mostly resolved and the last day's mostly open, and every timestamp is in order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from apps.complaints.enums import Category, Status
from apps.complaints.models import Complaint, ComplaintUpdate, TrackingCounter

from .base import Run, WeightedChoice, aware, insert
from .content import (
    CATEGORY_WEIGHTS,
    DESCRIPTION_TAILS,
    FEEDBACK,
    PRIORITY_WEIGHTS,
    PRIORITY_WEIGHTS_DEFAULT,
    RATING_WEIGHTS_FAST,
    RATING_WEIGHTS_SLOW,
    RESOLUTION_MEDIAN_HOURS,
    STAFF_COMMENTS_CANCELLED,
    STAFF_COMMENTS_RESOLVED,
    STAFF_COMMENTS_STARTED,
    TITLES,
)
from .people import People

CHUNK = 10_000
HOUR = 3600.0
# How a complaint's life goes: never picked up, cancelled, stuck in progress, or fixed.
NEVER_PICKED_UP, CANCELLED, STUCK, FIXED = range(4)
FATES = WeightedChoice({NEVER_PICKED_UP: 1.5, CANCELLED: 7, STUCK: 4, FIXED: 87.5})
RATING_SHARE = 0.4  # of resolved complaints, how many the citizen rates
STAFF_COMMENTS = {
    Status.IN_PROGRESS: STAFF_COMMENTS_STARTED,
    Status.RESOLVED: STAFF_COMMENTS_RESOLVED,
    Status.CANCELLED: STAFF_COMMENTS_CANCELLED,
}


@dataclass
class ComplaintPlan:
    """When each complaint is filed (sorted) and its Dhaka date, decided before anything is written
    so the tracking numbers can be reserved first."""

    times: list[float]
    days: list[date]

    @property
    def per_day(self) -> dict[date, int]:
        return dict(Counter(self.days))


def complaints_plan(run: Run) -> ComplaintPlan:
    times = run.times(run.sizes.complaints, start=run.start_ts)
    dhaka = timezone.get_default_timezone()
    return ComplaintPlan(times=times, days=[aware(ts).astimezone(dhaka).date() for ts in times])


def tracking_blocks_reserve(per_day: dict[date, int]) -> dict[date, int]:
    """Advance each day's tracking counter by the seed's count for that day; return each day's
    first reserved number.

    The same upsert as apps.complaints.tracking, by n instead of 1, in its own short transaction:
    the real generator then continues after the seeded numbers and never repeats one, even while
    citizens file during the seeding. Clearing the seed leaves the counters where they are (gaps
    are harmless; going back could hand out a number twice).
    """
    table = connection.ops.quote_name(TrackingCounter._meta.db_table)
    days = sorted(per_day)
    first: dict[date, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(days), 400):
            chunk = days[start : start + 400]
            cursor.execute(
                f"INSERT INTO {table} (day, last_number) VALUES "  # noqa: S608 (our table)
                + ", ".join(["(%s, %s)"] * len(chunk))
                + f" ON CONFLICT (day) DO UPDATE SET last_number = {table}.last_number"
                " + EXCLUDED.last_number RETURNING day, last_number",
                [value for day in chunk for value in (day, per_day[day])],
            )
            for day, last in cursor.fetchall():
                day = day if isinstance(day, date) else date.fromisoformat(str(day))
                first[day] = last - per_day[day] + 1
    return first


def _rating(run: Run, *, filed: float, resolved: float) -> int:
    weights = RATING_WEIGHTS_FAST if resolved - filed < 72 * HOUR else RATING_WEIGHTS_SLOW
    return run.rng.choices((5, 4, 3, 2, 1), weights=weights)[0]


class _ComplaintMaker:
    def __init__(self, run: Run, people: People, first_numbers: dict[date, int]):
        self.run, self.people = run, people
        self.next_number = dict(first_numbers)
        self.prefixes: dict[date, str] = {}
        self.wards = {ward.number: ward for ward in run.wards}
        self.category = WeightedChoice(CATEGORY_WEIGHTS)
        self.priority = {
            category: WeightedChoice(PRIORITY_WEIGHTS.get(category, PRIORITY_WEIGHTS_DEFAULT))
            for category in Category.values
        }

    def tracking_number(self, day: date) -> str:
        """apps.complaints.tracking's format: CC, the Dhaka date, the day's sequence number."""
        number = self.next_number[day]
        self.next_number[day] = number + 1
        prefix = self.prefixes.get(day) or self.prefixes.setdefault(day, f"CC{day:%Y%m%d}")
        return f"{prefix}{number:04d}"

    def make(self, filed: float, day: date) -> tuple[dict, list[dict]]:
        run, rng, people, now = self.run, self.run.rng, self.people, self.run.now_ts
        citizen = people.citizen_before(run, filed)
        ward = self.wards[citizen.ward if run.chance(0.85) else people.ward_choice(rng)]
        category = self.category(rng)
        priority = self.priority[category](rng)
        title = rng.choice(TITLES[category])

        fate = FATES(rng)
        started = filed + run.lognormal(5, 1.0) * HOUR
        fixed = started + run.lognormal(RESOLUTION_MEDIAN_HOURS[priority], 0.9) * HOUR
        cancelled = filed + run.lognormal(10, 1.2) * HOUR
        is_started = fate != NEVER_PICKED_UP and started < now
        events: list[tuple[float, str, str]] = []  # (when, old status, new status)
        if fate == CANCELLED and cancelled < now:
            if is_started and started < cancelled:
                events.append((started, Status.SUBMITTED, Status.IN_PROGRESS))
                events.append((cancelled, Status.IN_PROGRESS, Status.CANCELLED))
            else:
                events.append((cancelled, Status.SUBMITTED, Status.CANCELLED))
        elif is_started:
            events.append((started, Status.SUBMITTED, Status.IN_PROGRESS))
            if fate == FIXED and fixed < now:
                events.append((fixed, Status.IN_PROGRESS, Status.RESOLVED))
        status = events[-1][2] if events else Status.SUBMITTED
        worked = any(new == Status.IN_PROGRESS for _, _, new in events)
        assignee = people.worker_of_ward(run, ward.number) if worked else None

        complaint = {
            "id": run.uuid(),
            "user_id": citizen.id,
            "tracking_number": self.tracking_number(day),
            "title": title,
            "description": f"{title}। {rng.choice(DESCRIPTION_TAILS)}",
            "category": category,
            "priority": priority,
            "status": status,
            "ward_number": ward.number,
            "assigned_to_id": assignee,
            "created_at": aware(filed),
        }
        if run.chance(0.75):
            complaint["location"] = f"রোড {rng.randint(1, 40)}, {ward.name_bn}"
        else:
            complaint["location"] = f"Road {rng.randint(1, 40)}, {ward.name_en}"
        if run.chance(0.85):
            complaint["latitude"] = Decimal(f"{ward.latitude + rng.gauss(0, 0.004):.6f}")
            complaint["longitude"] = Decimal(f"{ward.longitude + rng.gauss(0, 0.004):.6f}")
        last_change = events[-1][0] if events else filed
        if status == Status.RESOLVED:
            complaint["resolved_at"] = aware(fixed)
            rated = fixed + run.lognormal(18, 1.0) * HOUR
            if run.chance(RATING_SHARE) and rated < now:
                rating = _rating(run, filed=filed, resolved=fixed)
                complaint["rating"], complaint["rated_at"] = rating, aware(rated)
                if run.chance(0.5):
                    complaint["feedback"] = rng.choice(FEEDBACK[rating])
                last_change = rated
        complaint["updated_at"] = aware(last_change)

        updates = [
            {
                "id": run.uuid(),
                "complaint_id": complaint["id"],
                # The worker reports the fix; the ward's admin starts and cancels.
                "updated_by_id": (
                    assignee if new == Status.RESOLVED else people.staff_of_ward(run, ward.number)
                ),
                "old_status": old,
                "new_status": new,
                "comment": rng.choice(STAFF_COMMENTS[new]),
                "created_at": aware(when),
            }
            for when, old, new in events
        ]
        return complaint, updates


def complaints_seed(run: Run, people: People, plan: ComplaintPlan, first: dict[date, int]):
    """Insert the planned complaints and their history, ten thousand at a time."""
    maker = _ComplaintMaker(run, people, first)
    run.counts.setdefault("complaints", 0)
    run.counts.setdefault("complaint updates", 0)
    for start in range(0, len(plan.times), CHUNK):
        complaints, updates = [], []
        for filed, day in zip(
            plan.times[start : start + CHUNK], plan.days[start : start + CHUNK], strict=True
        ):
            complaint, history = maker.make(filed, day)
            complaints.append(complaint)
            updates.extend(history)
        run.counts["complaints"] += insert(Complaint, complaints)
        run.counts["complaint updates"] += insert(ComplaintUpdate, updates)
