"""SMS backends end to end: the real clients talk HTTP to the sandbox simulators in-process."""

import logging

import httpx
import pytest
import respx
from django.core.exceptions import ImproperlyConfigured

from apps.notifications.sms import SmsError, SmsMessage, SmsReceipt, get_sms_backend
from apps.notifications.sms.bulksmsbd import BulkSmsBdBackend
from apps.notifications.sms.console import ConsoleBackend
from apps.notifications.sms.sslwireless import SslWirelessBackend
from apps.sandbox.backends import SandboxSmsBackend
from apps.sandbox.models import SandboxSms
from core.testing import DjangoClientTransport

pytestmark = pytest.mark.django_db

ISMS_URL = "http://testserver/sandbox/sms/sslwireless/api/v3"
BULKSMSBD_URL = "http://testserver/sandbox/sms/bulksmsbd/api"
PHONE = "+8801712345678"
TEXT = "Clean Care: your code is 482913. It expires in 5 minutes."
BENGALI_TEXT = "ক্লিন কেয়ার: আপনার কোড ৪৮২৯১৩"


def isms_backend(**overrides) -> SslWirelessBackend:
    options = {
        "base_url": ISMS_URL,
        "api_token": "sandbox-token",
        "sid": "CLEANCARE",
        "transport": DjangoClientTransport(),
    }
    return SslWirelessBackend(**{**options, **overrides})


def bulksmsbd_backend(**overrides) -> BulkSmsBdBackend:
    options = {
        "base_url": BULKSMSBD_URL,
        "api_key": "sandbox-key",
        "sender_id": "8809617000000",
        "transport": DjangoClientTransport(),
    }
    return BulkSmsBdBackend(**{**options, **overrides})


def message(*, phone: str = PHONE, text: str = TEXT, csms_id: str = "otp-1") -> SmsMessage:
    return SmsMessage(phone=phone, text=text, csms_id=csms_id)


# ---------------------------------------------------------------------------------------------
# SSL Wireless ISMS Plus v3
# ---------------------------------------------------------------------------------------------
def test_sslwireless_send_stores_exactly_one_outbox_row():
    receipt = isms_backend().send(message())

    row = SandboxSms.objects.get()
    assert receipt == SmsReceipt(provider="sslwireless", reference=row.reference_id)
    assert len(row.reference_id) == 32
    assert (row.provider, row.msisdn, row.phone, row.text, row.csms_id) == (
        "sslwireless",
        "8801712345678",
        PHONE,
        TEXT,
        "otp-1",
    )


def test_sslwireless_duplicate_csms_id_is_a_duplicate_receipt_and_sends_nothing():
    backend = isms_backend()
    backend.send(message())

    receipt = backend.send(message(text="a different text"))

    assert receipt == SmsReceipt(provider="sslwireless", duplicate=True)
    assert list(SandboxSms.objects.values_list("text", flat=True)) == [TEXT]


def test_sslwireless_bengali_text_round_trips():
    isms_backend().send(message(text=BENGALI_TEXT))

    assert SandboxSms.objects.get().text == BENGALI_TEXT


@pytest.mark.parametrize(
    ("backend_options", "sms", "code", "transient"),
    [
        pytest.param({"api_token": "wrong-token"}, message(), "4001", False, id="bad-token"),
        pytest.param({"sid": " "}, message(), "4002", False, id="blank-sid"),
        pytest.param({}, message(csms_id="x" * 21), "4020", False, id="csms-id-too-long"),
        pytest.param({}, message(csms_id=""), "4022", False, id="csms-id-missing"),
        pytest.param({}, message(text=""), "4022", False, id="text-missing"),
        pytest.param({}, message(phone="+8801212345678"), "4025", False, id="bad-msisdn"),
        pytest.param({}, message(text="x" * 1001), "4027", False, id="text-too-long"),
        pytest.param({}, message(phone="+8801700004026"), "4026", False, id="knob-blocked"),
        pytest.param({}, message(phone="+8801700004029"), "4029", True, id="knob-rate-limit"),
        pytest.param({}, message(phone="+8801700000000"), "5000", True, id="knob-internal"),
    ],
)
def test_sslwireless_errors_map_to_sms_error(backend_options, sms, code, transient):
    with pytest.raises(SmsError) as caught:
        isms_backend(**backend_options).send(sms)

    assert (caught.value.code, caught.value.transient) == (code, transient)
    assert not SandboxSms.objects.exists()


def test_sslwireless_takes_credentials_from_settings_and_never_logs_them(settings, caplog):
    settings.SSLWIRELESS_BASE_URL = ISMS_URL
    settings.SSLWIRELESS_API_TOKEN = "live-token-7f3a9c"
    settings.SSLWIRELESS_SID = "CLEANCAREBD"
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")
    caplog.set_level(logging.DEBUG, logger="httpcore")
    backend = SslWirelessBackend(transport=DjangoClientTransport())

    receipt = backend.send(message())
    with pytest.raises(SmsError):
        backend.send(message(phone="+8801700000000", csms_id="otp-2"))

    assert receipt.reference == SandboxSms.objects.get().reference_id
    assert "live-token-7f3a9c" not in caplog.text
    assert "482913" not in caplog.text  # the OTP travels in the text; real backends never log it
    assert "+88017*****678" in caplog.text
    assert "code=5000 transient=True" in caplog.text


@pytest.mark.parametrize("setting", ["SSLWIRELESS_API_TOKEN", "SSLWIRELESS_SID"])
def test_sslwireless_without_credentials_is_improperly_configured(settings, setting):
    settings.SSLWIRELESS_API_TOKEN = "token"
    settings.SSLWIRELESS_SID = "SID"
    setattr(settings, setting, "")

    with pytest.raises(ImproperlyConfigured, match=setting):
        get_sms_backend("sslwireless")


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (httpx.ConnectError("refused"), "connect_error"),
        (httpx.ConnectTimeout("slow"), "connect_error"),
        (httpx.ReadTimeout("slow"), "timeout"),
        (httpx.RemoteProtocolError("reset"), "network"),
    ],
)
def test_sslwireless_network_faults_are_transient(fault, code):
    # The simulator cannot drop a connection; these faults are the one thing respx fakes.
    backend = isms_backend(base_url="https://smsplus.example/api/v3", transport=None)
    with respx.mock:
        respx.post("https://smsplus.example/api/v3/send-sms").mock(side_effect=fault)
        with pytest.raises(SmsError) as caught:
            backend.send(message())

    assert (caught.value.code, caught.value.transient) == (code, True)


@pytest.mark.parametrize(
    ("status", "content", "code", "transient"),
    [
        (502, b"<html>Bad gateway</html>", "http_502", True),
        (200, b"<html>captive portal</html>", "bad_response", True),
        (404, b"Not found", "http_404", False),
    ],
)
def test_sslwireless_replies_that_are_not_isms_json(status, content, code, transient):
    # A proxy in the way answers these; the simulator always speaks ISMS JSON.
    backend = isms_backend(base_url="https://smsplus.example/api/v3", transport=None)
    with respx.mock:
        respx.post("https://smsplus.example/api/v3/send-sms").respond(status, content=content)
        with pytest.raises(SmsError) as caught:
            backend.send(message())

    assert (caught.value.code, caught.value.transient) == (code, transient)


# ---------------------------------------------------------------------------------------------
# BulkSMSBD
# ---------------------------------------------------------------------------------------------
def test_bulksmsbd_send_stores_exactly_one_outbox_row():
    receipt = bulksmsbd_backend().send(message(text=BENGALI_TEXT))

    row = SandboxSms.objects.get()
    assert receipt == SmsReceipt(provider="bulksmsbd", reference=row.reference_id)
    assert row.reference_id.isdigit()
    assert (row.provider, row.msisdn, row.phone, row.text, row.csms_id) == (
        "bulksmsbd",
        "8801712345678",
        PHONE,
        BENGALI_TEXT,
        None,
    )


@pytest.mark.parametrize(
    ("backend_options", "sms", "code", "transient"),
    [
        pytest.param({"api_key": "wrong-key"}, message(), "1011", False, id="bad-key"),
        pytest.param({"sender_id": " "}, message(), "1002", False, id="blank-senderid"),
        pytest.param({}, message(phone="+8801212345678"), "1001", False, id="bad-number"),
        pytest.param({}, message(text=""), "1003", False, id="missing-message"),
        pytest.param({}, message(phone="+8801700000000"), "1005", True, id="knob-internal"),
    ],
)
def test_bulksmsbd_errors_map_to_sms_error(backend_options, sms, code, transient):
    with pytest.raises(SmsError) as caught:
        bulksmsbd_backend(**backend_options).send(sms)

    assert (caught.value.code, caught.value.transient) == (code, transient)
    assert not SandboxSms.objects.exists()


def test_bulksmsbd_takes_credentials_from_settings_and_never_logs_them(settings, caplog):
    settings.BULKSMSBD_BASE_URL = BULKSMSBD_URL
    settings.BULKSMSBD_API_KEY = "live-key-c0ffee"
    settings.BULKSMSBD_SENDER_ID = "8809617000000"
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")

    receipt = BulkSmsBdBackend(transport=DjangoClientTransport()).send(message())

    assert receipt.reference == SandboxSms.objects.get().reference_id
    assert "live-key-c0ffee" not in caplog.text
    assert "482913" not in caplog.text


@pytest.mark.parametrize("setting", ["BULKSMSBD_API_KEY", "BULKSMSBD_SENDER_ID"])
def test_bulksmsbd_without_credentials_is_improperly_configured(settings, setting):
    settings.BULKSMSBD_API_KEY = "key"
    settings.BULKSMSBD_SENDER_ID = "8809617000000"
    setattr(settings, setting, "")

    with pytest.raises(ImproperlyConfigured, match=setting):
        get_sms_backend("bulksmsbd")


@pytest.mark.parametrize(
    ("fault", "code"),
    [(httpx.ConnectError("refused"), "connect_error"), (httpx.ReadTimeout("slow"), "timeout")],
)
def test_bulksmsbd_network_faults_are_transient(fault, code):
    backend = bulksmsbd_backend(base_url="https://bulksms.example/api", transport=None)
    with respx.mock:
        respx.post("https://bulksms.example/api/smsapi").mock(side_effect=fault)
        with pytest.raises(SmsError) as caught:
            backend.send(message())

    assert (caught.value.code, caught.value.transient) == (code, True)


def test_bulksmsbd_unreadable_success_is_final_because_it_may_have_sent():
    backend = bulksmsbd_backend(base_url="https://bulksms.example/api", transport=None)
    with respx.mock:
        respx.post("https://bulksms.example/api/smsapi").respond(200, content=b"OK")
        with pytest.raises(SmsError) as caught:
            backend.send(message())

    assert (caught.value.code, caught.value.transient) == ("bad_response", False)


# ---------------------------------------------------------------------------------------------
# Development backends
# ---------------------------------------------------------------------------------------------
def test_sandbox_backend_is_the_default_and_sends_in_process(caplog):
    caplog.set_level(logging.INFO, logger="clean_care.sms")
    backend = get_sms_backend()

    receipt = backend.send(message(text=BENGALI_TEXT))
    duplicate = backend.send(message(text=BENGALI_TEXT))

    row = SandboxSms.objects.get()
    assert isinstance(backend, SandboxSmsBackend)
    assert receipt == SmsReceipt(provider="sandbox", reference=row.reference_id)
    assert duplicate == SmsReceipt(provider="sandbox", duplicate=True)
    assert (row.provider, row.phone, row.text, row.csms_id) == (
        "sslwireless",
        PHONE,
        BENGALI_TEXT,
        "otp-1",
    )
    assert BENGALI_TEXT not in caplog.text  # the code is read from the outbox, never a log
    assert "+88017*****678" in caplog.text
    assert "sandbox-token" not in caplog.text


def test_sandbox_backend_failure_knob_is_transient():
    with pytest.raises(SmsError) as caught:
        SandboxSmsBackend().send(message(phone="+8801700000000"))

    assert (caught.value.code, caught.value.transient) == ("5000", True)
    assert not SandboxSms.objects.exists()


def test_console_backend_logs_the_whole_message_and_stores_nothing(caplog):
    caplog.set_level(logging.INFO, logger="clean_care.sms")

    receipt = get_sms_backend("console").send(message())

    assert isinstance(get_sms_backend("console"), ConsoleBackend)
    assert receipt.provider == "console"
    assert len(receipt.reference) == 32
    [record] = [r for r in caplog.records if r.name == "clean_care.sms"]
    assert record.levelno == logging.INFO
    assert PHONE in record.getMessage()
    assert "csms_id=otp-1" in record.getMessage()
    assert TEXT in record.getMessage()
    assert not SandboxSms.objects.exists()
