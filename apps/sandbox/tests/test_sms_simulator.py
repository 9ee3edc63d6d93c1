"""The SMS simulators speak the providers' wire contracts; the outbox shows what they received."""

import json

import pytest

from apps.sandbox.models import SandboxSms
from apps.sandbox.sms import sandbox_outbox

pytestmark = pytest.mark.django_db

ISMS_SEND = "/sandbox/sms/sslwireless/api/v3/send-sms"
BULKSMSBD_SEND = "/sandbox/sms/bulksmsbd/api/smsapi"
OUTBOX = "/sandbox/sms/outbox/"
BENGALI_TEXT = "ক্লিন কেয়ার: আপনার কোড ৪৮২৯১৩"


def isms_payload(**overrides) -> dict:
    payload = {
        "api_token": "sandbox-token",
        "sid": "CLEANCARE",
        "msisdn": "8801712345678",
        "sms": "Your code is 482913",
        "csms_id": "otp-1",
    }
    return {**payload, **overrides}


def post_isms(client, payload):
    return client.post(ISMS_SEND, data=json.dumps(payload), content_type="application/json")


def bulksmsbd_form(**overrides) -> dict:
    form = {
        "api_key": "sandbox-key",
        "type": "text",
        "number": "8801712345678",
        "senderid": "8809617000000",
        "message": "Your code is 482913",
    }
    return {**form, **overrides}


# ---------------------------------------------------------------------------------------------
# SSL Wireless ISMS Plus v3
# ---------------------------------------------------------------------------------------------
def test_isms_success_answers_the_documented_body_and_stores_the_sms(client):
    response = post_isms(client, isms_payload())

    row = SandboxSms.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "status": "SUCCESS",
        "status_code": 200,
        "error_message": "",
        "smsinfo": [
            {
                "sms_status": "SUCCESS",
                "status_message": "Success",
                "msisdn": "8801712345678",
                "sms_type": "EN",
                "sms_body": "Your code is 482913",
                "csms_id": "otp-1",
                "reference_id": row.reference_id,
            }
        ],
    }
    assert (row.provider, row.phone, row.msisdn, row.csms_id) == (
        "sslwireless",
        "+8801712345678",
        "8801712345678",
        "otp-1",
    )


def test_isms_bengali_text_is_sms_type_bn_and_round_trips_unescaped(client):
    response = post_isms(client, isms_payload(sms=BENGALI_TEXT))

    [info] = response.json()["smsinfo"]
    assert (info["sms_type"], info["sms_body"]) == ("BN", BENGALI_TEXT)
    assert BENGALI_TEXT.encode() in response.content  # ensure_ascii=False
    assert SandboxSms.objects.get().text == BENGALI_TEXT


def test_isms_accepts_get_with_query_parameters(client):
    response = client.get(ISMS_SEND, isms_payload())

    assert response.json()["status"] == "SUCCESS"
    assert SandboxSms.objects.get().csms_id == "otp-1"


def test_isms_accepts_the_configured_live_token(client, settings):
    settings.SSLWIRELESS_API_TOKEN = "live-token"

    response = post_isms(client, isms_payload(api_token="live-token"))

    assert response.json()["status"] == "SUCCESS"


def test_isms_duplicate_csms_id_is_4023_and_stores_nothing(client):
    post_isms(client, isms_payload())

    response = post_isms(client, isms_payload(sms="another text"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "FAILED",
        "status_code": 4023,
        "error_message": "Duplicate csms_id",
        "smsinfo": [],
    }
    assert list(SandboxSms.objects.values_list("text", flat=True)) == ["Your code is 482913"]


def test_isms_same_csms_id_on_bulksmsbd_does_not_clash(client):
    post_isms(client, isms_payload())

    response = client.post(BULKSMSBD_SEND, bulksmsbd_form())

    assert response.json()["response_code"] == 202
    assert SandboxSms.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "http_status", "code"),
    [
        pytest.param({"api_token": "wrong"}, 200, 4001, id="bad-token"),
        pytest.param({"api_token": ""}, 200, 4001, id="no-token"),
        pytest.param({"sid": ""}, 200, 4002, id="no-sid"),
        pytest.param({"msisdn": ""}, 200, 4022, id="no-msisdn"),
        pytest.param({"sms": ""}, 200, 4022, id="no-sms"),
        pytest.param({"csms_id": ""}, 200, 4022, id="no-csms-id"),
        pytest.param({"csms_id": "x" * 21}, 200, 4020, id="csms-id-too-long"),
        pytest.param({"msisdn": "01712345678"}, 200, 4025, id="msisdn-local-form"),
        pytest.param({"msisdn": "8801212345678"}, 200, 4025, id="msisdn-bad-operator"),
        pytest.param({"sms": "x" * 1001}, 200, 4027, id="sms-too-long"),
        pytest.param({"msisdn": 8801712345678}, 200, 4004, id="msisdn-not-a-string"),
        pytest.param({"msisdn": "8801700004026"}, 200, 4026, id="knob-blocked"),
        pytest.param({"msisdn": "8801700004029"}, 200, 4029, id="knob-rate-limit"),
        pytest.param({"msisdn": "8801700000000"}, 500, 5000, id="knob-internal-error"),
    ],
)
def test_isms_errors(client, overrides, http_status, code):
    response = post_isms(client, isms_payload(**overrides))

    assert response.status_code == http_status
    body = response.json()
    assert (body["status"], body["status_code"], body["smsinfo"]) == ("FAILED", code, [])
    assert body["error_message"]
    assert not SandboxSms.objects.exists()


def test_isms_sms_of_exactly_1000_chars_is_accepted(client):
    response = post_isms(client, isms_payload(sms="x" * 1000))

    assert response.json()["status"] == "SUCCESS"


def test_isms_malformed_json_is_4004(client):
    response = client.post(ISMS_SEND, data=b"{not json", content_type="application/json")

    assert response.json()["status_code"] == 4004
    assert not SandboxSms.objects.exists()


def test_isms_rejects_other_methods(client):
    assert client.put(ISMS_SEND).status_code == 405


# ---------------------------------------------------------------------------------------------
# BulkSMSBD
# ---------------------------------------------------------------------------------------------
def test_bulksmsbd_success_answers_202_with_an_integer_message_id(client):
    response = client.post(BULKSMSBD_SEND, bulksmsbd_form(message=BENGALI_TEXT))

    body = response.json()
    row = SandboxSms.objects.get()
    assert response.status_code == 200
    assert body == {
        "response_code": 202,
        "message_id": body["message_id"],
        "success_message": "SMS Submitted Successfully",
        "error_message": "",
    }
    assert isinstance(body["message_id"], int)
    assert (row.provider, row.phone, row.text, row.csms_id, row.reference_id) == (
        "bulksmsbd",
        "+8801712345678",
        BENGALI_TEXT,
        None,
        str(body["message_id"]),
    )


def test_bulksmsbd_accepts_query_parameters_and_several_numbers(client):
    response = client.get(BULKSMSBD_SEND, bulksmsbd_form(number="8801712345678,8801812345678"))

    message_id = str(response.json()["message_id"])
    assert sorted(SandboxSms.objects.values_list("phone", "reference_id")) == [
        ("+8801712345678", message_id),
        ("+8801812345678", message_id),
    ]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        pytest.param({"api_key": ""}, 1003, id="no-key"),
        pytest.param({"message": ""}, 1003, id="no-message"),
        pytest.param({"number": ""}, 1003, id="no-number"),
        pytest.param({"type": "binary"}, 1003, id="bad-type"),
        pytest.param({"api_key": "wrong"}, 1011, id="bad-key"),
        pytest.param({"senderid": ""}, 1002, id="no-senderid"),
        pytest.param({"number": "01712345678"}, 1001, id="local-form-number"),
        pytest.param({"number": "8801712345678,88017"}, 1001, id="one-bad-number"),
        pytest.param({"number": "8801700000000"}, 1005, id="knob-internal-error"),
    ],
)
def test_bulksmsbd_errors(client, overrides, code):
    response = client.post(BULKSMSBD_SEND, bulksmsbd_form(**overrides))

    body = response.json()
    assert response.status_code == 200
    assert (body["response_code"], body["success_message"]) == (code, "")
    assert body["error_message"]
    assert not SandboxSms.objects.exists()


def test_bulksmsbd_accepts_the_configured_live_key(client, settings):
    settings.BULKSMSBD_API_KEY = "live-key"

    response = client.post(BULKSMSBD_SEND, bulksmsbd_form(api_key="live-key"))

    assert response.json()["response_code"] == 202


# ---------------------------------------------------------------------------------------------
# Outbox
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["01712345678", "8801712345678", "+8801712345678"])
def test_outbox_lists_a_phones_sms_newest_first_in_any_spelling(client, spelling):
    post_isms(client, isms_payload(csms_id="otp-1", sms="first"))
    post_isms(client, isms_payload(csms_id="otp-2", sms="second"))
    post_isms(client, isms_payload(csms_id="otp-3", msisdn="8801812345678", sms="other phone"))

    response = client.get(OUTBOX, {"phone": spelling})

    second, first = SandboxSms.objects.filter(phone="+8801712345678").order_by("-created_at")
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "latest_code": None,  # "second" holds no code
        "results": [
            {
                "id": str(sms.id),
                "phone": "+8801712345678",
                "text": sms.text,
                "csms_id": sms.csms_id,
                "provider": "sslwireless",
                "created_at": sms.created_at.isoformat(),
            }
            for sms in (second, first)
        ],
    }
    assert [result["text"] for result in response.json()["results"]] == ["second", "first"]


def test_outbox_without_phone_is_400(client):
    response = client.get(OUTBOX)

    assert response.status_code == 400
    assert response.json() == {
        "error": "The phone query parameter is required.",
        "code": "validation_error",
        "details": {"phone": ["The phone query parameter is required."]},
    }


def test_outbox_of_an_invalid_phone_is_empty(client):
    post_isms(client, isms_payload())

    response = client.get(OUTBOX, {"phone": "12345"})

    assert response.json() == {"count": 0, "latest_code": None, "results": []}


def test_outbox_selector_limits_and_ignores_none():
    for index in range(3):
        SandboxSms.objects.create(
            provider="sslwireless",
            msisdn="8801712345678",
            phone="+8801712345678",
            text=f"text {index}",
            csms_id=f"otp-{index}",
            reference_id=f"ref-{index}",
        )

    assert [sms.text for sms in sandbox_outbox("01712345678", limit=2)] == ["text 2", "text 1"]
    assert list(sandbox_outbox(None)) == []
