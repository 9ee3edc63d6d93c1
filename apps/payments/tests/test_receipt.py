"""A PDF receipt for every completed fee payment, like donation receipts."""

import pytest

from apps.users.tests.factories import UserFactory

from .test_flow import start

pytestmark = pytest.mark.django_db

PAYMENTS = "/api/v1/payments/"


def test_the_payer_and_staff_download_the_receipt_of_a_completed_payment(
    paid, api_as, citizen, super_admin
):
    payment = paid("bkash", "150.00")
    for person in (citizen, super_admin):
        response = api_as(person).get(f"{PAYMENTS}{payment.pk}/receipt/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert f"receipt-{payment.transaction_id}.pdf" in response["Content-Disposition"]
    assert api_as(citizen).get(f"{PAYMENTS}{payment.pk}/").json()["receipt_available"] is True


def test_nobody_else_sees_it_and_an_open_payment_has_none(paid, api_as, citizen, api):
    payment = paid("nagad", "150.00")
    assert api_as(UserFactory()).get(f"{PAYMENTS}{payment.pk}/receipt/").status_code == 404
    assert api.get(f"{PAYMENTS}{payment.pk}/receipt/").status_code == 401
    open_payment = start(api_as(citizen), "bkash", amount="150.00").json()
    refused = api_as(citizen).get(f"{PAYMENTS}{open_payment['payment_id']}/receipt/")
    assert (refused.status_code, refused.json()["code"]) == (409, "receipt_unavailable")


def test_the_receipt_is_the_same_bytes_until_a_refund_changes_it(
    paid, api_as, citizen, super_admin
):
    payment = paid("bkash", "150.00")
    url = f"{PAYMENTS}{payment.pk}/receipt/"
    first = api_as(citizen).get(url)
    assert api_as(citizen).get(url).content == first.content
    assert api_as(citizen).get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    refunded = api_as(super_admin).post(
        "/api/v1/payments/refund/",
        {"payment_id": str(payment.pk), "reason": "paid twice", "amount": "50.00"},
        format="json",
    )
    assert refunded.status_code == 201, refunded.content
    assert api_as(citizen).get(url).content != first.content
