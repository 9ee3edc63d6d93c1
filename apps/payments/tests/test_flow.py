"""The payment flow end to end against the simulators: start, pay on the provider's page, come
back, settle once — and the attacks a callback can try."""

import re
from decimal import Decimal
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.payments.models import PayableService, Payment, PaymentLog
from apps.payments.services import payments_reconcile
from apps.sandbox.models import SandboxSms
from apps.users.tests.factories import UserFactory
from core.testing import page_queries

pytestmark = pytest.mark.django_db

PROCESS = "/api/v1/payments/process/"


@pytest.fixture(autouse=True)
def _fee(settings):
    PayableService.objects.filter(code="waste_collection_fee").update(fixed_fee=Decimal("150.00"))


def start(client, method, amount="150.00", **headers):
    body = {"service_type": "waste_collection_fee", "amount": amount, "payment_method": method,
            "phone_number": "01711000005"}  # fmt: skip
    return client.post(PROCESS, body, format="json", **headers)


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def pay(api, payment_url: str, action: str = "approve"):
    """The customer on the provider's page; returns the browser's way back to us."""
    page = api.get(local(payment_url))
    assert page.status_code == 200
    answer = api.post(local(payment_url), {"action": action})
    if answer.status_code in (301, 302):
        return ("GET", local(answer["Location"]), {})
    html = answer.content.decode()  # SSLCommerz returns by an auto-submitted form POST
    target = unescape(re.search(r'action="([^"]+)"', html).group(1))
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    return ("POST", local(target), {k: unescape(v) for k, v in fields.items()})


def come_back(api, way):
    method, path, data = way
    if method == "GET":
        return api.get(path)
    return api.post(path, data)


@pytest.mark.parametrize("method", ["bkash", "nagad", "rocket", "upay"])
def test_a_payment_completes_once_through_every_provider(api_as, citizen, api, method):
    started = start(api_as(citizen), method)
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["status"] == "processing"
    assert ("bkash_url" in body) is (method == "bkash")

    way_back = pay(api, body["payment_url"])
    landed = come_back(api, way_back)

    assert landed.status_code == 302
    assert "status=completed" in landed["Location"]
    payment = Payment.objects.get()
    assert payment.status == "completed"
    assert payment.gateway_trx_id
    assert payment.completed_at is not None
    replay = come_back(api, way_back)  # the same callback again: nothing more happens
    assert "status=completed" in replay["Location"]
    assert PaymentLog.objects.filter(payment=payment, event="settled").count() == 1
    assert SandboxSms.objects.filter(text__contains=payment.transaction_id).count() == 1


@pytest.mark.parametrize("method", ["bkash", "nagad", "rocket"])
@pytest.mark.parametrize("action", ["decline", "cancel"])
def test_declined_or_cancelled_payments_do_not_complete(api_as, citizen, api, method, action):
    body = start(api_as(citizen), method).json()
    landed = come_back(api, pay(api, body["payment_url"], action))
    assert landed.status_code == 302
    payment = Payment.objects.get()
    assert payment.status in ("failed", "cancelled", "processing")
    assert payment.status != "completed"
    assert payment.gateway_trx_id is None


def test_a_forged_success_callback_completes_nothing(api_as, citizen, api):
    body = start(api_as(citizen), "bkash").json()
    payment = Payment.objects.get()
    forged = api.get(
        "/api/v1/payments/bkash/callback/",
        {"paymentID": payment.gateway_transaction_id, "status": "success", "signature": "x"},
    )
    assert forged.status_code == 302
    payment.refresh_from_db()
    assert payment.status == "processing"  # bKash never saw the customer approve
    assert body["payment_id"] == str(payment.pk)


def test_a_callback_for_a_reference_we_never_created_changes_nothing(api):
    response = api.get(
        "/api/v1/payments/callback/bkash/", {"paymentID": "TR00FAKE", "status": "success"}
    )
    assert response.status_code == 302
    assert "status=not_found" in response["Location"]
    assert not Payment.objects.exists()


def test_an_ipn_with_a_bad_signature_is_refused(api_as, citizen, api):
    start(api_as(citizen), "rocket")
    payment = Payment.objects.get()
    response = api.post(
        "/api/v1/payments/ipn/sslcommerz/",
        {"tran_id": payment.transaction_id, "val_id": "x", "status": "VALID", "verify_sign": "bad",
         "verify_key": "tran_id,val_id,status"},
    )  # fmt: skip
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == "processing"


def test_wrong_amounts_and_services_are_refused_with_nothing_created(api_as, citizen):
    client = api_as(citizen)
    assert start(client, "bkash", amount="149.00").status_code == 400  # fixed fee 150
    assert start(client, "bkash", amount="0").status_code == 400
    bad = client.post(PROCESS, {"service_type": "nope", "amount": "10", "payment_method": "bkash",
                                "phone_number": "01711000005"}, format="json")  # fmt: skip
    assert bad.status_code == 400
    assert start(client, "card").status_code == 400
    assert not Payment.objects.exists()


def test_staff_cannot_start_payments_and_strangers_cannot_read_them(api_as, citizen, api):
    assert start(api_as(UserFactory(user_type="admin")), "bkash").status_code == 403
    body = start(api_as(citizen), "bkash").json()
    other = api_as(UserFactory())
    assert other.get(f"/api/v1/payments/{body['payment_id']}/").status_code == 404
    assert other.get("/api/v1/payments/").json()["count"] == 0
    mine = api_as(citizen).get("/api/v1/payments/history/").json()
    assert mine["count"] == 1
    assert "gateway_response" not in mine["results"][0]
    assert api.get(f"/api/v1/payments/{body['payment_id']}/").status_code == 401


def test_a_retried_process_with_the_same_key_opens_one_payment(api_as, citizen):
    client = api_as(citizen)
    first = start(client, "nagad", HTTP_IDEMPOTENCY_KEY="pay-1")
    again = start(client, "nagad", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.json() == again.json()
    assert Payment.objects.count() == 1


def test_verify_asks_the_provider_again(api_as, citizen, api):
    body = start(api_as(citizen), "nagad").json()
    pay(api, body["payment_url"])  # approved at Nagad, but the browser never came back
    verified = api_as(citizen).post(
        "/api/v1/payments/verify/", {"payment_id": body["payment_id"]}, format="json"
    )
    assert verified.status_code == 200
    assert verified.json()["status"] == "completed"


def test_the_reconciler_settles_abandoned_payments(api_as, citizen, api):
    body = start(api_as(citizen), "bkash").json()
    stale = timezone.now() - timezone.timedelta(hours=25)
    Payment.objects.filter(pk=body["payment_id"]).update(created_at=stale)
    assert payments_reconcile() == 1
    payment = Payment.objects.get()
    assert payment.status == "cancelled"
    assert payments_reconcile() == 0  # idempotent


def test_no_secret_reaches_logs_records_or_answers(api_as, citizen, api, settings, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    secrets = [
        settings.BKASH_APP_SECRET,
        settings.BKASH_PASSWORD,
        settings.SSLCOMMERZ_STORE_PASSWORD,
    ]
    for method in ("bkash", "nagad", "upay"):
        body = start(api_as(citizen), method).json()
        come_back(api, pay(api, body["payment_url"]))
    stored = " ".join(str(p.gateway_response) for p in Payment.objects.all())
    stored += " ".join(str(log.detail) for log in PaymentLog.objects.all())
    answers = api_as(citizen).get("/api/v1/payments/").content.decode()
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in stored
        assert secret not in answers
    assert "PRIVATE KEY" not in caplog.text + stored + answers
    assert "id_token" not in stored


def test_the_history_reads_no_payer_rows_and_pins_its_query_count(api_as, citizen):
    for n in range(6):
        Payment.objects.create(
            user=citizen, service_type="waste_collection_fee", amount=Decimal("150.00"),
            payment_method="bkash", phone_number="+8801711000001", transaction_id=f"PAY-H-{n}",
            gateway="bkash",
        )  # fmt: skip
    client = api_as(citizen)
    client.get("/api/v1/payments/history/")
    with CaptureQueriesContext(connection) as captured:
        rows = client.get("/api/v1/payments/history/").json()["results"]
    assert len(rows) == 6
    assert all('"password"' not in query["sql"] for query in captured)
    assert page_queries(client, "/api/v1/payments/history/", 2) == page_queries(
        client, "/api/v1/payments/history/", 6
    )
    assert client.get("/api/v1/payments/history/?status=completed").json()["count"] == 0
