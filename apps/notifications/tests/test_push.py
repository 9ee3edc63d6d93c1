"""Push backends: the real FCM v1 client talks HTTP to the sandbox simulator in-process."""

import json
import logging

import httpx
import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from apps.notifications.push import PushError, PushReceipt, get_push_backend, token_ref
from apps.notifications.push.console import ConsoleBackend
from apps.notifications.push.fcm import FcmBackend, load_service_account, parse_send_response
from apps.sandbox.backends import SandboxPushBackend
from apps.sandbox.fcm import fcm_revoke_access_token
from apps.sandbox.models import SandboxPush
from core.crypto import unseal
from core.testing import DjangoClientTransport

from .fcm_keys import CLIENT_EMAIL, FCM_BASE_URL, PROJECT_ID, TOKEN_URI, key_pair, service_account

pytestmark = pytest.mark.django_db

DEVICE = "fcm-device-0001:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx"
DATA = {"complaint_id": "4f1c", "tracking_number": "CC202611230001"}


class CountingTransport(httpx.BaseTransport):
    """DjangoClientTransport that remembers the paths it was asked for."""

    def __init__(self):
        self.inner = DjangoClientTransport()
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return self.inner.handle_request(request)

    def count(self, suffix: str) -> int:
        return sum(path.endswith(suffix) for path in self.paths)


@pytest.fixture(autouse=True)
def _simulator_checks_signatures(settings):
    settings.SANDBOX_FCM_PUBLIC_KEY = key_pair()[1]


@pytest.fixture
def transport():
    return CountingTransport()


def fcm(transport, **account) -> FcmBackend:
    return FcmBackend(
        service_account=service_account(**account), base_url=FCM_BASE_URL, transport=transport
    )


def push(backend, token=DEVICE):
    return backend.send(
        token=token, title="Complaint updated", body="It is in progress.", data=DATA
    )


def cached_access_token(backend) -> str:
    return unseal(cache.get(backend._cache_key))


# ---------------------------------------------------------------------------------------------
# FCM HTTP v1 client
# ---------------------------------------------------------------------------------------------
def test_fcm_sends_the_v1_message_and_fetches_the_access_token_once(transport):
    backend = fcm(transport)

    first = push(backend)
    second = push(backend, token=DEVICE + "-2")

    rows = list(SandboxPush.objects.order_by("created_at"))
    assert [r.message_id for r in rows] == [first.message_id, second.message_id]
    assert first == PushReceipt(provider="fcm", message_id=rows[0].message_id)
    assert first.message_id.startswith(f"projects/{PROJECT_ID}/messages/")
    assert (rows[0].project_id, rows[0].token, rows[0].title, rows[0].body, rows[0].data) == (
        PROJECT_ID,
        DEVICE,
        "Complaint updated",
        "It is in progress.",
        DATA,
    )
    assert transport.count("/sandbox/fcm/token") == 1
    assert transport.count(f"/v1/projects/{PROJECT_ID}/messages:send") == 2


def test_the_cached_access_token_is_sealed_and_shared_by_backend_instances(transport):
    push(fcm(transport))
    again = fcm(transport)

    push(again)

    assert transport.count("/sandbox/fcm/token") == 1
    raw = cache.get(again._cache_key)
    assert raw.startswith("gAAAA")  # Fernet: the cache never holds the bearer in the clear
    assert cached_access_token(again).startswith("ya29.sandbox.")


def test_a_rejected_access_token_is_renewed_once_and_the_send_succeeds(transport):
    backend = fcm(transport)
    push(backend)
    stale = cached_access_token(backend)
    fcm_revoke_access_token(stale)  # FCM now answers 401 UNAUTHENTICATED to it

    receipt = push(backend)

    assert receipt.message_id == SandboxPush.objects.latest("created_at").message_id
    assert transport.count("/sandbox/fcm/token") == 2
    assert transport.count("messages:send") == 3
    assert cached_access_token(backend) != stale


@pytest.mark.parametrize(
    ("token", "code", "transient", "token_invalid"),
    [
        pytest.param("unregistered-phone", "UNREGISTERED", False, True, id="unregistered"),
        pytest.param("invalid-phone", "INVALID_ARGUMENT", False, True, id="bad-token"),
        pytest.param("unavailable-phone", "UNAVAILABLE", True, False, id="unavailable"),
        pytest.param("quota-phone", "QUOTA_EXCEEDED", True, False, id="quota"),
        pytest.param("internal-phone", "INTERNAL", True, False, id="internal"),
    ],
)
def test_fcm_errors_map_to_push_error(transport, token, code, transient, token_invalid):
    with pytest.raises(PushError) as caught:
        push(fcm(transport), token=token)

    error = caught.value
    assert (error.code, error.transient, error.token_invalid) == (code, transient, token_invalid)
    assert not SandboxPush.objects.exists()


def test_an_assertion_signed_with_another_key_is_refused_and_nothing_is_sent(transport):
    backend = fcm(transport, private_key=key_pair("stranger")[0])

    with pytest.raises(PushError) as caught:
        push(backend)

    assert (caught.value.code, caught.value.transient) == ("oauth_invalid_grant", False)
    assert transport.count("messages:send") == 0
    assert cache.get(backend._cache_key) is None


def test_network_faults_are_transient():
    def refuse(request):
        raise httpx.ConnectError("connection refused")

    with pytest.raises(PushError) as caught:
        push(fcm(httpx.MockTransport(refuse)))

    assert (caught.value.code, caught.value.transient) == ("connect_error", True)


def test_retry_after_from_fcm_is_passed_on():
    def busy(request):
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"access_token": "ya29.x", "expires_in": 3599})
        error = {"code": 503, "message": "busy", "status": "UNAVAILABLE"}
        return httpx.Response(503, json={"error": error}, headers={"Retry-After": "120"})

    with pytest.raises(PushError) as caught:
        push(fcm(httpx.MockTransport(busy)))

    assert (caught.value.code, caught.value.transient, caught.value.retry_after) == (
        "UNAVAILABLE",
        True,
        120.0,
    )


@pytest.mark.parametrize(
    ("status", "body", "code", "transient", "token_invalid"),
    [
        pytest.param(
            400,
            {
                "error": {
                    "code": 400,
                    "message": "Invalid value at 'message.data[0].value' (TYPE_STRING), 12",
                    "status": "INVALID_ARGUMENT",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.rpc.BadRequest",
                            "fieldViolations": [{"field": "message.data[0].value"}],
                        }
                    ],
                }
            },
            "INVALID_ARGUMENT",
            False,
            False,
            id="our-bad-payload-keeps-the-token",
        ),
        pytest.param(
            403,
            {
                "error": {
                    "code": 403,
                    "message": "SenderId mismatch",
                    "status": "PERMISSION_DENIED",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                            "errorCode": "SENDER_ID_MISMATCH",
                        }
                    ],
                }
            },
            "SENDER_ID_MISMATCH",
            False,
            True,
            id="another-projects-token",
        ),
        pytest.param(
            401,
            {"error": {"code": 401, "message": "x", "status": "UNAUTHENTICATED"}},
            "UNAUTHENTICATED",
            False,
            False,
            id="still-unauthenticated",
        ),
        pytest.param(502, None, "http_502", True, False, id="proxy-error-page"),
        pytest.param(404, None, "http_404", False, False, id="wrong-base-url"),
        pytest.param(200, {"unexpected": True}, "bad_response", False, False, id="garbled-2xx"),
    ],
)
def test_replies_map_to_push_errors(status, body, code, transient, token_invalid):
    with pytest.raises(PushError) as caught:
        parse_send_response(status, body)

    error = caught.value
    assert (error.code, error.transient, error.token_invalid) == (code, transient, token_invalid)


def test_secrets_never_reach_the_logs(transport, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")
    caplog.set_level(logging.DEBUG, logger="httpcore")
    backend = fcm(transport)

    push(backend)
    access_token = cached_access_token(backend)
    fcm_revoke_access_token(access_token)
    push(backend)
    with pytest.raises(PushError):
        push(backend, token="unregistered-" + DEVICE)

    private_key_body = key_pair()[0].splitlines()[1]
    for secret in (private_key_body, access_token, cached_access_token(backend), DEVICE):
        assert secret not in caplog.text
    assert "assertion" not in caplog.text
    assert token_ref(DEVICE) in caplog.text
    assert "code=UNREGISTERED transient=False token_invalid=True" in caplog.text
    assert "private_key" not in repr(backend)
    assert "BEGIN" not in repr(backend)


# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------
def test_the_service_account_comes_from_the_json_or_the_file(settings, tmp_path):
    account = service_account()
    key_file = tmp_path / "firebase-adminsdk.json"
    key_file.write_text(json.dumps(account))

    settings.FCM_SERVICE_ACCOUNT_JSON, settings.FCM_SERVICE_ACCOUNT_FILE = json.dumps(account), ""
    assert load_service_account() == account
    settings.FCM_SERVICE_ACCOUNT_JSON, settings.FCM_SERVICE_ACCOUNT_FILE = "", str(key_file)
    assert load_service_account() == account
    backend = get_push_backend("fcm")
    assert (backend.project_id, backend.client_email, backend.token_uri) == (
        PROJECT_ID,
        CLIENT_EMAIL,
        TOKEN_URI,
    )


@pytest.mark.parametrize(
    ("raw", "file", "message"),
    [
        ("", "", "FCM_SERVICE_ACCOUNT_FILE or FCM_SERVICE_ACCOUNT_JSON"),
        ("", "/nonexistent/key.json", "FCM_SERVICE_ACCOUNT_FILE cannot be read"),
        ("not json", "", "FCM_SERVICE_ACCOUNT_JSON is not a JSON object"),
        ('{"client_email": "a@b"}', "", "lacks private_key, project_id"),
    ],
)
def test_a_missing_or_broken_service_account_is_improperly_configured(settings, raw, file, message):
    settings.FCM_SERVICE_ACCOUNT_JSON, settings.FCM_SERVICE_ACCOUNT_FILE = raw, file

    with pytest.raises(ImproperlyConfigured, match=message):
        get_push_backend("fcm")


def test_a_private_key_that_is_not_pem_is_refused_without_echoing_it():
    with pytest.raises(ImproperlyConfigured) as caught:
        FcmBackend(service_account=service_account(private_key="s3cr3t-not-a-key"))

    assert "s3cr3t" not in str(caught.value)


def test_an_unknown_push_backend_is_improperly_configured():
    with pytest.raises(ImproperlyConfigured, match="PUSH_BACKEND='pigeon'"):
        get_push_backend("pigeon")


# ---------------------------------------------------------------------------------------------
# Sandbox and console backends
# ---------------------------------------------------------------------------------------------
def test_sandbox_backend_is_the_default_and_sends_the_fcm_message_in_process():
    backend = get_push_backend()

    receipt = push(backend)

    assert isinstance(backend, SandboxPushBackend)
    row = SandboxPush.objects.get()
    assert receipt == PushReceipt(provider="sandbox", message_id=row.message_id)
    assert (row.project_id, row.token, row.data) == ("clean-care-sandbox", DEVICE, DATA)


def test_sandbox_backend_failure_knob_is_a_dead_token():
    with pytest.raises(PushError) as caught:
        push(SandboxPushBackend(), token="unregistered-x")

    assert caught.value.token_invalid


def test_console_backend_logs_the_notification_but_not_the_token(caplog):
    caplog.set_level(logging.INFO, logger="clean_care.push")

    receipt = push(ConsoleBackend())

    assert receipt.provider == "console"
    assert "Complaint updated" in caplog.text
    assert DEVICE not in caplog.text
    assert not SandboxPush.objects.exists()
