"""GET /payments/services/: the fee catalogue anyone can read, in their language."""

from decimal import Decimal

import pytest

from apps.payments.models import PayableService

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/services/"


def test_anyone_sees_the_active_services_in_order(api):
    PayableService.objects.filter(code="market_shop_rent").update(is_active=False)
    PayableService.objects.filter(code="waste_collection_fee").update(fixed_fee=Decimal("150.00"))

    response = api.get(URL)

    assert response.status_code == 200
    rows = response.json()
    codes = [row["code"] for row in rows]
    assert codes[0] == "waste_collection_fee"
    assert "market_shop_rent" not in codes
    assert rows[0]["fixed_fee"] == "150.00"
    assert rows[0]["name"] == "বর্জ্য সংগ্রহ ফি"
    assert set(rows[0]) == {"code", "name", "name_bn", "name_en", "description", "fixed_fee",
                            "min_amount", "max_amount"}  # fmt: skip


def test_names_follow_the_request_language(api):
    rows = api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert rows[0]["name"] == "Waste collection fee"


def test_the_seed_invents_no_prices():
    assert not PayableService.objects.exclude(fixed_fee=None).exists()
