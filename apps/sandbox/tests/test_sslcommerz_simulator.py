"""The SSLCommerz simulator speaks §3's wire contract: paths, field names, always HTTP 200."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from apps.payments.gateways.sslcommerz import ipn_signature_valid
from apps.sandbox.models import SandboxPayment
from apps.sandbox.providers.sslcommerz import api as simulator
from apps.sandbox.transport import SandboxTransport

pytestmark = pytest.mark.django_db

PREFIX = "/sandbox/sslcommerz"
SESSION = f"{PREFIX}/gwprocess/v4/api.php"
VALIDATION = f"{PREFIX}/validator/api/validationserverAPI.php"
QUERY = f"{PREFIX}/validator/api/merchantTransIDvalidationAPI.php"
CREDS = {"store_id": "cleancaresandbox", "store_passwd": "sandbox-store-password"}


def session_form(**overrides) -> dict:
    form = {
        **CREDS,
        "total_amount": "120.00",
        "currency": "BDT",
        "tran_id": "DON-000001",
        "success_url": "https://app.example/r?sslcz=success",
        "fail_url": "https://app.example/r?sslcz=fail",
        "cancel_url": "https://app.example/r?sslcz=cancel",
        "ipn_url": "https://app.example/ipn",
        "cus_name": "Customer",
        "cus_email": "c@example.com",
        "cus_add1": "Dhaka",
        "cus_city": "Dhaka",
        "cus_postcode": "1000",
        "cus_country": "Bangladesh",
        "cus_phone": "+8801711000000",
        "product_name": "Donation",
        "product_category": "donation",
        "product_profile": "non-physical-goods",
        "shipping_method": "NO",
        "num_of_item": "1",
        "multi_card_name": "upay",
    }
    return {**form, **overrides}


def init(client, **overrides) -> dict:
    response = client.post(SESSION, session_form(**overrides))
    assert response.status_code == 200
    return response.json()


def test_session_init_answers_the_documented_shape(client):
    body = init(client)

    payment = SandboxPayment.objects.get()
    assert body["status"] == "SUCCESS"
    assert set(body) >= {
        "status",
        "failedreason",
        "sessionkey",
        "gw",
        "redirectGatewayURL",
        "GatewayPageURL",
        "desc",
        "is_direct_pay_enable",
    }
    assert body["GatewayPageURL"] == f"http://testserver{PREFIX}/pay/{body['sessionkey']}/"
    assert (payment.provider, payment.provider_ref) == ("sslcommerz", body["sessionkey"])
    assert (payment.our_reference, payment.state, payment.data["method"]) == (
        "DON-000001",
        "PENDING",
        "upay",
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"store_passwd": "nope"}, "Store Credential Error Or Store is De-active"),
        ({"cus_phone": ""}, "cus_phone is missing"),
        ({"total_amount": "9.99"}, "10.00 to 500000.00"),
        ({"total_amount": "12.345"}, "10.00 to 500000.00"),
        ({"currency": "USD"}, "currency"),
        ({"tran_id": "x" * 31}, "tran_id"),
    ],
)
def test_session_init_refusals_are_http_200_failed(client, overrides, reason):
    body = init(client, **overrides)

    assert body["status"] == "FAILED"
    assert reason in body["failedreason"]
    assert not SandboxPayment.objects.exists()


def test_hosted_page_shows_the_payment_in_bengali_and_english(client):
    key = init(client, multi_card_name="dbblmobilebanking")["sessionkey"]

    html = client.get(f"{PREFIX}/pay/{key}/").content.decode()

    assert "Clean Care Bangladesh" in html
    assert "120.00" in html
    assert "Rocket" in html
    assert "অনুমোদন করুন / Approve" in html
    assert html.count('name="action"') == 3
    assert client.get(f"{PREFIX}/pay/NOSUCHKEY/").status_code == 404


def test_approve_posts_back_a_signed_callback_once(client):
    key = init(client)["sessionkey"]
    assert client.post(f"{PREFIX}/pay/{key}/", {"action": "pay"}).status_code == 400

    first = client.post(f"{PREFIX}/pay/{key}/", {"action": "approve"}).content.decode()
    again = client.post(f"{PREFIX}/pay/{key}/", {"action": "cancel"}).content.decode()

    payment = SandboxPayment.objects.get()
    assert 'action="https://app.example/r?sslcz=success"' in first
    assert "sandbox/autosubmit.js" in first
    assert f'name="val_id" value="{payment.data["val_id"]}"' in first
    assert first == again  # decided once; a second POST replays the same answer
    assert payment.state == "VALID"
    ipn = payment.data["ipn"]
    assert ipn["card_type"] == "UPAY-Upay"
    assert ipn["bank_tran_id"] == payment.trx_id
    assert ipn_signature_valid(ipn, store_password=CREDS["store_passwd"])
    assert ipn["verify_sign_sha2"] == hashlib.sha256(ipn["verify_sign"].encode()).hexdigest()


def test_ipn_only_knob_does_not_send_the_browser_back(client):
    key = init(client, total_amount="120.04")["sessionkey"]

    html = client.post(f"{PREFIX}/pay/{key}/", {"action": "approve"}).content.decode()
    notice = client.get(f"{PREFIX}/ipn/{key}/").json()

    assert "<form" not in html
    assert "close this window" in html
    assert notice["deliver"] == "only"
    assert notice["ipn"]["status"] == "VALID"


def test_ipn_endpoint_before_and_unknown(client):
    key = init(client)["sessionkey"]

    assert client.get(f"{PREFIX}/ipn/{key}/").json()["ipn"] is None
    assert client.get(f"{PREFIX}/ipn/NOSUCHKEY/").status_code == 404


def test_validation_says_valid_then_validated_and_refuses_strangers(client):
    key = init(client)["sessionkey"]
    client.post(f"{PREFIX}/pay/{key}/", {"action": "approve"})
    val_id = SandboxPayment.objects.get().data["val_id"]

    first = client.get(VALIDATION, {"val_id": val_id, **CREDS, "v": 1, "format": "json"}).json()
    second = client.get(VALIDATION, {"val_id": val_id, **CREDS}).json()
    stranger = client.get(VALIDATION, {"val_id": "made-up", **CREDS}).json()
    wrong_store = client.get(VALIDATION, {"val_id": val_id, **CREDS, "store_passwd": "x"}).json()

    assert (first["status"], second["status"]) == ("VALID", "VALIDATED")
    assert first["amount"] == "120.00"
    assert first["tran_id"] == "DON-000001"
    assert first["APIConnect"] == "DONE"
    assert "store_passwd" not in first
    assert stranger == {"status": "INVALID_TRANSACTION", "APIConnect": "DONE"}
    assert wrong_store["APIConnect"] == "INVALID_REQUEST"


def test_query_by_tran_id_and_by_session(client):
    key = init(client)["sessionkey"]

    by_tran = client.get(QUERY, {"tran_id": "DON-000001", **CREDS}).json()
    by_session = client.get(QUERY, {"sessionkey": key, **CREDS}).json()
    unknown = client.get(QUERY, {"tran_id": "NOPE", **CREDS}).json()

    assert by_tran["APIConnect"] == "DONE"
    assert by_tran["no_of_trans_found"] == 1
    assert by_tran["element"][0]["status"] == "PENDING"
    assert (by_session["status"], by_session["sessionkey"]) == ("PENDING", key)
    assert unknown["no_of_trans_found"] == 0
    assert unknown["element"][0]["status"] == "INVALID"
    assert client.get(QUERY, {"tran_id": "x"}).json()["APIConnect"] == "INVALID_REQUEST"


def test_refund_of_an_unpaid_payment_is_refused(client):
    init(client)

    body = client.get(
        QUERY,
        {"bank_tran_id": "nope", "refund_amount": "10.00", "refund_trans_id": "R1", **CREDS},
    ).json()

    assert body["status"] == "failed"
    assert body["errorReason"] == "Invalid bank_tran_id"


def test_in_process_transport_reaches_the_same_api():
    with httpx.Client(transport=SandboxTransport()) as http:
        body = http.post(
            f"http://sandbox.invalid{SESSION}", data=session_form(tran_id="DON-IN")
        ).json()

    assert body["status"] == "SUCCESS"
    assert body["GatewayPageURL"].startswith("http://127.0.0.1:8000/sandbox/sslcommerz/pay/")
    assert simulator.payment_for(body["sessionkey"]).our_reference == "DON-IN"


BAD_AMOUNTS = [
    "NaN",
    "sNaN",
    "-NaN",
    "Infinity",
    "-Infinity",
    "1E+100000",
    "12345678901.00",
    "10.001",
]


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_session_init_refuses_non_finite_or_oversized_amounts(client, amount):
    response = client.post(SESSION, session_form(total_amount=amount))
    assert response.status_code == 200
    assert response.json()["status"] == "FAILED"
    assert "total_amount" in response.json()["failedreason"]  # not a number, or out of range


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_refund_refuses_non_finite_or_oversized_amounts(client, amount):
    SandboxPayment.objects.create(
        provider="sslcommerz",
        provider_ref="S1",
        our_reference="DON-1",
        amount="100.00",
        state="VALID",
        trx_id="BANK1",
    )
    response = client.get(
        QUERY,
        {"bank_tran_id": "BANK1", "refund_amount": amount, "refund_trans_id": "R1", **CREDS},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "failed"
    assert response.json()["errorReason"] == "Invalid refund_amount"


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe\xfa", b"store_id=\xc3\x28&total_amount=10", b"tran_id=\x80" + b"a" * 10],
)
def test_session_init_with_a_body_that_is_not_utf8_is_not_a_500(client, body):
    response = client.post(SESSION, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response.json()["status"] == "FAILED"
