"""The bKash simulator's wire contract, over HTTP through Django's test client."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client

from apps.sandbox.models import SandboxPayment
from apps.sandbox.providers.bkash import expire_tokens

pytestmark = pytest.mark.django_db

API = "/sandbox/bkash/v1.2.0-beta/tokenized/checkout/"


def post(client, op, body, **headers):
    return client.post(API + op, body, content_type="application/json", headers=headers)


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def token(client, settings):
    response = post(
        client,
        "token/grant",
        {"app_key": settings.BKASH_APP_KEY, "app_secret": settings.BKASH_APP_SECRET},
        username=settings.BKASH_USERNAME,
        password=settings.BKASH_PASSWORD,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["statusCode"] == "0000"
    assert body["expires_in"] == 3600
    assert body["token_type"] == "Bearer"
    assert body["refresh_token"]
    return body


def auth(token, settings, bearer=False):
    value = ("Bearer " if bearer else "") + token["id_token"]
    return {"Authorization": value, "X-APP-Key": settings.BKASH_APP_KEY}


def create(client, token, settings, amount="599.00", payer="01711000000", invoice="INV-1"):
    body = {
        "mode": "0011",
        "payerReference": payer,
        "callbackURL": "https://app.example/cb",
        "amount": amount,
        "currency": "BDT",
        "intent": "sale",
        "merchantInvoiceNumber": invoice,
    }
    return post(client, "create", body, **auth(token, settings)).json()


def test_grant_checks_credentials(client, settings):
    creds = {"app_key": settings.BKASH_APP_KEY, "app_secret": settings.BKASH_APP_SECRET}
    bad = post(client, "token/grant", creds, username=settings.BKASH_USERNAME, password="nope")
    assert bad.status_code == 401
    wrong_secret = post(
        client,
        "token/grant",
        {**creds, "app_secret": "nope"},
        username=settings.BKASH_USERNAME,
        password=settings.BKASH_PASSWORD,
    )
    assert wrong_secret.json()["statusCode"] == "2001"


def test_calls_need_a_live_token_raw_or_bearer(client, token, settings):
    assert post(client, "payment/status", {"paymentID": "x"}).status_code == 401
    wrong_key = {**auth(token, settings), "X-APP-Key": "other"}
    assert post(client, "payment/status", {"paymentID": "x"}, **wrong_key).status_code == 401
    for bearer in (False, True):
        answer = post(client, "payment/status", {"paymentID": "x"}, **auth(token, settings, bearer))
        assert answer.status_code == 200
        assert answer.json()["statusCode"] == "2002"
    expire_tokens()
    assert (
        post(client, "payment/status", {"paymentID": "x"}, **auth(token, settings)).status_code
        == 401
    )
    refreshed = post(
        client,
        "token/refresh",
        {
            "app_key": settings.BKASH_APP_KEY,
            "app_secret": settings.BKASH_APP_SECRET,
            "refresh_token": token["refresh_token"],
        },
        username=settings.BKASH_USERNAME,
        password=settings.BKASH_PASSWORD,
    ).json()
    assert refreshed["statusCode"] == "0000"
    assert (
        post(client, "payment/status", {"paymentID": "x"}, **auth(refreshed, settings)).json()[
            "statusCode"
        ]
        == "2002"
    )


def test_create_shape_and_duplicate_invoice(client, token, settings):
    body = create(client, token, settings)
    assert body["statusCode"] == "0000"
    assert body["transactionStatus"] == "Initiated"
    assert body["paymentID"].startswith("TR0011")
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d:\d{3} GMT\+0600", body["paymentCreateTime"]
    )
    assert body["amount"] == "599.00"
    assert body["merchantInvoiceNumber"] == "INV-1"
    assert body["successCallbackURL"].startswith("https://app.example/cb?paymentID=")
    assert "status=success" in body["successCallbackURL"]
    assert create(client, token, settings)["statusCode"] == "2029"
    assert create(client, token, settings, amount="1.234", invoice="INV-2")["statusCode"] == "2006"


def test_hosted_page_approve_moves_no_money_execute_does_once(client, token, settings):
    created = create(client, token, settings)
    page_path = urlsplit(created["bkashURL"]).path
    page = client.get(page_path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "599.00" in html
    assert "পরিমাণ" in html
    assert "Amount" in html
    assert 'value="approve"' in html
    assert 'value="decline"' in html
    assert 'value="cancel"' in html
    redirect = client.post(page_path, {"action": "approve"})
    assert redirect.status_code == 302
    params = dict(parse_qsl(urlsplit(redirect["Location"]).query))
    assert params["status"] == "success"
    assert params["paymentID"] == created["paymentID"]
    assert len(params["signature"]) == 10
    assert params["apiVersion"] == "1.2.0-beta"
    status = post(
        client, "payment/status", {"paymentID": created["paymentID"]}, **auth(token, settings)
    )
    assert status.json()["transactionStatus"] == "Initiated"
    assert "trxID" not in status.json()
    executed = post(client, "execute", {"paymentID": created["paymentID"]}, **auth(token, settings))
    body = executed.json()
    assert body["transactionStatus"] == "Completed"
    assert body["trxID"]
    assert body["maxRefundableAmount"] == "599.00"
    again = post(client, "execute", {"paymentID": created["paymentID"]}, **auth(token, settings))
    assert again.json()["statusCode"] == "2062"
    status = post(
        client, "payment/status", {"paymentID": created["paymentID"]}, **auth(token, settings)
    )
    assert status.json()["merchantInvoice"] == "INV-1"
    assert status.json()["trxID"] == body["trxID"]
    found = post(
        client, "general/searchTransaction", {"trxID": body["trxID"]}, **auth(token, settings)
    )
    assert found.json()["transactionStatus"] == "Completed"


def test_execute_before_approval_is_invalid_state(client, token, settings):
    created = create(client, token, settings)
    answer = post(client, "execute", {"paymentID": created["paymentID"]}, **auth(token, settings))
    assert answer.json()["statusCode"] == "2056"


def test_hosted_page_decline_and_unknown(client, token, settings):
    created = create(client, token, settings)
    page_path = urlsplit(created["bkashURL"]).path
    redirect = client.post(page_path, {"action": "decline"})
    assert "status=failure" in redirect["Location"]
    assert SandboxPayment.objects.get(provider_ref=created["paymentID"]).state == "failed"
    assert client.get("/sandbox/bkash/pay/TR0011NOPE/").status_code == 404
    assert client.post(page_path, {"action": "steal"}).status_code == 400


def test_refund_routing_by_body(client, token, settings):
    created = create(client, token, settings, amount="100.00")
    client.post(urlsplit(created["bkashURL"]).path, {"action": "approve"})
    trx = post(
        client, "execute", {"paymentID": created["paymentID"]}, **auth(token, settings)
    ).json()["trxID"]
    ids = {"paymentID": created["paymentID"], "trxID": trx}
    assert (
        post(client, "payment/refund", ids, **auth(token, settings)).json()["statusCode"] == "2127"
    )
    refund = post(
        client,
        "payment/refund",
        {**ids, "amount": "30.00", "sku": "RF-1", "reason": "partial"},
        **auth(token, settings),
    ).json()
    assert refund["transactionStatus"] == "Completed"
    assert refund["originalTrxID"] == trx
    assert refund["charge"] == "0.00"
    too_much = post(
        client,
        "payment/refund",
        {**ids, "amount": "70.01", "sku": "RF-2", "reason": "rest"},
        **auth(token, settings),
    ).json()
    assert too_much["statusCode"] == "2076"
    for op in ("payment/refund", "payment/refund/status"):
        status = post(client, op, ids, **auth(token, settings)).json()
        assert status["refundTrxID"] == refund["refundTrxID"]
        assert status["refundTransactions"][0]["sku"] == "RF-1"


def test_tester_can_expire_tokens(client, token, settings):
    assert client.post("/sandbox/bkash/tokens/expire").status_code == 200
    assert (
        post(client, "payment/status", {"paymentID": "x"}, **auth(token, settings)).status_code
        == 401
    )


def _create_body(**overrides):
    body = {
        "mode": "0011",
        "payerReference": "01711000000",
        "callbackURL": "https://app.example/cb",
        "amount": "599.00",
        "currency": "BDT",
        "intent": "sale",
        "merchantInvoiceNumber": "INV-HOSTILE",
    }
    return {**body, **overrides}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (_create_body(callbackURL="http://[abc/x"), "2049"),
        (_create_body(callbackURL="https://app.example/cb\x00"), "2049"),
        (_create_body(merchantInvoiceNumber="INV\x00-1"), "2031"),
        (_create_body(payerReference="0171\x001000000"), "2048"),
        (_create_body(amount="12345678901.00"), "2006"),  # 11 digits: beyond the model
        (_create_body(amount="99999999999"), "2006"),
        (_create_body(amount="1.001"), "2006"),  # 3 places
        (_create_body(amount="١٢٣.٠٠"), "2006"),  # non-ASCII digits
        (_create_body(amount="100\n"), "2006"),
        (_create_body(amount=1e20), "2006"),
        (_create_body(amount=["1"]), "2006"),
        (_create_body(intent={"a": "\x00"}), "2008"),
    ],
)
def test_create_hostile_input_answers_a_bkash_error(client, token, settings, body, code):
    response = post(client, "create", body, **auth(token, settings))
    assert response.status_code == 200
    assert response.json()["statusCode"] == code
    assert not SandboxPayment.objects.filter(provider="bkash").exists()


@pytest.mark.parametrize(
    ("op", "body"),
    [
        ("execute", {"paymentID": "TR0011\x00X"}),
        ("payment/status", {"paymentID": "TR0011\x00X"}),
        ("general/searchTransaction", {"trxID": "\x00"}),
        (
            "payment/refund",
            {"paymentID": "P", "trxID": "T", "amount": "1", "sku": "\x00", "reason": "r"},
        ),
        (
            "payment/refund",
            {"paymentID": "P", "trxID": "T", "amount": "1e400", "sku": "s", "reason": "r"},
        ),
        ("payment/refund/status", {"paymentID": "\x00", "trxID": "T"}),
    ],
)
def test_hostile_lookups_never_500(client, token, settings, op, body):
    response = post(client, op, body, **auth(token, settings))
    assert response.status_code == 200
    assert response.json()["statusCode"] != "0000"


@pytest.mark.parametrize(
    ("op", "headers"),
    [
        ("token/grant", {"username": "ユーザー", "password": "pässword"}),
        ("create", {"Authorization": "tökén", "X-APP-Key": "ключ"}),
        ("create", {"X-Note": "বাংলা"}),  # a header the simulator does not need at all
    ],
)
def test_non_ascii_headers_never_500(client, token, settings, op, headers):
    if op == "create" and "Authorization" not in headers:
        headers = {**auth(token, settings), **headers}
    body = (
        {"app_key": settings.BKASH_APP_KEY, "app_secret": settings.BKASH_APP_SECRET}
        if op == "token/grant"
        else _create_body()
    )
    response = post(client, op, body, **headers)
    assert response.status_code != 500
    if "X-Note" in headers:  # the useful headers still arrive
        assert response.json()["statusCode"] == "0000"
    else:
        assert response.status_code == 401


def test_deeply_nested_json_never_500(client, token, settings):
    response = client.post(
        API + "create",
        "[" * 100_000,
        content_type="application/json",
        headers=auth(token, settings),
    )
    assert response.status_code == 400
