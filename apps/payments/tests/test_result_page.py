"""The result page shows the outcome the database holds, never the query string's claim."""

from decimal import Decimal

import pytest
from django.utils import timezone

from apps.payments.models import Payment
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


URL = "/api/v1/payments/result/"
RECEIVED = "Payment received"
DID_NOT_GO_THROUGH = "did not go through"


def payment(status: str) -> Payment:
    done = status == "completed"
    return Payment.objects.create(
        completed_at=timezone.now() if done else None,
        gateway_trx_id="TRX1" if done else None,
        user=UserFactory(),
        service_type="trade_licence_fee",
        amount=Decimal("150.00"),
        payment_method="bkash",
        phone_number="+8801711000000",
        transaction_id=f"CCP20261203{status.upper()[:8]:0<12}",
        gateway="bkash",
        status=status,
    )


def test_a_failed_payment_shows_failed_whatever_the_url_claims(client):
    failed = payment("failed")
    page = client.get(URL, {"status": "completed", "reference": failed.transaction_id})
    html = page.content.decode()
    assert page.status_code == 200
    assert DID_NOT_GO_THROUGH in html
    assert RECEIVED not in html
    assert failed.transaction_id in html


def test_a_completed_payment_shows_received(client):
    done = payment("completed")
    html = client.get(URL, {"status": "failed", "reference": done.transaction_id}).content.decode()
    assert RECEIVED in html
    assert DID_NOT_GO_THROUGH not in html


def test_a_claim_without_a_known_payment_shows_not_found(client):
    html = client.get(URL, {"status": "completed", "reference": "CCPNOSUCH"}).content.decode()
    assert "could not find" in html
    assert RECEIVED not in html
    assert "could not find" in client.get(URL, {"status": "completed"}).content.decode()


def test_the_page_names_the_service_and_the_amount(client):
    from apps.payments.models import PayableService

    PayableService.objects.update_or_create(
        code="trade_licence_fee",
        defaults={"name_bn": "ট্রেড লাইসেন্স ফি", "name_en": "Trade licence fee"},
    )
    done = payment("completed")
    html = client.get(URL, {"reference": done.transaction_id}).content.decode()
    assert "Trade licence fee · ৳ 150.00" in html
    assert "trade_licence_fee" not in html
