"""Errors reach Sentry without phone numbers, tokens, OTPs or payment secrets (issue 13.5)."""

import gzip
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk

from core.sentry import scrub, scrub_text, sentry_init
from core.tests.sentry_urls import OTP, PHONE

# sentry-sdk 2.7x deprecates send_default_pii (for data_collection); we still say False plainly.
pytestmark = pytest.mark.filterwarnings("ignore:The send_default_pii option is deprecated")

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoiNDIifQ.c2lnbmF0dXJlLW9mLW5vdGhpbmc"
QUERY_TOKEN = "s3cr3t-query-token"
DEVICE_KEY = "sts_9f8e7d6c5b4a39281706"
OPAQUE_TOKEN = "opaque-bearer-0123456789abcdef"


class _Receiver(BaseHTTPRequestHandler):
    """Takes Sentry's envelope POSTs as sentry.io would, and keeps them decoded."""

    envelopes: list[bytes]

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        self.server.envelopes.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.envelopes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sentry_init(
        dsn=f"http://publickey@127.0.0.1:{server.server_port}/1",
        environment="drill",
        release="clean-care@test",
        traces_sample_rate=0.0,
    )
    try:
        yield server
    finally:
        sentry_sdk.get_client().close(timeout=2)
        sentry_sdk.get_global_scope().set_client(None)  # off again for the other tests
        server.shutdown()
        server.server_close()


def _events(envelopes) -> list[dict]:
    events = []
    for _path, body in envelopes:
        lines = body.split(b"\n")
        for item_header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(item_header).get("type") == "event":
                events.append(json.loads(payload))
    return events


@pytest.mark.django_db
@pytest.mark.urls("core.tests.sentry_urls")
def test_an_error_in_a_view_reaches_sentry_without_phones_tokens_or_otps(client, sentry_receiver):
    logging.getLogger("clean_care.tests").warning("about to text %s", f"+88{PHONE}")  # breadcrumb
    response = client.post(
        f"/api/v1/fail/?token={QUERY_TOKEN}&page=2",
        data={"phone": PHONE, "otp_code": OTP, "password": "hunter22", "store_passwd": "sslpw"},
        content_type="application/json",
        headers={
            "Authorization": f"Bearer {JWT}",
            "X-Device-Key": DEVICE_KEY,
            "X-Api-Key": OPAQUE_TOKEN,
        },
    )
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    sentry_sdk.flush(timeout=10)

    paths = {path for path, _body in sentry_receiver.envelopes}
    assert paths == {"/api/1/envelope/"}
    events = _events(sentry_receiver.envelopes)
    assert len(events) == 1
    event = events[0]
    assert event["environment"] == "drill"
    assert event["release"] == "clean-care@test"
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == (
        "could not verify *** with OTP *** for /api/v1/fail/?token=***&page=2"
    )
    received = b"".join(body for _path, body in sentry_receiver.envelopes).decode()
    for secret in (PHONE, PHONE[1:], OTP, JWT, QUERY_TOKEN, DEVICE_KEY, OPAQUE_TOKEN, "hunter22"):
        assert secret not in received, secret
    assert "sslpw" not in received
    assert "about to text ***" in received  # the breadcrumb arrived, masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("call +8801712345678 now", "call *** now"),
        ("call 8801712345678", "call ***"),
        ("call +880 1712-345678", "call ***"),
        ("'01912345678'", "'***'"),
        ("Authorization: Bearer abcdefgh12345678", "Authorization: Bearer ***"),
        (f"token {JWT}", "token ***"),
        ("GET /api/x/?access_token=abc&x=1", "GET /api/x/?access_token=***&x=1"),
        ("Your OTP is 123456", "Your OTP is ***"),
        ("verification code: 4821", "verification code: ***"),
        (f"key {DEVICE_KEY}", "key ***"),
        # left alone: ids, amounts, years, status codes
        ("complaint CC-20260101-00042 paid 1500.00 BDT in 2026", None),
        ("status code 500 for ward 12", None),
        ("017123", None),
    ],
)
def test_scrub_text(text, masked):
    assert scrub_text(text) == (text if masked is None else masked)


def test_scrub_masks_secret_keys_whole_and_keeps_the_rest():
    event = {
        "request": {
            "headers": {
                "Authorization": "Basic dXNlcjpwYXNz",
                "X-Device-Key": "k",
                "Accept": "*/*",
            },
            "data": {"otp_code": "123456", "code": "9999", "phone": "01712345678", "ward": 3},
            "query_string": [["token", "abc"], ["page", "2"]],
        },
        "extra": {"app_secret": "bk", "signature": "sig", "sensitiveData": "enc", "amount": "50"},
    }
    assert scrub(event) == {
        "request": {
            "headers": {"Authorization": "***", "X-Device-Key": "***", "Accept": "*/*"},
            "data": {"otp_code": "***", "code": "***", "phone": "***", "ward": 3},
            "query_string": [["token", "***"], ["page", "2"]],
        },
        "extra": {"app_secret": "***", "signature": "***", "sensitiveData": "***", "amount": "50"},
    }


def test_sentry_starts_with_the_django_and_celery_integrations_and_no_pii(sentry_receiver):
    client = sentry_sdk.get_client()
    assert {"django", "celery"} <= set(client.integrations)
    assert client.options["send_default_pii"] is False


@pytest.mark.parametrize(
    ("settings_module", "environment"),
    [
        ("clean_care.settings.local", "development"),
        ("clean_care.settings.production", "production"),
    ],
)
def test_a_dsn_in_the_environment_starts_sentry_in_every_django_process(
    settings_module, environment
):
    import os
    import subprocess
    import sys

    from core.tests.test_settings import PRODUCTION_ENV

    code = (
        "import django, sentry_sdk; django.setup(); c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options['environment'], c.options['release'], "
        "c.options['before_send'].__module__)"
    )
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SENTRY_DSN": "http://publickey@127.0.0.1:9/1",
        "SENTRY_RELEASE": "clean-care@1.2.3",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.split() == ["True", environment, "clean-care@1.2.3", "core.sentry"], (
        result.stderr
    )


def test_without_a_dsn_sentry_stays_off():
    """The test settings name no DSN (and the receiver fixture switches its client off)."""
    assert not sentry_sdk.get_client().is_active()
