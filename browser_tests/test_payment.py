"""A citizen pays on each provider's (simulated) page in a real browser and lands on the result."""

from decimal import Decimal

import pytest

from apps.payments.models import PayableService, Payment
from apps.payments.services import payment_process
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("method", ["bkash", "nagad", "upay"])
def test_paying_through_the_hosted_page(page, live_server, settings, artifacts, method):
    settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    PayableService.objects.update_or_create(
        code="holding_tax",
        defaults={"name_bn": "হোল্ডিং ট্যাক্স", "name_en": "Holding tax", "min_amount": Decimal("1")},
    )
    citizen = UserFactory()
    payment = payment_process(
        user=citizen,
        service_type="holding_tax",
        amount=Decimal("1250.00"),
        payment_method=method,
        phone_number="+8801711000005",
    )

    page.goto(payment.redirect_url)
    page.wait_for_selector("button[value=approve]")
    page.screenshot(path=str(artifacts / f"pay-{method}.png"))
    page.click("button[value=approve]")
    page.wait_for_url("**/payments/result/**", timeout=20_000)
    page.wait_for_selector("text=পেমেন্ট পাওয়া গেছে")
    page.screenshot(path=str(artifacts / f"paid-{method}.png"))

    payment.refresh_from_db()
    assert payment.status == "completed"
    assert Payment.objects.filter(status="completed").count() == 1
