"""Shared fixtures of the payments tests."""

from decimal import Decimal

import pytest

from apps.payments.models import PayableService, Payment

from .test_flow import come_back, pay, start


@pytest.fixture
def paid(api_as, citizen, api):
    def make(method="bkash", amount="150.00"):
        PayableService.objects.filter(code="waste_collection_fee").update(fixed_fee=Decimal(amount))
        body = start(api_as(citizen), method, amount=amount).json()
        come_back(api, pay(api, body["payment_url"]))
        payment = Payment.objects.get(pk=body["payment_id"])
        assert payment.status == "completed"
        return payment

    return make
