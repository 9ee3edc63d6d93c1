"""SMS and push clients take their transport from settings.HTTP_TRANSPORTS (core.transports).

The hosts here are ``.invalid``: a client that ignored the settings would fail to connect.
"""

from pathlib import Path

import httpx
import pytest
from django.core.cache import cache

from apps.notifications.push import PushError
from apps.notifications.push.fcm import FcmBackend
from apps.notifications.sms import SmsMessage, SmsReceipt
from apps.notifications.sms.bulksmsbd import BulkSmsBdBackend
from apps.notifications.sms.sslwireless import SslWirelessBackend
from core.transports import network_error_code

from .fcm_keys import service_account

HERE = __name__
MESSAGE = SmsMessage(phone="+8801712345678", text="Clean Care: code 482913", csms_id="otp-7")
SEEN: list[tuple[str, str]] = []  # (transport, url) of every request a settings transport got


class _Canned(httpx.BaseTransport):
    """Answers every request with one canned JSON reply and notes what it was asked."""

    status = 200
    reply: dict = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        SEEN.append((type(self).__name__, str(request.url)))
        return httpx.Response(self.status, json=self.reply, request=request)


class IsmsAnswer(_Canned):
    reply = {
        "status": "SUCCESS",
        "status_code": 200,
        "smsinfo": [{"sms_status": "SUCCESS", "reference_id": "ref-1"}],
    }


class BulkSmsAnswer(_Canned):
    reply = {"response_code": 202, "message_id": 91}


class GoogleTokenAnswer(_Canned):
    reply = {"access_token": "ya29.settings-routed", "expires_in": 3599}


class FcmAnswer(_Canned):
    reply = {"name": "projects/clean-care-test/messages/0:1"}


class Refuses(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError("the injected transport should have won")


@pytest.fixture(autouse=True)
def _fresh():
    SEEN.clear()
    cache.clear()  # no FCM access token left over from another test
    yield
    SEEN.clear()


def test_sslwireless_uses_the_transport_settings_name_for_its_host(settings):
    settings.HTTP_TRANSPORTS = {"isms.invalid": f"{HERE}.IsmsAnswer"}
    backend = SslWirelessBackend(base_url="http://isms.invalid/api/v3", api_token="t", sid="CC")

    receipt = backend.send(MESSAGE)

    assert receipt == SmsReceipt(provider="sslwireless", reference="ref-1")
    assert SEEN == [("IsmsAnswer", "http://isms.invalid/api/v3/send-sms")]


def test_bulksmsbd_uses_the_transport_settings_name_for_its_host(settings):
    settings.HTTP_TRANSPORTS = {"bulksms.invalid": f"{HERE}.BulkSmsAnswer"}
    backend = BulkSmsBdBackend(base_url="http://bulksms.invalid/api", api_key="k", sender_id="1")

    receipt = backend.send(MESSAGE)

    assert receipt == SmsReceipt(provider="bulksmsbd", reference="91")
    assert SEEN == [("BulkSmsAnswer", "http://bulksms.invalid/api/smsapi")]


def test_fcm_routes_the_token_endpoint_and_messages_send_by_their_own_hosts(settings):
    settings.HTTP_TRANSPORTS = {
        "oauth.invalid": f"{HERE}.GoogleTokenAnswer",
        "fcm.invalid": f"{HERE}.FcmAnswer",
    }
    backend = FcmBackend(
        service_account=service_account(token_uri="http://oauth.invalid/token"),
        base_url="http://fcm.invalid",
    )

    receipt = backend.send(token="device-1", title="t", body="b", data={})

    assert receipt.message_id == "projects/clean-care-test/messages/0:1"
    assert SEEN == [
        ("GoogleTokenAnswer", "http://oauth.invalid/token"),
        ("FcmAnswer", "http://fcm.invalid/v1/projects/clean-care-test/messages:send"),
    ]


def test_an_injected_transport_wins_over_settings(settings):
    settings.HTTP_TRANSPORTS = {"isms.invalid": f"{HERE}.Refuses"}
    injected = httpx.MockTransport(lambda request: IsmsAnswer().handle_request(request))
    backend = SslWirelessBackend(
        base_url="http://isms.invalid/api/v3", api_token="t", sid="CC", transport=injected
    )

    assert backend.send(MESSAGE).reference == "ref-1"
    assert SEEN == [("IsmsAnswer", "http://isms.invalid/api/v3/send-sms")]


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (httpx.ConnectError("refused"), "connect_error"),
        (httpx.PoolTimeout("busy"), "connect_error"),
        (httpx.ReadTimeout("slow"), "timeout"),
        (httpx.RemoteProtocolError("reset"), "network"),
    ],
)
def test_sms_and_push_map_a_network_fault_to_the_same_code(fault, code):
    def fail(request):
        raise fault

    assert network_error_code(fault) == code
    backend = FcmBackend(
        service_account=service_account(token_uri="http://oauth.invalid/token"),
        base_url="http://fcm.invalid",
        transport=httpx.MockTransport(fail),
    )
    with pytest.raises(PushError) as caught:
        backend.send(token="device-1", title="t", body="b", data={})
    assert (caught.value.code, caught.value.transient) == (code, True)


def test_no_sms_or_push_client_builds_its_own_httpx_client():
    """Every provider call goes through core.transports.http_client, so settings can route it."""
    root = Path(__file__).resolve().parents[1]
    for path in [*(root / "sms").glob("*.py"), *(root / "push").glob("*.py")]:
        assert "httpx.Client(" not in path.read_text(), path
