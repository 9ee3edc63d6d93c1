"""The gateway clients are wired by settings only: transport, hosts, keys and the registry."""

from decimal import Decimal

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.payments.gateways._http import gateway_request, json_object
from apps.payments.gateways.base import GatewayError, PaymentIntent
from apps.payments.gateways.bkash import BkashGateway
from apps.payments.gateways.nagad import NagadGateway
from apps.payments.gateways.registry import gateway_named
from apps.payments.gateways.sslcommerz import SslCommerzGateway

pytestmark = pytest.mark.django_db

SANDBOX_SSLCOMMERZ = "http://sandbox.invalid/sandbox/sslcommerz"


def intent() -> PaymentIntent:
    return PaymentIntent(
        reference="FEE-000001-w1",
        amount=Decimal("10.00"),
        payer_phone="+8801711000000",
        callback_url="http://testserver/api/v1/payments/callback/sslcommerz/",
        description="fee",
        method="rocket",
    )


def test_redirect_hosts_come_from_settings(settings):
    settings.BKASH_REDIRECT_HOSTS = ["pay.example"]
    settings.NAGAD_REDIRECT_HOSTS = ["nagad.example"]
    settings.SSLCOMMERZ_REDIRECT_HOSTS = ["ssl.example"]
    live = "https://api.provider.example/v1"
    assert BkashGateway(base_url=live).redirect_hosts == {"pay.example"}
    assert NagadGateway(base_url=live).redirect_hosts == {"nagad.example"}
    assert SslCommerzGateway(base_url=live).redirect_hosts == {
        "ssl.example",
        "api.provider.example",
    }


def test_our_host_is_a_redirect_only_for_a_simulator_host(settings):
    settings.PAYMENT_PUBLIC_BASE_URL = "http://cleancare.test:8000"
    assert "cleancare.test" in BkashGateway(base_url=SANDBOX_SSLCOMMERZ).redirect_hosts
    settings.PAYMENT_SIMULATOR_HOSTS = []
    assert "cleancare.test" not in BkashGateway(base_url=SANDBOX_SSLCOMMERZ).redirect_hosts


def test_the_sandbox_transport_is_reached_only_through_settings(settings):
    assert SslCommerzGateway(base_url=SANDBOX_SSLCOMMERZ).create(intent()).provider_ref
    settings.HTTP_TRANSPORTS = {}  # production: the .invalid host cannot be reached at all
    with pytest.raises(GatewayError) as caught:
        SslCommerzGateway(base_url=SANDBOX_SSLCOMMERZ).create(intent())
    assert caught.value.transient


def test_nagad_keys_come_from_settings_only(settings):
    settings.NAGAD_MERCHANT_PRIVATE_KEY = ""
    settings.NAGAD_PUBLIC_KEY = ""
    with pytest.raises(GatewayError) as caught:  # even on the sandbox host: no key store lookup
        NagadGateway(base_url="http://sandbox.invalid/sandbox/nagad")
    assert caught.value.code == "config"


def test_registry_is_the_payment_gateways_setting(settings):
    settings.PAYMENT_GATEWAYS = {**settings.PAYMENT_GATEWAYS, "other": "httpx.Client"}
    assert isinstance(gateway_named("other"), httpx.Client)
    with pytest.raises(ImproperlyConfigured):
        gateway_named("missing")


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (httpx.ConnectError("refused"), "connect_error"),
        (httpx.ReadTimeout("slow"), "timeout"),
        (httpx.RemoteProtocolError("cut"), "network"),
    ],
)
def test_shared_helper_maps_network_errors_to_transient_gateway_errors(error, code, caplog):
    def handle(request):
        raise error

    with pytest.raises(GatewayError) as caught:
        gateway_request(
            provider="sslcommerz",
            step="session",
            method="GET",
            url="https://securepay.sslcommerz.com/x?store_passwd=secret",
            timeout=1,
            transport=httpx.MockTransport(handle),
        )
    assert (caught.value.code, caught.value.transient) == (code, True)
    assert "secret" not in caplog.text


def test_shared_helper_decodes_json_objects_only():
    assert json_object(httpx.Response(200, json={"a": 1})) == {"a": 1}
    assert json_object(httpx.Response(200, json=[1])) is None
    assert json_object(httpx.Response(200, text="<html>")) is None
