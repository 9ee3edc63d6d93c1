"""Seeded money: fee payments (every payable method and every status, mostly completed), their
refunds, and donations to the seed's own donation projects, each riding on its payment.

Open (pending/processing) payments are only seeded within the last day, as the reconciler leaves
them, and carry no provider reference: the reconciler later expires them without calling any
payment provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from apps.donations.models import Donation, DonationProject, DonationStatus
from apps.payments.models import Payment, PaymentStatus, Refund, RefundStatus

from .base import SEED_PROJECT_PREFIX, SEED_REFERENCE_MARK, Run, WeightedChoice, aware, insert
from .base import money as amount_of
from .content import (
    DONATION_MESSAGES,
    DONATION_PROJECT_WEIGHTS,
    DONATION_PROJECTS,
    FAILURE_REASONS,
    METHOD_WEIGHTS,
    REFUND_REASONS,
    SERVICES,
)
from .people import Citizen, People

DAY = 86400.0
CHUNK = 10_000  # rows held before they are written
FINAL_STATUSES = WeightedChoice(
    {
        PaymentStatus.COMPLETED: 88,
        PaymentStatus.FAILED: 5,
        PaymentStatus.CANCELLED: 5,
        PaymentStatus.REFUNDED: 2,
    }
)
DONATION_FOLLOWS = {
    PaymentStatus.PENDING: DonationStatus.PENDING,
    PaymentStatus.PROCESSING: DonationStatus.PENDING,
    PaymentStatus.COMPLETED: DonationStatus.COMPLETED,
    PaymentStatus.FAILED: DonationStatus.FAILED,
    PaymentStatus.CANCELLED: DonationStatus.FAILED,
    PaymentStatus.REFUNDED: DonationStatus.REFUNDED,
}
DONATION_PURPOSE = "donation"  # apps.donations.services.PURPOSE


@dataclass
class _Money:
    run: Run
    people: People
    serial: int = 0

    def __post_init__(self):
        self.method = WeightedChoice(METHOD_WEIGHTS)
        self.dhaka = timezone.get_default_timezone()
        self.payments: list[dict] = []
        self.refunds: list[dict] = []
        self.donations: list[dict] = []
        for label in ("payments", "refunds", "donations"):
            self.run.counts.setdefault(label, 0)

    def flush(self, *, unless_below: int = 0) -> None:
        """Write what is held (payments first: donations and refunds point at them)."""
        if len(self.payments) < unless_below:
            return
        for model, label in ((Payment, "payments"), (Refund, "refunds"), (Donation, "donations")):
            rows = getattr(self, label)
            self.run.counts[label] += insert(model, rows)
            rows.clear()

    def day(self, ts: float) -> date:
        return aware(ts).astimezone(self.dhaka).date()

    def payment(self, *, citizen: Citizen, ts: float, service_type: str, amount: Decimal) -> dict:
        """A payment as the payment services leave it at ``now`` (kept, with its refund if any)."""
        run, rng, now = self.run, self.run.rng, self.run.now_ts
        self.serial += 1
        method = self.method(rng)
        created = aware(ts)
        payment = {
            "id": run.uuid(),
            "user_id": citizen.id,
            "service_type": service_type,
            "amount": amount,
            "payment_method": method,
            "phone_number": citizen.phone,
            "transaction_id": (f"CCP{self.day(ts):%Y%m%d}{SEED_REFERENCE_MARK}{self.serial:011d}"),
            "gateway": settings.PAYMENT_METHOD_GATEWAYS[method],
            "created_at": created,
            "updated_at": created,
        }
        self.payments.append(payment)
        age = now - ts
        if age < DAY and run.chance(0.3 if age < 3600 else 0.03):
            payment["status"] = rng.choice((PaymentStatus.PENDING, PaymentStatus.PROCESSING))
            return payment
        status = payment["status"] = FINAL_STATUSES(rng)
        payment["gateway_transaction_id"] = f"SEED{self.serial:012d}"
        settled = min(now, ts + rng.uniform(20, 300))
        payment["updated_at"] = aware(settled)
        if status == PaymentStatus.FAILED:
            payment["failure_reason"] = rng.choice(FAILURE_REASONS)
        elif status == PaymentStatus.CANCELLED:
            payment["failure_reason"] = "Cancelled by the payer"
        else:
            payment["gateway_trx_id"] = f"SEEDTRX{self.serial:012d}"
            payment["completed_at"] = aware(settled)
            self._maybe_refund(payment, citizen, settled)
        return payment

    def _maybe_refund(self, payment: dict, citizen: Citizen, paid: float) -> None:
        """A refunded payment gets its completed refund; a few completed ones a partial refund
        or a rejected request."""
        run, rng, now = self.run, self.run.rng, self.run.now_ts
        full = payment["status"] == PaymentStatus.REFUNDED
        roll = rng.random()
        if not full and roll >= 0.015:
            return
        asked = paid + run.lognormal(2, 1.0) * DAY
        decided = asked + run.lognormal(20, 0.8) * 3600
        if decided >= now:  # not asked for or not decided yet: still simply completed
            payment["status"] = PaymentStatus.COMPLETED
            return
        rejected = not full and roll < 0.005
        if full:
            amount = payment["amount"]
        else:
            share = Decimal(rng.choice(("0.25", "0.5")))
            amount = (payment["amount"] * share).quantize(Decimal("0.01"))
        refund = {
            "id": run.uuid(),
            "payment_id": payment["id"],
            "requested_by_id": citizen.id,
            "decided_by_id": rng.choice(self.people.super_admins),
            "amount": amount,
            "reason": rng.choice(REFUND_REASONS),
            "status": RefundStatus.REJECTED if rejected else RefundStatus.COMPLETED,
            "created_at": aware(asked),
            "updated_at": aware(decided),
        }
        if rejected:
            refund["failure_reason"] = "Not eligible: the service was delivered"
        else:
            refund["provider_refund_id"] = f"SEEDRF{self.serial:012d}"
            refund["completed_at"] = aware(decided)
            payment["refunded_amount"] = amount
            payment["updated_at"] = aware(decided)
        self.refunds.append(refund)


def _projects(run: Run) -> list[dict]:
    launch = aware(run.start_ts)
    closed_on = (run.now - timedelta(days=365)).date()
    projects = [
        {
            "id": run.uuid(),
            "slug": f"{SEED_PROJECT_PREFIX}{slug}",
            "name_bn": name_bn,
            "name_en": name_en,
            "description_bn": f"{name_bn}: নগরবাসীর সহযোগিতায়।",
            "description_en": f"{name_en}, with the help of the city's people.",
            "goal_amount": goal,
            "is_active": active,
            "ends_on": None if active else closed_on,
            "sort_order": 100 + order,
            "created_at": launch,
            "updated_at": launch,
        }
        for order, (slug, name_bn, name_en, goal, active) in enumerate(DONATION_PROJECTS)
    ]
    run.counts["donation projects"] = insert(DonationProject, projects)
    return projects


def money_seed(run: Run, people: People) -> None:
    """Fee payments for the city's payable services, then donations on the seed's projects (a
    closed project only got gifts before it closed); refunds of both."""
    maker = _Money(run, people)
    service = WeightedChoice({code: spec[0] for code, spec in SERVICES.items()})
    for ts in run.times(run.sizes.payments, start=run.start_ts):
        code = service(run.rng)
        _, low, median, high = SERVICES[code]
        amount = amount_of(run.lognormal(median, 0.6), low=low, high=high)
        citizen = people.citizen_before(run, ts)
        maker.payment(citizen=citizen, ts=ts, service_type=code, amount=amount)
        maker.flush(unless_below=CHUNK)

    projects = _projects(run)
    choose = WeightedChoice(list(zip(projects, DONATION_PROJECT_WEIGHTS, strict=True)))
    for ts in run.times(run.sizes.donations, start=run.start_ts):
        project = choose(run.rng)
        while project["ends_on"] and maker.day(ts) > project["ends_on"]:
            project = choose(run.rng)
        citizen = people.citizen_before(run, ts)
        amount = amount_of(run.lognormal(500, 1.1), low=Decimal("10"), high=Decimal("200000"))
        payment = maker.payment(
            citizen=citizen, ts=ts, service_type=DONATION_PURPOSE, amount=amount
        )
        maker.donations.append(
            {
                "id": run.uuid(),
                "user_id": citizen.id,
                "project_id": project["id"],
                "project_name": project["name_bn"],
                "project_name_en": project["name_en"],
                "donor_name": citizen.name,
                "amount": amount,
                "payment_method": payment["payment_method"],
                "payment_id": payment["id"],
                "transaction_id": payment["transaction_id"],
                "receipt_number": (
                    f"CCD-{maker.day(ts):%Y%m%d}-{SEED_REFERENCE_MARK}{maker.serial:09d}"
                ),
                "status": DONATION_FOLLOWS[payment["status"]],
                "message": run.rng.choice(DONATION_MESSAGES) if run.chance(0.2) else None,
                "created_at": payment["created_at"],
                "completed_at": payment.get("completed_at"),
            }
        )
        maker.flush(unless_below=CHUNK)
    maker.flush()
