"""A small city for the dashboard tests: complaints across wards, statuses, categories and
ratings with known filing and resolution times; accounts of every type; payments of every status
and method; donations. Every object is kept in lists so tests can work the figures out again."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.complaints.models import Complaint
from apps.complaints.tests.factories import ComplaintFactory
from apps.donations.models import Donation, DonationProject
from apps.payments.models import Payment
from apps.users.models import User
from apps.users.tests.factories import AdminPermissionFactory, UserFactory

from .expected import dhaka_month_start

WASTE, ROADS, WATER = "বর্জ্য ব্যবস্থাপনা", "রাস্তাঘাট", "পানি সরবরাহ"
CLEAN, POWER, OTHER = "পরিচ্ছন্নতা", "বিদ্যুৎ", "অন্যান্য"
SUBMITTED, IN_PROGRESS, RESOLVED, CANCELLED = "জমা দেওয়া হয়েছে", "প্রক্রিয়াধীন", "সমাধান হয়েছে", "বাতিল"

# (ward, category, status, filed this long ago, resolved after, rating)
H, M = timedelta(hours=1), timedelta(minutes=1)
COMPLAINTS = [
    ("1", WASTE, RESOLVED, 72 * H, 10 * H, 5),
    ("1", WASTE, RESOLVED, 50 * H, 4 * H, 4),
    ("1", ROADS, IN_PROGRESS, 30 * H, None, None),
    ("1", WATER, SUBMITTED, 10 * M, None, None),
    ("2", CLEAN, RESOLVED, 100 * H, 20 * H, 3),
    ("2", CLEAN, RESOLVED, 90 * H, 2 * H, None),
    ("2", POWER, CANCELLED, 80 * H, None, None),
    ("2", WASTE, SUBMITTED, 20 * M, None, None),
    ("2", OTHER, IN_PROGRESS, 60 * H, None, 2),  # rated, then reopened: its rating stays
    ("5", WASTE, RESOLVED, 200 * H, 7 * H + 30 * M, 5),
    ("5", ROADS, RESOLVED, 150 * H, 1 * H + 15 * M, 1),
    ("5", ROADS, SUBMITTED, 5 * H, None, None),
    ("5", WATER, SUBMITTED, 30 * M, None, None),
    ("10", WASTE, RESOLVED, 48 * H, 3 * H, 4),  # ties ward 4 on rate and time: "4" ranks first
    ("4", ROADS, RESOLVED, 47 * H, 3 * H, None),
    ("3", CLEAN, RESOLVED, 46 * H, 5 * H, 3),
    ("6", WASTE, SUBMITTED, 3 * H, None, None),
    ("6", POWER, CANCELLED, 4 * H, None, None),
    ("7", WATER, IN_PROGRESS, 6 * H, None, None),
    (None, OTHER, SUBMITTED, 40 * M, None, None),
    (None, CLEAN, RESOLVED, 30 * H, 6 * H, 5),
]


def _complaint(owner, ward, category, status, age, service, rating, now) -> Complaint:
    complaint = ComplaintFactory(
        user=owner, ward_number=ward, category=category, status=status, rating=rating,
        resolved_at=now if status == RESOLVED else None,
    )  # fmt: skip
    created_at = now - age
    resolved_at = created_at + service if service is not None else None
    Complaint.objects.filter(pk=complaint.pk).update(created_at=created_at, resolved_at=resolved_at)
    complaint.created_at, complaint.resolved_at = created_at, resolved_at
    return complaint


def _user(now, created=None, **fields) -> User:
    user = UserFactory(**fields)
    if created is not None:
        User.objects.filter(pk=user.pk).update(created_at=created)
        user.created_at = created
    return user


_references = itertools.count(1)


def _payment(user, service_type, amount, method, status, *, refunded="0", completed=None):
    number = next(_references)
    return Payment.objects.create(
        user=user, service_type=service_type, amount=Decimal(amount), payment_method=method,
        phone_number=user.phone, transaction_id=f"CCPTEST{number:06d}",
        gateway={"nagad": "nagad", "bkash": "bkash"}.get(method, "sslcommerz"),
        status=status, refunded_amount=Decimal(refunded), completed_at=completed,
        gateway_trx_id=f"TRX{number:06d}" if completed else None,
    )  # fmt: skip


def _donation(payment, project, status, now) -> Donation:
    completed = payment.completed_at or (now if status == "completed" else None)
    return Donation.objects.create(
        user=payment.user, project=project, project_name=project.name_bn,
        project_name_en=project.name_en, donor_name=payment.user.name, amount=payment.amount,
        payment_method=payment.payment_method, payment=payment,
        transaction_id=payment.transaction_id, receipt_number=f"CCD-{payment.transaction_id}",
        status=status, completed_at=completed,
    )  # fmt: skip


@pytest.fixture
def city(db):
    now = timezone.now()
    month_start = dhaka_month_start(now)
    super_admin = _user(now, user_type="super_admin", is_staff=True, is_superuser=True)
    ward_admin = _user(now, user_type="admin", name="Wards 1+2 admin")
    AdminPermissionFactory(admin=ward_admin, ward_numbers=["1", "2"], can_update=False)
    AdminPermissionFactory(admin=ward_admin, permission_type="payments", ward_numbers=["1"])
    other_admin = _user(now, user_type="admin", created=now - 40 * 24 * H)
    AdminPermissionFactory(admin=other_admin, ward_numbers=["10"])
    bare_admin = _user(now, user_type="admin", is_verified=False)  # no permission rows at all
    provider = _user(now, user_type="service_provider")
    citizens = {
        "c1": _user(now, ward_number="1"),
        "c2": _user(now, ward_number="1", is_verified=False, created=now - 40 * 24 * H),
        "c3": _user(now, ward_number="2", is_active=False, created=month_start - M),
        "c4": _user(now, ward_number="2", created=month_start + M),
        "c5": _user(now, ward_number="5"),
        "c6": _user(now, ward_number="10", is_verified=False),
        "c7": _user(now),
    }
    owners = itertools.cycle(citizens.values())
    complaints = [_complaint(next(owners), *spec, now) for spec in COMPLAINTS]

    c = citizens
    day = 24 * H
    payments = {
        "fee_paid": _payment(c["c1"], "waste_collection_fee", "150.00", "bkash", "completed",
                             completed=now - 2 * H),
        "tax_part_refund": _payment(c["c1"], "holding_tax", "1000.50", "nagad", "completed",
                                    refunded="200.25", completed=now - 40 * day),
        "licence_refunded": _payment(c["c2"], "trade_licence", "500.00", "rocket", "refunded",
                                     refunded="500.00", completed=now - 10 * day),
        "fee_pending": _payment(c["c4"], "waste_collection_fee", "150.00", "upay", "pending"),
        "tax_processing": _payment(c["c5"], "holding_tax", "2500.00", "bkash", "processing"),
        "fee_failed": _payment(c["c5"], "waste_collection_fee", "150.00", "nagad", "failed"),
        "fee_cancelled": _payment(c["c7"], "waste_collection_fee", "75.25", "bkash", "cancelled"),
        "fee_rocket": _payment(c["c1"], "waste_collection_fee", "150.00", "rocket", "completed",
                               completed=now - 3 * H),
        "gift_a": _payment(c["c5"], "donation", "1000.00", "bkash", "completed",
                           completed=now - day),
        "gift_b_part_refund": _payment(c["c1"], "donation", "500.00", "nagad", "completed",
                                       refunded="100.00", completed=now - 5 * day),
        "gift_a_refunded": _payment(c["c2"], "donation", "300.00", "bkash", "refunded",
                                    refunded="300.00", completed=now - 6 * day),
        "gift_a_open": _payment(c["c4"], "donation", "200.00", "rocket", "processing"),
        "gift_b_failed": _payment(c["c6"], "donation", "50.00", "upay", "failed"),
        "gift_a_no_ward": _payment(c["c7"], "donation", "250.00", "bkash", "completed",
                                   completed=now - 7 * day),
    }  # fmt: skip
    trees = DonationProject.objects.create(slug="trees", name_bn="বৃক্ষরোপণ", name_en="Trees")
    canal = DonationProject.objects.create(slug="canal", name_bn="খাল", name_en="Canal")
    p = payments
    donations = [
        _donation(p["gift_a"], trees, "completed", now),
        _donation(p["gift_b_part_refund"], canal, "completed", now),
        _donation(p["gift_a_refunded"], trees, "refunded", now),
        _donation(p["gift_a_open"], trees, "pending", now),
        _donation(p["gift_b_failed"], canal, "failed", now),
        _donation(p["gift_a_no_ward"], trees, "completed", now),
    ]
    users = [super_admin, ward_admin, other_admin, bare_admin, provider, *citizens.values()]
    return SimpleNamespace(
        now=now,
        super_admin=super_admin,
        ward_admin=ward_admin,
        other_admin=other_admin,
        bare_admin=bare_admin,
        provider=provider,
        citizen=citizens["c1"],
        citizens=citizens,
        users=users,
        complaints=complaints,
        payments=list(payments.values()),
        donations=donations,
        projects=(trees, canal),
    )
