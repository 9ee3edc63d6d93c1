"""seed_city on a small city: the rows keep the models' rules, the real tracking counter is
respected, and clearing removes the seed and nothing else."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from apps.complaints.enums import Category, Priority, Status
from apps.complaints.models import Complaint, ComplaintUpdate, TrackingCounter
from apps.complaints.tests.factories import ComplaintFactory
from apps.complaints.tracking import tracking_number_next
from apps.dashboard.management.city_seed import Sizes
from apps.dashboard.management.city_seed.complaints import tracking_blocks_reserve
from apps.donations.models import Donation, DonationProject, DonationStatus
from apps.payments.models import Payment, PaymentStatus, Refund
from apps.users.models import AdminPermission, User, UserType
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCALE = 0.001  # 50 users, 200 complaints, 100 payments, 10 donations
NOW = datetime(2026, 3, 15, 9, 30, tzinfo=UTC)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_city", "--scale", str(SCALE), "--now", NOW.isoformat(), *args, stdout=out)
    return out.getvalue()


def test_seeds_the_asked_sizes_with_stored_values_from_the_model_choices():
    seed()

    sizes = Sizes.for_scale(SCALE)
    users = User.objects.filter(phone__startswith="+88012")
    assert users.count() == User.objects.count() == sizes.users
    assert {t: users.filter(user_type=t).count() for t in UserType.values} == {
        UserType.SUPER_ADMIN: sizes.super_admins,
        UserType.ADMIN: sizes.ward_admins,
        UserType.SERVICE_PROVIDER: sizes.providers,
        UserType.CITIZEN: sizes.citizens,
    }
    assert not any(user.has_usable_password() for user in users)
    assert Complaint.objects.count() == sizes.complaints
    assert set(Complaint.objects.values_list("status", flat=True)) <= set(Status.values)
    assert set(Complaint.objects.values_list("category", flat=True)) == set(Category.values)
    assert set(Complaint.objects.values_list("priority", flat=True)) == set(Priority.values)
    fee_payments = Payment.objects.exclude(service_type="donation")
    assert fee_payments.count() == sizes.payments
    assert Donation.objects.count() == Payment.objects.count() - sizes.payments == sizes.donations
    assert DonationProject.objects.filter(slug__startswith="seed-").count() == 4
    # Each ward admin may read complaints and payments of their wards.
    assert AdminPermission.objects.filter(permission_type="complaints").count() == (
        sizes.ward_admins
    )


def test_complaints_live_in_order_within_the_two_years():
    seed()

    complaints = Complaint.objects.all()
    assert not complaints.filter(created_at__gt=NOW).exists()
    assert not complaints.filter(created_at__lt=NOW - timedelta(days=731)).exists()
    resolved = complaints.filter(status=Status.RESOLVED)
    assert resolved.exists()
    assert not resolved.filter(resolved_at__lte=F("created_at")).exists()
    assert not complaints.exclude(status=Status.RESOLVED).filter(resolved_at__isnull=False).exists()
    rated = complaints.filter(rating__isnull=False)
    assert rated.exists()
    assert not rated.exclude(status=Status.RESOLVED).exists()
    assert not rated.filter(rated_at__lte=F("resolved_at")).exists()
    assert not complaints.filter(updated_at__lt=F("created_at")).exists()
    assert not ComplaintUpdate.objects.filter(created_at__lt=F("complaint__created_at")).exists()
    assert not ComplaintUpdate.objects.filter(created_at__gt=NOW).exists()
    # Whoever works on a complaint is staff.
    workers = set(
        complaints.exclude(assigned_to=None).values_list("assigned_to__user_type", flat=True)
    )
    assert workers <= {UserType.ADMIN, UserType.SERVICE_PROVIDER, UserType.SUPER_ADMIN}


def test_tracking_numbers_have_the_real_format_and_the_counter_moves_past_them():
    seed()

    dhaka = timezone.get_default_timezone()
    for number, created in Complaint.objects.values_list("tracking_number", "created_at"):
        assert re.fullmatch(r"CC\d{8}\d{4,}", number)
        assert number[2:10] == f"{created.astimezone(dhaka):%Y%m%d}"
    for counter in TrackingCounter.objects.all():
        seeded = Complaint.objects.filter(tracking_number__startswith=f"CC{counter.day:%Y%m%d}")
        assert counter.last_number == seeded.count()


def test_reserving_continues_after_numbers_already_given():
    today = timezone.localdate()
    TrackingCounter.objects.create(day=today, last_number=5)

    first = tracking_blocks_reserve({today: 3})

    assert first == {today: 6}  # the seed takes 6, 7 and 8 …
    assert tracking_number_next() == f"CC{today:%Y%m%d}0009"  # … and the real counter goes on


def test_payments_and_donations_keep_the_payment_rules():
    seed()

    completed = Payment.objects.filter(status=PaymentStatus.COMPLETED)
    assert completed.exists()
    assert not completed.filter(completed_at__isnull=True).exists()
    assert not Payment.objects.filter(refunded_amount__gt=F("amount")).exists()
    refunded = Payment.objects.filter(status=PaymentStatus.REFUNDED)
    assert not refunded.exclude(refunded_amount=F("amount")).exists()
    for payment in Payment.objects.all():
        assert payment.gateway == settings.PAYMENT_METHOD_GATEWAYS[payment.payment_method]
        assert re.fullmatch(r"CCP\d{8}Z\d{11}", payment.transaction_id)
        assert payment.amount > Decimal("0")
    assert not Refund.objects.exclude(payment__status__in=PaymentStatus.values).exists()
    follows = {
        PaymentStatus.COMPLETED: DonationStatus.COMPLETED,
        PaymentStatus.FAILED: DonationStatus.FAILED,
        PaymentStatus.CANCELLED: DonationStatus.FAILED,
        PaymentStatus.REFUNDED: DonationStatus.REFUNDED,
        PaymentStatus.PENDING: DonationStatus.PENDING,
        PaymentStatus.PROCESSING: DonationStatus.PENDING,
    }
    for donation in Donation.objects.select_related("payment"):
        assert donation.status == follows[donation.payment.status]
        assert donation.transaction_id == donation.payment.transaction_id
        assert donation.amount == donation.payment.amount
        assert re.fullmatch(r"CCD-\d{8}-Z\d{9}", donation.receipt_number)


def test_the_same_seed_and_moment_give_the_same_rows():
    def snapshot():
        return sorted(Complaint.objects.values_list("id", "status", "created_at", "rating"))

    seed("--seed", "7")
    first = snapshot()
    seed("--seed", "7", "--reset")

    assert snapshot() == first


def test_clear_removes_the_seed_and_nothing_else():
    citizen = UserFactory()
    real = ComplaintFactory(user=citizen)
    counter = TrackingCounter.objects.get()
    seed()

    out = StringIO()
    call_command("seed_city", "--clear", stdout=out)

    assert "Cleared" in out.getvalue()
    assert list(User.objects.all()) == [citizen]
    assert list(Complaint.objects.all()) == [real]
    assert not Payment.objects.exists()
    assert not DonationProject.objects.filter(slug__startswith="seed-").exists()
    counter.refresh_from_db()
    assert TrackingCounter.objects.get(day=counter.day).last_number >= counter.last_number


def test_a_second_seed_is_refused_without_reset():
    seed()

    with pytest.raises(CommandError, match="already here"):
        seed()
    assert Complaint.objects.count() == Sizes.for_scale(SCALE).complaints


def test_refused_where_the_sandbox_is_off_unless_forced(settings):
    settings.SANDBOX_ENABLED = False

    with pytest.raises(CommandError, match="production"):
        seed()
    assert not User.objects.exists()

    seed("--force")
    assert User.objects.count() == Sizes.for_scale(SCALE).users
