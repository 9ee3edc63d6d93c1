"""The real NagadGateway against the Nagad simulator (GATEWAYS.md §2): no mock that says yes."""

import logging
import secrets
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings as dj_settings

from apps.payments.gateways.base import GatewayError, PaymentIntent, ProviderState
from apps.payments.gateways.nagad import NagadGateway, load_private_key
from apps.sandbox.models import SandboxPayment
from apps.sandbox.providers.nagad.keys import generate_keys, use_keys
from core.testing import DjangoClientTransport

pytestmark = pytest.mark.django_db

BASE = "http://testserver/sandbox/nagad"
CALLBACK = "http://testserver/api/v1/payments/nagad/callback/"


@pytest.fixture(scope="module")
def keys():
    return generate_keys()


@pytest.fixture(autouse=True)
def _simulator_keys(keys):
    with use_keys(keys):
        yield


@pytest.fixture
def gateway(keys, client):
    return make_gateway(keys, client)


def make_gateway(keys, client, **overrides):
    options = {
        "base_url": BASE,
        "merchant_private_key": keys.merchant_private,
        "nagad_public_key": keys.nagad_public,
        "transport": DjangoClientTransport(client),
        # the simulator's hosted page, served by our own server
        "redirect_hosts": frozenset({httpx.URL(dj_settings.PAYMENT_PUBLIC_BASE_URL).host}),
        **overrides,
    }
    return NagadGateway(**options)


def intent(amount="50.00", reference=None) -> PaymentIntent:
    return PaymentIntent(
        reference=reference or f"CC{secrets.token_hex(6).upper()}",
        amount=Decimal(amount),
        payer_phone="+8801712345678",
        callback_url=CALLBACK,
        description="Waste collection fee",
        method="nagad",
    )


def pay(client, created, action="approve") -> dict:
    """The customer on Nagad's hosted page; returns the callback's query parameters."""
    path = urlsplit(created.redirect_url).path
    page = client.get(path)
    assert page.status_code == 200
    assert "নগদ" in page.content.decode()
    assert "Nagad" in page.content.decode()
    response = client.post(path, {"action": action})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    return dict(parse_qsl(location.query))


def test_success_completes_with_nagads_trx_id_and_a_decimal_amount(gateway, client):
    wanted = intent("50.55")
    created = gateway.create(wanted)
    assert created.redirect_url.endswith(f"/sandbox/nagad/pay/{created.provider_ref}/")

    callback = pay(client, created)
    assert callback["status"] == "Success"
    assert callback["payment_ref_id"] == created.provider_ref
    assert callback["order_id"] == wanted.reference

    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert status.state is ProviderState.COMPLETED
    assert status.provider_trx_id == callback["issuer_payment_ref"]
    assert isinstance(status.amount, Decimal)
    assert status.amount == Decimal("50.55")
    assert status.our_reference == wanted.reference
    assert status.currency == "BDT"
    row = SandboxPayment.objects.get(provider="nagad", provider_ref=created.provider_ref)
    assert row.trx_id == status.provider_trx_id
    assert row.amount == Decimal("50.55")
    # query is the same verify, bound to our reference
    again = gateway.query(provider_ref=created.provider_ref, our_reference=wanted.reference)
    assert again.state is ProviderState.COMPLETED


def test_whole_taka_amount_comes_back_as_decimal(gateway, client):
    created = gateway.create(intent("100"))
    pay(client, created)
    status = gateway.confirm(provider_ref=created.provider_ref, callback={})
    assert status.amount == Decimal("100")


def test_before_the_customer_acts_the_payment_is_pending(gateway):
    wanted = intent()
    created = gateway.create(wanted)
    status = gateway.query(provider_ref=created.provider_ref, our_reference=wanted.reference)
    assert status.state is ProviderState.PENDING
    assert status.provider_trx_id is None


def test_query_refuses_a_payment_of_another_order(gateway):
    created = gateway.create(intent())
    with pytest.raises(GatewayError) as error:
        gateway.query(provider_ref=created.provider_ref, our_reference="SOMETHINGELSE")
    assert error.value.code == "reference_mismatch"
    assert not error.value.transient


@pytest.mark.parametrize(
    ("amount", "action", "expected"),
    [
        ("50.00", "decline", ProviderState.FAILED),
        ("50.11", "approve", ProviderState.FAILED),  # knob: declined
        ("50.00", "cancel", ProviderState.CANCELLED),
        ("50.12", "approve", ProviderState.CANCELLED),  # knob: Aborted
    ],
)
def test_declined_and_cancelled(gateway, client, amount, action, expected):
    created = gateway.create(intent(amount))
    callback = pay(client, created, action)
    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert status.state is expected
    assert status.provider_trx_id is None
    assert status.failure_reason


def test_insufficient_balance_fails_with_the_reason(gateway, client):
    created = gateway.create(intent("20.13"))
    callback = pay(client, created)
    assert callback["status"] == "Failed"
    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert status.state is ProviderState.FAILED
    assert "Insufficient" in status.failure_reason


def test_verify_timing_out_once_is_transient_then_completed(gateway, client):
    created = gateway.create(intent("30.14"))
    callback = pay(client, created)
    with pytest.raises(GatewayError) as error:
        gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert error.value.transient
    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert status.state is ProviderState.COMPLETED


def test_stuck_payment_stays_pending(gateway, client):
    wanted = intent("40.15")
    created = gateway.create(wanted)
    pay(client, created)
    for _ in range(2):
        status = gateway.query(provider_ref=created.provider_ref, our_reference=wanted.reference)
        assert status.state is ProviderState.PENDING


def test_verify_decides_even_when_the_callback_says_aborted(gateway, client):
    created = gateway.create(intent("60.17"))
    callback = pay(client, created)
    assert callback["status"] == "Aborted"
    status = gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    assert status.state is ProviderState.COMPLETED


def test_amount_mismatch_is_reported_as_nagad_says_it(gateway, client):
    created = gateway.create(intent("70.18"))
    pay(client, created)
    status = gateway.confirm(provider_ref=created.provider_ref, callback={})
    assert status.amount == Decimal("71.18")  # the payments service compares with the intent


def test_a_badly_signed_answer_is_refused_when_verification_is_on(gateway, keys, client):
    with pytest.raises(GatewayError) as error:
        gateway.create(intent(reference=f"BADSIG{secrets.token_hex(4)}"))
    assert error.value.code == "bad_signature"
    assert not error.value.transient

    lenient = make_gateway(keys, client, verify_response_signature=False)
    created = lenient.create(intent(reference=f"BADSIG{secrets.token_hex(4)}"))
    assert created.provider_ref


def test_verification_follows_the_setting(keys, client, settings):
    settings.NAGAD_VERIFY_RESPONSE_SIGNATURE = False
    created = make_gateway(keys, client).create(intent(reference="BADSIGSETTING"))
    assert created.provider_ref


def test_data_encrypted_to_the_wrong_nagad_key_is_refused(keys, client):
    impostor = generate_keys()
    gateway = make_gateway(keys, client, nagad_public_key=impostor.nagad_public)
    # The simulator cannot read what we encrypted to the impostor's key: a refusal, not a payment.
    with pytest.raises(GatewayError) as error:
        gateway.create(intent())
    # (OpenSSL's implicit rejection may "decrypt" to noise, which then fails the signature.)
    assert error.value.code in ("DECRYPTION_FAILED", "INVALID_SIGNATURE")
    assert not error.value.transient


def test_the_simulator_refuses_our_request_signed_with_the_wrong_key(keys, client):
    gateway = make_gateway(keys, client, merchant_private_key=generate_keys().merchant_private)
    with pytest.raises(GatewayError) as error:
        gateway.create(intent())
    assert error.value.code == "INVALID_SIGNATURE"
    assert not error.value.transient


def test_wrong_merchant_is_refused(keys, client):
    with pytest.raises(GatewayError) as error:
        make_gateway(keys, client, merchant_id="999").create(intent())
    assert error.value.code == "INVALID_MERCHANT"


def test_unknown_payment_reference_is_refused_not_pending(gateway):
    with pytest.raises(GatewayError) as error:
        gateway.confirm(provider_ref="MDkNOSUCHPAYMENT", callback={})
    assert error.value.code == "PAYMENT_NOT_FOUND"
    assert not error.value.transient


@pytest.mark.parametrize(
    "handler",
    [
        lambda request: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=request)),
        lambda request: httpx.Response(502, text="Bad Gateway"),
        lambda request: httpx.Response(200, text="<html>The requested URL was rejected</html>"),
        lambda request: httpx.Response(200, json={"status": 7}),
    ],
    ids=["timeout", "5xx", "garbage", "odd-json"],
)
def test_transport_errors_and_garbage_are_transient(keys, client, handler):
    gateway = make_gateway(keys, client, transport=httpx.MockTransport(handler))
    for call in (
        lambda: gateway.create(intent()),
        lambda: gateway.confirm(provider_ref="MDkX", callback={}),
        lambda: gateway.query(provider_ref="MDkX", our_reference="CC1"),
    ):
        with pytest.raises(GatewayError) as error:
            call()
        assert error.value.transient


def test_refunds_are_unsupported(gateway):
    for call in (
        lambda: gateway.refund(
            provider_ref="r",
            provider_trx_id="t",
            amount=Decimal("1"),
            reason="x",
            refund_reference="R1",
        ),
        lambda: gateway.refund_status(provider_ref="r", provider_trx_id="t", refund_reference="R1"),
    ):
        with pytest.raises(GatewayError) as error:
            call()
        assert error.value.code == "refund_unsupported"
        assert not error.value.transient


def test_in_process_sandbox_transport_with_keys_from_the_store(client, settings):
    settings.NAGAD_BASE_URL = "http://sandbox.invalid/sandbox/nagad"
    # Transport and keys both come from the simulators' settings, as in embedded mode.
    gateway = NagadGateway()
    wanted = intent("99.99")
    created = gateway.create(wanted)
    pay(client, created)
    status = gateway.query(provider_ref=created.provider_ref, our_reference=wanted.reference)
    assert status.state is ProviderState.COMPLETED
    assert status.amount == Decimal("99.99")


def test_keys_are_required_outside_the_sandbox(settings):
    settings.NAGAD_MERCHANT_PRIVATE_KEY = ""
    settings.NAGAD_PUBLIC_KEY = ""
    with pytest.raises(GatewayError) as error:
        NagadGateway(base_url="https://api.mynagad.com/api/dfs")
    assert error.value.code == "config"


def test_a_pkcs8_body_under_the_wrong_header_loads(keys):
    key = load_private_key(keys.merchant_private)
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    import base64

    body = base64.b64encode(der).decode()
    wrapped = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
    assert load_private_key(wrapped).private_numbers() == key.private_numbers()
    assert load_private_key(body).private_numbers() == key.private_numbers()


def test_keys_and_sensitive_data_never_reach_the_logs(keys, client, caplog):
    sent: list[dict] = []
    inner = DjangoClientTransport(client)

    class Recording(httpx.BaseTransport):
        def handle_request(self, request):
            response = inner.handle_request(request)
            if request.content:
                sent.append(__import__("json").loads(request.content))
            response.read()
            sent.append(response.json())
            return response

    caplog.set_level(logging.DEBUG)
    gateway = make_gateway(keys, client, transport=Recording())
    created = gateway.create(intent("12.34"))
    callback = pay(client, created)
    gateway.confirm(provider_ref=created.provider_ref, callback=callback)
    with pytest.raises(GatewayError):
        gateway.create(intent(reference="BADSIGLOG"))

    secrets_seen = [
        value
        for body in sent
        for name, value in body.items()
        if name in ("sensitiveData", "signature")
    ]
    assert len(secrets_seen) >= 4
    pem_lines = [
        line
        for pem in (keys.merchant_private, keys.nagad_private)
        for line in pem.splitlines()
        if "-----" not in line
    ]
    text = caplog.text + repr(gateway)
    assert created.provider_ref in caplog.text  # it does log, just not secrets
    for secret in secrets_seen + pem_lines:
        assert secret not in text


def test_callback_url_on_an_unexpected_host_is_refused(keys, client):
    gateway = make_gateway(keys, client, redirect_hosts=frozenset({"api.mynagad.com"}))
    with pytest.raises(GatewayError) as error:
        gateway.create(intent())
    assert error.value.code == "redirect_refused"
    assert not error.value.transient


def test_default_redirect_hosts_are_nagads_hosted_page_hosts(keys, client):
    options = {"redirect_hosts": None}
    gateway = make_gateway(keys, client, **options)
    assert gateway.redirect_hosts == {"sandbox.mynagad.com", "api.mynagad.com"}
    with pytest.raises(GatewayError) as error:  # our own host is not one of them
        gateway.create(intent())
    assert error.value.code == "redirect_refused"


def test_sandbox_host_also_allows_our_public_host(keys, settings):
    settings.PAYMENT_PUBLIC_BASE_URL = "http://cleancare.test:8000"
    gateway = NagadGateway(
        base_url="http://sandbox.invalid/sandbox/nagad",
        merchant_private_key=keys.merchant_private,
        nagad_public_key=keys.nagad_public,
    )
    assert "cleancare.test" in gateway.redirect_hosts
    gateway._check_redirect("http://cleancare.test:8000/sandbox/nagad/pay/X/")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.mynagad.com/check-out/X", True),
        ("http://api.mynagad.com/check-out/X", False),  # live: https only
        ("https://evil.example/check-out/X", False),
        ("https://api.mynagad.com.evil.example/X", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_live_callback_url_must_be_https_on_nagad(keys, client, url, allowed):
    gateway = make_gateway(
        keys, client, base_url="https://api.mynagad.com/api/dfs", redirect_hosts=None
    )
    if allowed:
        gateway._check_redirect(url)
    else:
        with pytest.raises(GatewayError) as error:
            gateway._check_redirect(url)
        assert error.value.code == "redirect_refused"
