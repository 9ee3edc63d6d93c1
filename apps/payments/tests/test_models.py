"""The database itself refuses impossible payments (the services add the rules around them)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.payments.models import Payment, PaymentLog
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def payment(**fields):
    defaults = {
        "user": UserFactory(),
        "service_type": "waste_collection_fee",
        "amount": Decimal("150.00"),
        "payment_method": "bkash",
        "phone_number": "+8801711000001",
        "transaction_id": f"PAY-{timezone.now().timestamp()}-{Payment.objects.count()}",
        "gateway": "bkash",
    }
    return Payment.objects.create(**{**defaults, **fields})


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": Decimal("0.00")},
        {"amount": Decimal("-5.00")},
        {"payment_method": "cash"},
        {"status": "paid"},
        {"refunded_amount": Decimal("150.01")},
        {"status": "completed"},  # completed needs completed_at
    ],
)
def test_impossible_payments_are_refused_by_the_database(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        payment(**fields)
    assert not Payment.objects.exists()


def test_one_provider_transaction_completes_one_payment():
    payment(gateway_trx_id="CK250NROQ5", status="completed", completed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        payment(gateway_trx_id="CK250NROQ5", status="completed", completed_at=timezone.now())


def test_the_payment_log_is_append_only():
    entry = PaymentLog.objects.create(payment=payment(), event="created", to_status="pending")
    entry.event = "edited"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
