"""PostgreSQL-only: two callbacks racing for one payment complete it once."""

from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.payments.models import PayableService, Payment, PaymentLog
from apps.users.tests.factories import UserFactory
from core.testing import in_threads

from .test_flow import come_back, local, pay

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_callbacks_complete_one_payment_once(wards):
    assert connection.vendor == "postgresql"
    # Transactional tests flush tables, the migration-seeded catalogue included.
    PayableService.objects.update_or_create(
        code="waste_collection_fee",
        defaults={"name_bn": "বর্জ্য সংগ্রহ ফি", "name_en": "Waste collection fee",
                  "fixed_fee": Decimal("150.00")},
    )  # fmt: skip
    citizen = UserFactory()
    client = APIClient()
    from apps.authentication.services import tokens_for_user

    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for_user(citizen)['access']}")
    body = client.post(
        "/api/v1/payments/process/",
        {"service_type": "waste_collection_fee", "amount": "150.00", "payment_method": "bkash",
         "phone_number": "01711000005"},
        format="json",
    ).json()  # fmt: skip
    assert "payment_url" in body, body
    way_back = pay(APIClient(), body["payment_url"])

    results = in_threads(2, lambda: come_back(APIClient(), way_back).status_code)

    assert results == [302, 302]
    payment = Payment.objects.get()
    assert payment.status == "completed"
    assert PaymentLog.objects.filter(payment=payment, event="settled").count() == 1
    assert local(body["payment_url"])
