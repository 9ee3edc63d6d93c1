"""The real SslCommerzGateway against the SSLCommerz simulator, over HTTP and in-process."""

from __future__ import annotations

import logging
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from django.test import Client

from apps.payments.gateways.base import GatewayError, PaymentIntent, ProviderState
from apps.payments.gateways.sslcommerz import (
    MULTI_CARD_NAMES,
    SslCommerzGateway,
    ipn_signature_valid,
)
from apps.sandbox.models import SandboxPayment
from core.testing import DjangoClientTransport

pytestmark = pytest.mark.django_db

BASE = "http://testserver/sandbox/sslcommerz"
CALLBACK = "https://app.example/payments/sslcommerz/return?attempt=1"
IPN_URL = "https://app.example/payments/sslcommerz/ipn"
PASSWORD = "sandbox-store-password"

_seq = iter(range(1, 10_000))


@pytest.fixture
def browser():
    return Client()


@pytest.fixture
def gateway(browser):
    return SslCommerzGateway(base_url=BASE, transport=DjangoClientTransport(browser))


def intent(amount="500.00", method="rocket") -> PaymentIntent:
    return PaymentIntent(
        reference=f"FEE-{next(_seq):06d}-s1",
        amount=Decimal(amount),
        payer_phone="+8801711000000",
        callback_url=CALLBACK,
        description="Ward 12 waste collection fee",
        method=method,
        ipn_url=IPN_URL,
    )


def pay(browser, redirect_url: str, action: str) -> tuple[str, dict]:
    """The customer on the hosted page; returns where the browser POSTs back and the form."""
    response = browser.post(urlsplit(redirect_url).path, {"action": action})
    assert response.status_code == 200
    html = response.content.decode()
    if 'action="' not in html:
        return "", {}
    target = html.split('<form method="post" action="', 1)[1].split('"', 1)[0]
    fields = {
        chunk.split('"', 1)[0]: unescape(chunk.split('value="', 1)[1].split('"', 1)[0])
        for chunk in html.split('<input type="hidden" name="')[1:]
    }
    return unescape(target), fields


def ipn(browser, provider_ref: str) -> dict:
    return browser.get(f"/sandbox/sslcommerz/ipn/{provider_ref}/").json()


def test_create_posts_the_session_form_and_returns_sessionkey_and_page(gateway):
    the_intent = intent("250.5")
    form = gateway.session_form(the_intent)
    created = gateway.create(the_intent)

    payment = SandboxPayment.objects.get(provider="sslcommerz")
    assert form["total_amount"] == "250.50"
    assert form["multi_card_name"] == MULTI_CARD_NAMES["rocket"] == "dbblmobilebanking"
    assert dict(parse_qsl(urlsplit(form["fail_url"]).query)) == {"attempt": "1", "sslcz": "fail"}
    assert form["ipn_url"] == IPN_URL
    assert created.provider_ref == payment.provider_ref
    assert (
        created.redirect_url == f"http://testserver/sandbox/sslcommerz/pay/{payment.provider_ref}/"
    )
    assert payment.our_reference == the_intent.reference
    assert payment.amount == Decimal("250.50")
    assert "store_passwd" not in created.raw


def test_upay_opens_on_upay(gateway):
    assert gateway.session_form(intent(method="upay"))["multi_card_name"] == "upay"


def test_wrong_store_password_is_a_permanent_error(browser):
    gateway = SslCommerzGateway(
        base_url=BASE, store_password="wrong", transport=DjangoClientTransport(browser)
    )
    with pytest.raises(GatewayError) as caught:
        gateway.create(intent())
    assert caught.value.code == "session_failed"
    assert not caught.value.transient


def test_redirect_to_a_foreign_host_is_refused(browser):
    gateway = SslCommerzGateway(
        base_url=BASE,
        transport=DjangoClientTransport(browser),
        redirect_hosts=frozenset({"securepay.sslcommerz.com"}),
    )
    with pytest.raises(GatewayError, match="unexpected host"):
        gateway.create(intent())


def test_success_is_confirmed_by_the_validation_api(gateway, browser):
    the_intent = intent("500.00")
    created = gateway.create(the_intent)
    target, callback = pay(browser, created.redirect_url, "approve")

    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)

    payment = SandboxPayment.objects.get(provider_ref=created.provider_ref)
    assert dict(parse_qsl(urlsplit(target).query))["sslcz"] == "success"
    assert callback["status"] == "VALID"
    assert status.state == ProviderState.COMPLETED
    assert status.provider_trx_id == payment.trx_id
    assert status.amount == Decimal("500.00")
    assert isinstance(status.amount, Decimal)
    assert status.currency == "BDT"
    assert status.our_reference == the_intent.reference
    assert status.provider_ref == created.provider_ref
    assert status.raw["card_type"] == "DBBLMOBILEB-Dbbl Mobile Banking"
    # A second validation (IPN after the browser) says VALIDATED: still completed, same trx.
    again = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert again.raw["status"] == "VALIDATED"
    assert again.state == ProviderState.COMPLETED
    assert again.provider_trx_id == status.provider_trx_id


@pytest.mark.parametrize(
    ("amount", "action", "expected", "reason", "url"),
    [
        ("500.00", "decline", ProviderState.FAILED, "Payment declined by the customer", "fail"),
        ("500.01", "approve", ProviderState.FAILED, "Transaction declined", "fail"),
        ("500.02", "approve", ProviderState.FAILED, "Insufficient balance", "fail"),
        ("500.00", "cancel", ProviderState.CANCELLED, "CANCELLED", "cancel"),
        ("500.03", "approve", ProviderState.CANCELLED, "CANCELLED", "cancel"),
    ],
)
def test_unpaid_outcomes_are_read_from_the_transaction_query(
    gateway, browser, amount, action, expected, reason, url
):
    created = gateway.create(intent(amount))
    target, callback = pay(browser, created.redirect_url, action)

    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)

    assert dict(parse_qsl(urlsplit(target).query))["sslcz"] == url
    assert callback["val_id"] == ""
    assert status.state == expected
    assert status.failure_reason == reason
    assert status.provider_trx_id is None


def test_forged_success_callback_with_made_up_val_id_is_not_completed(gateway):
    created = gateway.create(intent())
    forged = {"status": "VALID", "val_id": "2611221234561abcdefXYZ", "amount": "500.00"}

    status = gateway.confirm(provider_ref=created.provider_ref, callback=forged)

    assert status.state == ProviderState.PENDING  # the customer may still pay
    assert status.provider_trx_id is None


def test_validation_saying_invalid_of_a_paid_session_is_unknown_not_failed(gateway, browser):
    created = gateway.create(intent("500.06"))
    _, callback = pay(browser, created.redirect_url, "approve")

    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)

    # The transaction query shows it paid: money may have moved, so never FAILED.
    assert status.state == ProviderState.UNKNOWN
    assert status.failure_reason == "invalid_transaction"
    assert status.provider_trx_id is None


def test_validation_saying_invalid_of_a_declined_session_fails_it(gateway, browser):
    created = gateway.create(intent("500.01"))
    pay(browser, created.redirect_url, "approve")
    forged = {"status": "VALID", "val_id": "2611221234561abcdefXYZ"}

    status = gateway.confirm(provider_ref=created.provider_ref, callback=forged)

    assert status.state == ProviderState.FAILED
    assert status.failure_reason == "Transaction declined"


@pytest.mark.parametrize("api_connect", ["INVALID_REQUEST", "FAILED", "INACTIVE", None])
def test_invalid_transaction_without_api_connect_done_is_unknown(api_connect):
    def answer(request):
        body = {"status": "INVALID_TRANSACTION"}
        if api_connect:
            body["APIConnect"] = api_connect
        return httpx.Response(200, json=body)

    gateway = SslCommerzGateway(base_url=BASE, transport=httpx.MockTransport(answer))

    assert gateway.validate("VAL1").state == ProviderState.UNKNOWN
    status = gateway.confirm(provider_ref="SESSION", callback={"val_id": "VAL1"})
    assert status.state == ProviderState.UNKNOWN


def test_a_val_id_of_another_cheaper_payment_is_not_completed(gateway, browser):
    cheap = gateway.create(intent("10.00"))
    _, cheap_callback = pay(browser, cheap.redirect_url, "approve")
    dear = gateway.create(intent("500.00"))

    status = gateway.confirm(provider_ref=dear.provider_ref, callback=cheap_callback)

    assert status.state == ProviderState.UNKNOWN
    assert status.failure_reason == "validation does not match this payment"
    assert status.provider_trx_id is None
    assert status.provider_ref == dear.provider_ref


def test_a_val_id_with_our_tran_id_but_another_amount_is_not_completed(browser):
    def answer(request):
        if "validationserverAPI" in request.url.path:
            return httpx.Response(
                200,
                json={
                    "status": "VALID",
                    "APIConnect": "DONE",
                    "tran_id": "FEE-1",
                    "amount": "10.00",
                    "currency": "BDT",
                    "bank_tran_id": "B1",
                },
            )
        return httpx.Response(
            200,
            json={"APIConnect": "DONE", "status": "VALID", "tran_id": "FEE-1", "amount": "500.00"},
        )

    gateway = SslCommerzGateway(base_url=BASE, transport=httpx.MockTransport(answer))
    status = gateway.confirm(provider_ref="SESSION", callback={"val_id": "VAL1"})

    assert status.state == ProviderState.UNKNOWN
    assert status.failure_reason == "validation does not match this payment"


def test_tampered_browser_amount_does_not_reach_the_result(gateway, browser):
    created = gateway.create(intent("500.09"))
    _, callback = pay(browser, created.redirect_url, "approve")

    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)

    assert callback["amount"] == "1.00"
    assert not ipn_signature_valid(callback, store_password=PASSWORD)
    assert status.state == ProviderState.COMPLETED
    assert status.amount == Decimal("500.09")


def test_risky_payment_is_held_pending(gateway, browser):
    created = gateway.create(intent("500.08"))
    _, callback = pay(browser, created.redirect_url, "approve")

    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)

    assert status.state == ProviderState.PENDING
    assert status.failure_reason == "risk_review"
    assert status.provider_trx_id is None


def test_ipn_only_payment_completes_from_the_ipn(gateway, browser):
    created = gateway.create(intent("500.04"))
    target, _ = pay(browser, created.redirect_url, "approve")
    notice = ipn(browser, created.provider_ref)

    assert target == ""  # the browser never came back
    assert notice["deliver"] == "only"
    assert notice["ipn_url"] == IPN_URL
    assert ipn_signature_valid(notice["ipn"], store_password=PASSWORD)
    status = gateway.confirm(provider_ref=created.provider_ref, callback=notice["ipn"])
    assert status.state == ProviderState.COMPLETED


def test_ipn_before_redirect_then_the_browser_is_a_no_op_validated(gateway, browser):
    created = gateway.create(intent("500.05"))
    _, callback = pay(browser, created.redirect_url, "approve")
    notice = ipn(browser, created.provider_ref)

    first = gateway.confirm(provider_ref=created.provider_ref, callback=notice["ipn"])
    second = gateway.confirm(provider_ref=created.provider_ref, callback=callback)

    assert notice["deliver"] == "before_redirect"
    assert (first.raw["status"], second.raw["status"]) == ("VALID", "VALIDATED")
    assert first.provider_trx_id == second.provider_trx_id


def test_ipn_signature_accepts_the_simulator_and_refuses_tampering(gateway, browser):
    created = gateway.create(intent())
    pay(browser, created.redirect_url, "approve")
    form = ipn(browser, created.provider_ref)["ipn"]

    assert ipn_signature_valid(form, store_password=PASSWORD)
    assert not ipn_signature_valid(form, store_password="another-password")
    assert not ipn_signature_valid({**form, "amount": "5000.00"}, store_password=PASSWORD)
    without_key = {k: v for k, v in form.items() if k != "verify_key"}
    assert not ipn_signature_valid(without_key, store_password=PASSWORD)
    assert not ipn_signature_valid({**form, "verify_sign": ""}, store_password=PASSWORD)


@pytest.mark.parametrize(
    ("amount", "action", "expected"),
    [
        ("500.00", None, ProviderState.PENDING),
        ("500.00", "approve", ProviderState.COMPLETED),
        ("500.02", "approve", ProviderState.FAILED),
        ("500.00", "cancel", ProviderState.CANCELLED),
    ],
)
def test_query_by_tran_id_maps_each_state(gateway, browser, amount, action, expected):
    the_intent = intent(amount)
    created = gateway.create(the_intent)
    if action:
        pay(browser, created.redirect_url, action)

    status = gateway.query(provider_ref=created.provider_ref, our_reference=the_intent.reference)

    assert status.state == expected
    assert status.our_reference == the_intent.reference
    assert status.amount == Decimal(amount)
    assert (status.provider_trx_id is not None) == (expected == ProviderState.COMPLETED)


def test_query_of_an_unknown_tran_id_is_unknown(gateway):
    status = gateway.query(provider_ref="NOPE", our_reference="never-created")
    assert status.state == ProviderState.UNKNOWN
    assert status.failure_reason == "not_found"


def test_query_prefers_the_paid_attempt_among_retries(gateway, browser):
    the_intent = intent()
    first = gateway.create(the_intent)
    pay(browser, first.redirect_url, "cancel")
    second = gateway.create(the_intent)
    pay(browser, second.redirect_url, "approve")

    status = gateway.query(provider_ref=second.provider_ref, our_reference=the_intent.reference)

    assert status.state == ProviderState.COMPLETED


def paid(gateway, browser, amount="500.00"):
    created = gateway.create(intent(amount))
    _, callback = pay(browser, created.redirect_url, "approve")
    return created, gateway.confirm(provider_ref=created.provider_ref, callback=callback)


def test_partial_then_full_refund_and_their_status(gateway, browser):
    created, status = paid(gateway, browser)
    refund = gateway.refund
    first = refund(
        provider_ref=created.provider_ref,
        provider_trx_id=status.provider_trx_id,
        amount=Decimal("200.00"),
        reason="double charge",
        refund_reference="RF-1",
    )
    rest = refund(
        provider_ref=created.provider_ref,
        provider_trx_id=status.provider_trx_id,
        amount=Decimal("300.00"),
        reason="service cancelled",
        refund_reference="RF-2",
    )
    too_much = refund(
        provider_ref=created.provider_ref,
        provider_trx_id=status.provider_trx_id,
        amount=Decimal("0.01"),
        reason="again",
        refund_reference="RF-3",
    )
    retried = refund(
        provider_ref=created.provider_ref,
        provider_trx_id=status.provider_trx_id,
        amount=Decimal("200.00"),
        reason="double charge",
        refund_reference="RF-1",
    )
    settled = gateway.refund_status(
        provider_ref=created.provider_ref,
        provider_trx_id=status.provider_trx_id,
        refund_reference="RF-1",
        provider_refund_id=first.refund_id,
    )

    assert (first.state, rest.state) == (ProviderState.PENDING, ProviderState.PENDING)
    assert first.amount == Decimal("200.00")
    assert too_much.state == ProviderState.FAILED
    assert "exceeds" in too_much.failure_reason
    assert retried.refund_id == first.refund_id  # refund_trans_id makes a retry idempotent
    assert settled.state == ProviderState.COMPLETED
    assert settled.amount == Decimal("200.00")
    payment = SandboxPayment.objects.get(provider_ref=created.provider_ref)
    assert [r["amount"] for r in payment.refunds] == ["200.00", "300.00"]


def test_refused_refund_is_failed(gateway, browser):
    created, status = paid(gateway, browser, "500.07")

    result = gateway.refund(
        provider_ref=created.provider_ref,
        provider_trx_id=status.provider_trx_id,
        amount=Decimal("500.07"),
        reason="complaint",
        refund_reference="RF-9",
    )

    assert result.state == ProviderState.FAILED
    assert result.failure_reason == "Refund not allowed for this transaction"
    assert SandboxPayment.objects.get(provider_ref=created.provider_ref).refunds == []


def test_unknown_refund_status_is_unknown(gateway):
    result = gateway.refund_status(provider_ref="x", provider_trx_id="y", refund_reference="zz")
    assert result.state == ProviderState.UNKNOWN


def test_in_process_sandbox_transport_runs_the_whole_flow(settings, browser):
    settings.PAYMENT_PUBLIC_BASE_URL = "http://testserver"
    gateway = SslCommerzGateway(base_url="http://sandbox.invalid/sandbox/sslcommerz")
    the_intent = intent()
    created = gateway.create(the_intent)
    _, callback = pay(browser, created.redirect_url, "approve")

    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    queried = gateway.query(provider_ref=created.provider_ref, our_reference=the_intent.reference)

    assert created.redirect_url.startswith("http://testserver/sandbox/sslcommerz/pay/")
    assert status.state == queried.state == ProviderState.COMPLETED


def _refuse(request):
    raise httpx.ConnectError("refused", request=request)


def test_unreachable_provider_is_a_transient_error_and_refund_unknown():
    gateway = SslCommerzGateway(base_url=BASE, transport=httpx.MockTransport(_refuse))
    with pytest.raises(GatewayError) as caught:
        gateway.query(provider_ref="a", our_reference="b")
    refund = gateway.refund(
        provider_ref="a",
        provider_trx_id="b",
        amount=Decimal("10.00"),
        reason="x",
        refund_reference="RF-N",
    )
    assert caught.value.transient
    assert refund.state == ProviderState.UNKNOWN


def test_the_store_password_is_never_logged(gateway, browser, caplog):
    caplog.set_level(logging.DEBUG)
    created, status = paid(gateway, browser)
    gateway.query(provider_ref=created.provider_ref, our_reference=status.our_reference)
    gateway.refund(
        provider_ref=created.provider_ref,
        provider_trx_id=status.provider_trx_id,
        amount=Decimal("1.00"),
        reason="test",
        refund_reference="RF-L",
    )
    with pytest.raises(GatewayError):
        SslCommerzGateway(base_url=BASE, transport=httpx.MockTransport(_refuse)).query(
            provider_ref="a", our_reference="b"
        )

    assert caplog.records  # the gateway does log
    assert PASSWORD not in caplog.text
    assert "store_passwd" not in caplog.text
    assert PASSWORD not in repr(gateway)
