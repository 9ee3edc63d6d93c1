"""The real BkashGateway against the bKash simulator, over HTTP (Django views) and in-process."""

from __future__ import annotations

import logging
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from django.test import Client

from apps.payments.gateways.base import GatewayError, PaymentIntent, ProviderState
from apps.payments.gateways.bkash import BkashGateway
from apps.sandbox.models import SandboxPayment
from apps.sandbox.providers.bkash import expire_payment, expire_tokens
from core.testing import DjangoClientTransport

pytestmark = pytest.mark.django_db

BASE = "http://testserver/sandbox/bkash/v1.2.0-beta"
CALLBACK = "https://app.example/payments/bkash/callback?attempt=1"
# The simulator's hosted page is served by us; over the test client that host is "testserver".
HOSTS = frozenset({"sandbox.payment.bkash.com", "payment.bkash.com", "testserver"})


@pytest.fixture(autouse=True)
def _public_base_url(settings):
    settings.PAYMENT_PUBLIC_BASE_URL = "http://testserver"


class Recording(httpx.BaseTransport):
    """Counts the paths called; optionally turns one path's answer into a read timeout."""

    def __init__(self, inner: httpx.BaseTransport, *, timeout_on: str | None = None):
        self.inner = inner
        self.paths: list[str] = []
        self.timeout_on = timeout_on

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        op = request.url.path.split("/tokenized/checkout/", 1)[-1]
        self.paths.append(op)
        response = self.inner.handle_request(request)
        if op == self.timeout_on:  # the provider did the work; the answer never arrived
            raise httpx.ReadTimeout("timed out", request=request)
        return response

    def count(self, *ops: str) -> int:
        return sum(1 for p in self.paths if p in ops)


@pytest.fixture
def transport():
    return Recording(DjangoClientTransport())


@pytest.fixture
def gateway(transport):
    return BkashGateway(base_url=BASE, redirect_hosts=HOSTS, transport=transport)


_seq = iter(range(1, 10_000))


def intent(amount="599.00", phone="+8801711000000") -> PaymentIntent:
    return PaymentIntent(
        reference=f"FEE-{next(_seq):06d}-a1",
        amount=Decimal(amount),
        payer_phone=phone,
        callback_url=CALLBACK,
        description="Ward cleaning fee",
        method="bkash",
    )


def customer(created, action: str) -> dict:
    """The browser on bKash's page: press a button, follow the redirect to our callback."""
    path = urlsplit(created.redirect_url).path
    response = Client().post(path, {"action": action})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(CALLBACK + "&")
    return dict(parse_qsl(urlsplit(location).query))


def test_success_completes_with_decimal_amount_and_trx_id(gateway, transport):
    created = gateway.create(intent("599.00"))
    assert created.provider_ref.startswith("TR0011")
    assert created.redirect_url.startswith("http")
    assert "id_token" not in created.raw
    callback = customer(created, "approve")
    assert callback["status"] == "success"
    assert callback["paymentID"] == created.provider_ref
    result = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert result.state == ProviderState.COMPLETED
    assert result.amount == Decimal("599.00")
    assert isinstance(result.amount, Decimal)
    assert result.currency == "BDT"
    assert result.provider_trx_id
    assert result.our_reference == created.raw["merchantInvoiceNumber"]
    # one grant for the whole flow, and no query after a clean execute (§1.8)
    assert transport.count("token/grant") == 1
    assert transport.count("payment/status") == 0
    again = gateway.query(provider_ref=created.provider_ref, our_reference="")
    assert again.state == ProviderState.COMPLETED
    assert again.provider_trx_id == result.provider_trx_id


def test_decline_is_failed_and_never_executed(gateway, transport):
    created = gateway.create(intent())
    callback = customer(created, "decline")
    assert callback["status"] == "failure"
    result = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert result.state == ProviderState.FAILED
    assert transport.count("execute") == 0


def test_cancel_is_cancelled_and_never_executed(gateway, transport):
    created = gateway.create(intent())
    callback = customer(created, "cancel")
    result = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert result.state == ProviderState.CANCELLED
    assert transport.count("execute") == 0


def test_forged_success_callback_without_approval_is_not_paid(gateway):
    created = gateway.create(intent())
    result = gateway.confirm(
        provider_ref=created.provider_ref,
        callback={"paymentID": created.provider_ref, "status": "success"},
    )
    # execute → 2056 Invalid Payment State → query (GATEWAYS.md §1.6): still Initiated, not paid.
    assert result.state == ProviderState.PENDING
    assert result.provider_trx_id is None


def test_insufficient_balance(gateway):
    created = gateway.create(intent("500.11"))
    result = gateway.confirm(
        provider_ref=created.provider_ref, callback=customer(created, "approve")
    )
    assert result.state == ProviderState.FAILED
    assert result.failure_reason == "Insufficient Balance"


@pytest.mark.parametrize("amount", ["599.00", "599.17"])  # .17: the simulator answers 2117
def test_double_execute_queries_and_completes_once(gateway, transport, amount):
    created = gateway.create(intent(amount))
    callback = customer(created, "approve")
    first = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    second = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert first.state == second.state == ProviderState.COMPLETED
    assert first.provider_trx_id == second.provider_trx_id
    assert transport.count("execute") == 2
    assert transport.count("payment/status") == 1
    row = SandboxPayment.objects.get(provider="bkash", provider_ref=created.provider_ref)
    assert row.state == "completed"


def test_execute_timeout_after_provider_success_queries(gateway):
    gateway._transport.timeout_on = "execute"
    created = gateway.create(intent())
    result = gateway.confirm(
        provider_ref=created.provider_ref, callback=customer(created, "approve")
    )
    assert result.state == ProviderState.COMPLETED
    assert result.provider_trx_id
    assert result.amount == Decimal("599.00")
    assert gateway._transport.count("execute") == 1  # never re-executed


@pytest.mark.parametrize("phone", ["+8801711000001", "+8801711000002"])  # 503 / 504 HTML
def test_lost_execute_answer_queries(gateway, transport, phone):
    created = gateway.create(intent(phone=phone))
    result = gateway.confirm(
        provider_ref=created.provider_ref, callback=customer(created, "approve")
    )
    assert result.state == ProviderState.COMPLETED
    assert transport.count("execute") == 1
    assert transport.count("payment/status") == 1


def test_stuck_initiated_is_pending(gateway):
    created = gateway.create(intent(phone="+8801711000003"))
    result = gateway.confirm(
        provider_ref=created.provider_ref, callback=customer(created, "approve")
    )
    assert result.state == ProviderState.PENDING


def test_query_failing_too_is_unknown(gateway, transport, settings):
    created = gateway.create(intent(phone="+8801711000001"))
    callback = customer(created, "approve")
    broken = BkashGateway(
        base_url=BASE,
        redirect_hosts=HOSTS,
        transport=httpx.MockTransport(
            lambda request: (
                transport.handle_request(request)
                if request.url.path.endswith(("execute", "token/grant"))
                else httpx.Response(502, text="bad gateway")
            )
        ),
    )
    result = broken.confirm(provider_ref=created.provider_ref, callback=callback)
    assert result.state == ProviderState.UNKNOWN


def test_expired_payment_is_cancelled(gateway):
    created = gateway.create(intent(phone="+8801711000004"))
    result = gateway.confirm(
        provider_ref=created.provider_ref, callback=customer(created, "approve")
    )
    assert result.state == ProviderState.CANCELLED  # execute → 2056 → query: expired
    assert result.provider_trx_id is None
    other = gateway.create(intent())
    expire_payment(other.provider_ref)
    assert gateway.query(provider_ref=other.provider_ref, our_reference="").state == (
        ProviderState.CANCELLED
    )


def test_unknown_payment_id_is_cancelled_on_query(gateway):
    result = gateway.query(provider_ref="TR0011NOSUCHPAYMENT", our_reference="FEE-x")
    assert result.state == ProviderState.CANCELLED


def test_token_cached_across_gateway_instances(transport):
    BkashGateway(base_url=BASE, redirect_hosts=HOSTS, transport=transport).create(intent())
    BkashGateway(base_url=BASE, redirect_hosts=HOSTS, transport=transport).create(intent())
    assert transport.count("token/grant", "token/refresh") == 1


def test_token_expiry_renews_exactly_once(gateway, transport):
    created = gateway.create(intent())
    expire_tokens()
    result = gateway.query(provider_ref=created.provider_ref, our_reference="")
    assert result.state == ProviderState.PENDING
    assert transport.count("token/grant", "token/refresh") == 2  # the first grant + one renewal
    assert transport.count("token/refresh") == 1  # renewed with the refresh token
    gateway.query(provider_ref=created.provider_ref, our_reference="")
    assert transport.count("token/grant", "token/refresh") == 2


def test_execute_401_is_queried_never_re_executed(gateway, transport):
    created = gateway.create(intent())
    callback = customer(created, "approve")
    expire_tokens()
    result = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert transport.count("execute") == 1
    assert result.state == ProviderState.PENDING  # approved, not executed: the reconciler's job
    assert transport.count("token/grant", "token/refresh") == 2


def test_bad_credentials_raise(transport):
    gw = BkashGateway(base_url=BASE, redirect_hosts=HOSTS, transport=transport, password="wrong")
    with pytest.raises(GatewayError) as excinfo:
        gw.create(intent())
    assert excinfo.value.code == "token_grant"


def _paid(gateway, amount="1000.00"):
    created = gateway.create(intent(amount))
    result = gateway.confirm(
        provider_ref=created.provider_ref, callback=customer(created, "approve")
    )
    assert result.state == ProviderState.COMPLETED
    return result


def test_refund_full(gateway):
    paid = _paid(gateway)
    refund = gateway.refund(
        provider_ref=paid.provider_ref,
        provider_trx_id=paid.provider_trx_id,
        amount=Decimal("1000.00"),
        reason="duplicate payment",
        refund_reference="RF-1",
    )
    assert refund.state == ProviderState.COMPLETED
    assert refund.amount == Decimal("1000.00")
    assert refund.refund_id
    status = gateway.refund_status(
        provider_ref=paid.provider_ref,
        provider_trx_id=paid.provider_trx_id,
        refund_reference="RF-1",
    )
    assert status.state == ProviderState.COMPLETED
    assert status.refund_id == refund.refund_id


def test_refund_partial_then_beyond_refundable_is_refused(gateway):
    paid = _paid(gateway)
    common = {"provider_ref": paid.provider_ref, "provider_trx_id": paid.provider_trx_id}
    first = gateway.refund(
        **common, amount=Decimal("400"), reason="partial", refund_reference="RF-a"
    )
    second = gateway.refund(
        **common, amount=Decimal("600.00"), reason="rest", refund_reference="RF-b"
    )
    assert first.state == second.state == ProviderState.COMPLETED
    assert first.amount == Decimal("400.00")
    refused = gateway.refund(
        **common, amount=Decimal("0.01"), reason="too much", refund_reference="RF-c"
    )
    assert refused.state == ProviderState.FAILED
    assert "refundable" in refused.failure_reason
    a = gateway.refund_status(**common, refund_reference="RF-a")
    assert a.state == ProviderState.COMPLETED
    assert a.refund_id == first.refund_id
    # Refused, so never listed: still UNKNOWN, never FAILED (bKash may simply not list it yet).
    missing = gateway.refund_status(**common, refund_reference="RF-c")
    assert (missing.state, missing.failure_reason) == (ProviderState.UNKNOWN, "no such refund")


def test_refund_status_before_any_refund_is_unknown_never_failed(gateway):
    paid = _paid(gateway)
    status = gateway.refund_status(
        provider_ref=paid.provider_ref,
        provider_trx_id=paid.provider_trx_id,
        refund_reference="RF-late",
    )
    # The simulator answers 2127 "No refund found": a refund bKash has not recorded yet.
    assert status.state == ProviderState.UNKNOWN
    assert status.failure_reason == "No refund found for this transaction"


def test_refund_of_unpaid_payment_is_refused(gateway):
    created = gateway.create(intent())
    refused = gateway.refund(
        provider_ref=created.provider_ref,
        provider_trx_id="NOTATRX",
        amount=Decimal("1"),
        reason="x",
        refund_reference="RF-x",
    )
    assert refused.state == ProviderState.FAILED


def test_unsafe_redirect_refused_for_https_api(transport):
    def rewrite(request: httpx.Request) -> httpx.Response:
        response = transport.handle_request(
            httpx.Request(
                request.method,
                str(request.url).replace("https://", "http://"),
                headers=request.headers,
                content=request.read(),
            )
        )
        response.read()
        return response

    gw = BkashGateway(
        base_url=BASE.replace("http://", "https://"),
        redirect_hosts=HOSTS,
        transport=httpx.MockTransport(rewrite),
    )
    with pytest.raises(GatewayError) as excinfo:
        gw.create(intent())  # the simulator's bkashURL is plain http
    assert excinfo.value.code == "bad_redirect"


def test_in_process_sandbox_transport(settings):
    settings.BKASH_BASE_URL = "http://sandbox.invalid/sandbox/bkash/v1.2.0-beta"
    gw = BkashGateway()
    created = gw.create(intent("250.50"))
    callback = customer(created, "approve")
    result = gw.confirm(provider_ref=created.provider_ref, callback=callback)
    assert result.state == ProviderState.COMPLETED
    assert result.amount == Decimal("250.50")


def test_secrets_never_logged(gateway, caplog, settings):
    caplog.set_level(logging.DEBUG)
    created = gateway.create(intent(phone="+8801711000001"))
    expire_tokens()
    gateway.confirm(provider_ref=created.provider_ref, callback=customer(created, "approve"))
    from django.core.cache import cache

    entry = cache.get(gateway._token_key)
    text = caplog.text
    assert "bkash" in text  # something was logged
    for secret in (
        settings.BKASH_APP_SECRET,
        settings.BKASH_PASSWORD,
        entry["id_token"],
        entry["refresh_token"],
    ):
        assert secret not in text
    assert settings.BKASH_APP_SECRET not in repr(gateway)


# ---------------------------------------------------------------------------------------------
# A scripted bKash (httpx.MockTransport) for answers the simulator never gives
# ---------------------------------------------------------------------------------------------
LIVE = "https://tokenized.sandbox.bka.sh/v1.2.0-beta"


def scripted(answers: dict, **kwargs) -> tuple[BkashGateway, list[str]]:
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        op = request.url.path.split("/tokenized/checkout/", 1)[-1]
        calls.append(op)
        if op in ("token/grant", "token/refresh"):
            return httpx.Response(
                200, json={"statusCode": "0000", "id_token": "tok", "expires_in": 3600}
            )
        status, body = answers[op]
        return httpx.Response(status, json=body)

    gateway = BkashGateway(base_url=LIVE, transport=httpx.MockTransport(handle), **kwargs)
    return gateway, calls


def _created(url: str) -> dict:
    return {
        "create": (
            200,
            {"statusCode": "0000", "paymentID": "TR0011X", "bkashURL": url},
        )
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/?paymentId=TR0011X",
        "https://payment.bkash.com.evil.example/",
        "https://testserver/sandbox/bkash/pay/TR0011X/",  # our host, but not for a live API
    ],
)
def test_bkash_url_on_unexpected_host_is_refused(url):
    gateway, _ = scripted(_created(url))
    with pytest.raises(GatewayError) as excinfo:
        gateway.create(intent())
    assert excinfo.value.code == "redirect_refused"
    assert excinfo.value.transient is False


@pytest.mark.parametrize(
    "url",
    [
        "https://sandbox.payment.bkash.com/?paymentId=TR0011X&hash=h&mode=0011",
        "https://PAYMENT.bkash.com/?paymentId=TR0011X",
    ],
)
def test_bkash_url_on_bkash_hosted_page_is_accepted(url):
    gateway, _ = scripted(_created(url))
    assert gateway.create(intent()).redirect_url == url


def test_sandbox_base_accepts_public_base_url_host_only(settings):
    settings.PAYMENT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    gw = BkashGateway(base_url="http://sandbox.invalid/sandbox/bkash/v1.2.0-beta")
    assert "127.0.0.1" in gw.redirect_hosts
    assert "testserver" not in gw.redirect_hosts
    assert "127.0.0.1" not in BkashGateway(base_url=LIVE).redirect_hosts


@pytest.mark.parametrize(
    ("transaction_status", "state"),
    [
        ("Initiated", ProviderState.PENDING),
        ("Failed", ProviderState.FAILED),
        ("Cancelled", ProviderState.CANCELLED),
        ("Expired", ProviderState.CANCELLED),
        ("Reversed", ProviderState.UNKNOWN),
        ("Pending Authorization", ProviderState.UNKNOWN),
        ("Completed", ProviderState.UNKNOWN),  # without a trxID it proves nothing
    ],
)
def test_query_maps_transaction_status_explicitly(transaction_status, state):
    gateway, _ = scripted(
        {
            "payment/status": (
                200,
                {
                    "statusCode": "0000",
                    "paymentID": "TR0011X",
                    "transactionStatus": transaction_status,
                    "amount": "599.00",
                },
            )
        }
    )
    assert gateway.query(provider_ref="TR0011X", our_reference="FEE-1").state == state


COMPLETED_STATUS = {
    "statusCode": "0000",
    "paymentID": "TR0011X",
    "trxID": "CK250NROQ5",
    "transactionStatus": "Completed",
    "amount": "599.00",
    "currency": "BDT",
    "merchantInvoice": "FEE-1",
}


@pytest.mark.parametrize(
    "execute_answer",
    [
        {"statusCode": "2999", "statusMessage": "Something new"},
        {
            "statusCode": "2117",
            "statusMessage": "Timeout of 30 Seconds Exceeded While Executing Payment, "
            "Please Query the Payment",
        },
        {"errorCode": "9998", "errorMessage": "Timeout of 30 Seconds Exceeded"},
        {"statusCode": "2003", "statusMessage": "Process failed"},
        {"statusCode": "2056", "statusMessage": "Invalid Payment State"},
    ],
)
def test_execute_unknown_codes_are_queried_not_failed(execute_answer):
    gateway, calls = scripted(
        {"execute": (200, execute_answer), "payment/status": (200, COMPLETED_STATUS)}
    )
    result = gateway.confirm(provider_ref="TR0011X", callback={"status": "success"})
    assert result.state == ProviderState.COMPLETED
    assert calls.count("payment/status") == 1
    assert calls.count("execute") == 1


@pytest.mark.parametrize("code", ["2014", "2015", "2023", "2001", "2002", "2004"])
def test_execute_definite_refusals_fail_without_query(code):
    gateway, calls = scripted({"execute": (200, {"statusCode": code, "statusMessage": "no"})})
    result = gateway.confirm(provider_ref="TR0011X", callback={"status": "success"})
    assert result.state == ProviderState.FAILED
    assert "payment/status" not in calls


@pytest.mark.parametrize("status", ["failure", "cancel"])
def test_failure_callback_while_still_initiated_is_pending(gateway, transport, status):
    created = gateway.create(intent())  # nobody pressed a button on the page: forged callback
    result = gateway.confirm(
        provider_ref=created.provider_ref,
        callback={"paymentID": created.provider_ref, "status": status},
    )
    assert result.state == ProviderState.PENDING
    assert transport.count("execute") == 0


@pytest.mark.parametrize("status", ["failure", "cancel"])
def test_failure_callback_for_a_completed_payment_is_completed(gateway, transport, status):
    created = gateway.create(intent())
    paid = gateway.confirm(provider_ref=created.provider_ref, callback=customer(created, "approve"))
    assert paid.state == ProviderState.COMPLETED
    result = gateway.confirm(
        provider_ref=created.provider_ref,
        callback={"paymentID": created.provider_ref, "status": status},
    )
    assert result.state == ProviderState.COMPLETED
    assert result.provider_trx_id == paid.provider_trx_id
    assert transport.count("execute") == 1


@pytest.mark.parametrize("status", ["failure", "cancel"])
def test_failure_callback_with_bkash_unreachable_is_unknown(status):
    gateway, calls = scripted({"payment/status": (502, {"message": "bad gateway"})})
    result = gateway.confirm(provider_ref="TR0011X", callback={"status": status})
    assert result.state == ProviderState.UNKNOWN
    assert "execute" not in calls


def test_failure_callback_then_bkash_says_expired_is_cancelled():
    gateway, _ = scripted(
        {
            "payment/status": (
                200,
                {"statusCode": "0000", "paymentID": "TR0011X", "transactionStatus": "Expired"},
            )
        }
    )
    result = gateway.confirm(provider_ref="TR0011X", callback={"status": "failure"})
    assert result.state == ProviderState.CANCELLED
