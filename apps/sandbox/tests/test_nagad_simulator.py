"""The Nagad simulator checks what the real PGW checks (GATEWAYS.md §2.8) and shares its keys."""

import json
import os
import stat

import pytest

from apps.payments.gateways.nagad import (
    compact_json,
    decrypt,
    encrypt,
    load_private_key,
    load_public_key,
    sign,
    signature_ok,
)
from apps.sandbox.models import SandboxPayment
from apps.sandbox.providers.nagad import keys as key_store
from apps.sandbox.providers.nagad.keys import generate_keys, use_keys

pytestmark = pytest.mark.django_db

MERCHANT = "683002007104225"
BASE = "/sandbox/nagad"
HEADERS = {
    "HTTP_X_KM_API_VERSION": "v-0.2.0",
    "HTTP_X_KM_IP_V4": "103.4.145.2",
    "HTTP_X_KM_CLIENT_TYPE": "PC_WEB",
}


@pytest.fixture(scope="module")
def keys():
    return generate_keys()


@pytest.fixture(autouse=True)
def _simulator_keys(keys):
    with use_keys(keys):
        yield


def sealed(keys, obj, *, signer=None) -> dict:
    text = compact_json(obj)
    return {
        "sensitiveData": encrypt(text, load_public_key(keys.nagad_public)),
        "signature": sign(text, load_private_key(signer or keys.merchant_private)),
    }


def post(client, path, body, headers=HEADERS):
    return client.post(
        f"{BASE}/{path}", data=json.dumps(body), content_type="application/json", **headers
    )


def initialize(client, keys, order_id="CC1001", *, merchant=MERCHANT, signer=None, inner=None):
    obj = {
        "merchantId": MERCHANT,
        "datetime": "20260105143012",
        "orderId": order_id,
        "challenge": "a" * 40,
        **(inner or {}),
    }
    body = {"dateTime": "20260105143012", **sealed(keys, obj, signer=signer)}
    return post(client, f"check-out/initialize/{merchant}/{order_id}", body)


def opened(keys, response) -> dict:
    body = response.json()
    text = decrypt(body["sensitiveData"], load_private_key(keys.merchant_private))
    assert signature_ok(text, body["signature"], load_public_key(keys.nagad_public))
    return json.loads(text)


def complete(client, keys, answer, *, amount="50.00", challenge=None, order_id="CC1001"):
    obj = {
        "merchantId": MERCHANT,
        "orderId": order_id,
        "currencyCode": "050",
        "amount": amount,
        "challenge": challenge or answer["challenge"],
    }
    body = {
        **sealed(keys, obj),
        "merchantCallbackURL": "http://testserver/cb/?x=1",
        "additionalMerchantInfo": {},
    }
    return post(client, f"check-out/complete/{answer['paymentReferenceId']}", body)


def test_initialize_answers_encrypted_and_signed(client, keys):
    response = initialize(client, keys)
    assert response.status_code == 200
    answer = opened(keys, response)
    assert set(answer) == {"paymentReferenceId", "challenge", "acceptDateTime"}
    row = SandboxPayment.objects.get(provider="nagad")
    assert row.provider_ref == answer["paymentReferenceId"]
    assert row.our_reference == "CC1001"


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"merchant": "999"}, "INVALID_MERCHANT"),
        ({"inner": {"merchantId": "999"}}, "INVALID_MERCHANT"),
        ({"inner": {"orderId": "OTHER"}}, "INVALID_ORDER_ID"),
        ({"signer": "wrong"}, "INVALID_SIGNATURE"),
    ],
)
def test_initialize_refusals(client, keys, kwargs, reason):
    if kwargs.get("signer") == "wrong":
        kwargs = {"signer": generate_keys().merchant_private}
    response = initialize(client, keys, **kwargs)
    assert response.status_code == 400
    assert response.json()["reason"] == reason
    assert response.json()["message"]


def test_headers_are_required(client, keys):
    response = post(client, f"check-out/initialize/{MERCHANT}/CC1", {}, headers={})
    assert response.json()["reason"] == "INVALID_API_VERSION"


def test_duplicate_order_id_is_refused(client, keys):
    initialize(client, keys)
    assert initialize(client, keys).json()["reason"] == "DUPLICATE_ORDER_ID"


def test_complete_insists_on_its_own_challenge(client, keys):
    answer = opened(keys, initialize(client, keys))
    response = complete(client, keys, answer, challenge="a" * 40)  # ours, not Nagad's
    assert response.status_code == 400
    assert response.json()["reason"] == "INVALID_CHALLENGE"
    ok = complete(client, keys, answer)
    assert ok.json()["status"] == "Success"
    assert ok.json()["callBackUrl"].endswith(f"/sandbox/nagad/pay/{answer['paymentReferenceId']}/")
    again = complete(client, keys, answer)
    assert again.json()["reason"] == "INVALID_STATE"


@pytest.mark.parametrize(
    "amount",
    ["0", "-5", "1.234", "abc", "NaN", "sNaN", "Infinity", "12345678901.00", "1E+20", "1E+100000"],
)
def test_complete_refuses_bad_amounts(client, keys, amount):
    answer = opened(keys, initialize(client, keys))
    assert complete(client, keys, answer, amount=amount).json()["reason"] == "INVALID_AMOUNT"


def test_hosted_page_and_callback_chain(client, keys):
    answer = opened(keys, initialize(client, keys))
    complete(client, keys, answer, amount="75.50")
    page_path = f"{BASE}/pay/{answer['paymentReferenceId']}/"
    page = client.get(page_path).content.decode()
    assert "75.50" in page
    assert "পরিশোধ" in page
    assert "Pay" in page
    assert "Cancel" in page

    response = client.post(page_path, {"action": "approve"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("http://testserver/cb/?x=1&")
    assert f"payment_ref_id={answer['paymentReferenceId']}" in location
    assert "status=Success" in location
    assert "order_id=CC1001" in location

    verify = client.get(f"{BASE}/verify/payment/{answer['paymentReferenceId']}").json()
    assert verify["status"] == "Success"
    assert verify["statusCode"] == "000"
    assert verify["amount"] == "75.50"
    assert verify["orderId"] == "CC1001"
    assert verify["merchantId"] == MERCHANT
    assert verify["issuerPaymentRefNo"]

    # The customer cannot pay twice.
    assert client.post(page_path, {"action": "approve"}).status_code == 409
    assert client.post(page_path, {"action": "steal"}).status_code == 400


def test_unknown_payment(client):
    assert client.get(f"{BASE}/verify/payment/MDkNOPE").status_code == 404
    assert client.get(f"{BASE}/pay/MDkNOPE/").status_code == 404
    assert client.get(f"{BASE}/check-out/nothing").status_code == 404


def test_key_store_persists_once_with_private_permissions(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(key_store, "_cached", None)
    first = key_store.sandbox_keys()
    path = tmp_path / "sandbox" / key_store.FILE_NAME
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "PRIVATE KEY" not in repr(first)

    monkeypatch.setattr(key_store, "_cached", None)  # another process
    assert key_store.sandbox_keys() == first


@pytest.mark.parametrize(
    "path",
    [
        "verify/payment/MDk%00AB",
        f"check-out/initialize/{MERCHANT}/CC%001",
        "check-out/complete/MDk%00AB",
    ],
)
def test_nul_in_ids_is_a_nagad_error_not_a_500(client, keys, path):
    if path.startswith("verify"):
        response = client.get(f"{BASE}/{path}")
    else:
        response = post(client, path, {"dateTime": "20260105143012"})
    assert response.status_code in (400, 404)
    assert response.json()["reason"]
    assert response.json()["message"]


def test_nul_in_the_hosted_page_id_is_not_a_500(client):
    assert client.get(f"{BASE}/pay/MDk%00AB/").status_code == 404
    assert client.post(f"{BASE}/pay/MDk%00AB/", {"action": "approve"}).status_code == 404


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_X_FORWARDED_FOR": "\u00e9\u00e8"},
        {"HTTP_USER_AGENT": "Mozilla \u09a8\u0997\u09a6"},
        {"HTTP_X_KM_CLIENT_TYPE": "PC_WEB\u00e9"},
    ],
)
def test_non_ascii_request_headers_are_not_a_500(client, keys, extra):
    response = post(
        client, f"check-out/initialize/{MERCHANT}/CC1", {}, headers={**HEADERS, **extra}
    )
    assert response.status_code == 400
    assert response.json()["reason"] in ("INVALID_REQUEST", "INVALID_SIGNATURE")
