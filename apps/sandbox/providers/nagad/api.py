"""The Nagad Merchant PGW simulator's wire contract (GATEWAYS.md §2), as ``api(request)``.

Endpoints, under ``/sandbox/nagad`` (the sandbox's ``{base}``):

- ``POST check-out/initialize/{merchantId}/{orderId}``: decrypts ``sensitiveData`` with "Nagad's"
  private key, checks our SHA256withRSA signature with the merchant public key, the merchantId
  (path and inside), the orderId, and answers ``{sensitiveData, signature}`` encrypted to the
  merchant key and signed by Nagad: ``{paymentReferenceId, challenge, acceptDateTime}``.
- ``POST check-out/complete/{paymentReferenceId}``: same checks, insists on **its** challenge,
  stores the amount and ``merchantCallbackURL``; answers ``{status: Success, callBackUrl}`` where
  ``callBackUrl`` is the hosted page ``{PAYMENT_PUBLIC_BASE_URL}/sandbox/nagad/pay/{ref}/``.
- ``GET verify/payment/{paymentReferenceId}``: the payment as Nagad holds it (plain JSON, §2.7).

Refusals are ``{reason, message}`` with HTTP 400 (404 for an unknown payment).

Failure knobs, chosen by the **paisa** of the amount sent to complete (any taka part):

===========  ==================================================================================
``.11``      declined: "approve" on the hosted page ends ``Failed`` (issuer declined)
``.12``      cancelled: "approve" ends ``Aborted`` (the customer gave up in Nagad's app)
``.13``      insufficient balance: "approve" ends ``Failed`` with "Insufficient Balance"
``.14``      verify times out once: the first verify answers HTTP 504, later ones the truth
``.15``      stuck: "approve" leaves it ``InProgress`` for ever (the callback says ``Aborted``)
``.16``      bad signature: Nagad's signature on the initialize answer does not verify
             (the knob is read from the orderId there, see below)
``.17``      the callback says ``Aborted`` though verify says ``Success`` (trust verify)
``.18``      amount mismatch: verify reports one taka more than was asked
===========  ==================================================================================

Because initialize carries no amount, the bad-signature knob is chosen by the orderId: an orderId
containing ``BADSIG`` (any case) gets a badly signed initialize answer. The hosted page's
"decline" and "cancel" buttons end ``Failed`` and ``Cancelled`` whatever the amount.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.db import transaction

from apps.sandbox.models import SandboxPayment

from .keys import sandbox_keys

PROVIDER = "nagad"
PREFIX = "/sandbox/nagad/"
DHAKA = ZoneInfo("Asia/Dhaka")
ORDER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
KNOBS = {
    "11": "declined",
    "12": "cancelled",
    "13": "insufficient_balance",
    "14": "verify_timeout_once",
    "15": "stuck",
    "17": "callback_lies",
    "18": "amount_mismatch",
}
# Final statuses: (status, statusCode, message)
OUTCOMES = {
    "Success": ("Success", "000", "Successful Transaction"),
    "Failed": ("Failed", "001", "Payment declined by issuer"),
    "InsufficientBalance": ("Failed", "011", "Insufficient Balance"),
    "Aborted": ("Aborted", "002", "Payment aborted by the customer"),
    "Cancelled": ("Cancelled", "003", "Payment cancelled by the customer"),
}
CALLBACK_STATUS_CODES = {
    "Success": "00_0000_000",
    "Failed": "00_1000_001",
    "Aborted": "00_1100_002",
}


class Refusal(Exception):
    def __init__(self, reason: str, message: str, status: int = 400):
        super().__init__(message)
        self.reason, self.message, self.status = reason, message, status


# ---------------------------------------------------------------------------------------------
# Keys and cryptography (written independently of the client, on purpose)
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _private(pem: str) -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(pem.encode(), password=None)  # type: ignore[return-value]


@lru_cache(maxsize=8)
def _public(pem: str) -> rsa.RSAPublicKey:
    return serialization.load_pem_public_key(pem.encode())  # type: ignore[return-value]


def _unseal(body: dict) -> dict:
    """Decrypt our sensitiveData with the PG private key and check it with the merchant key."""
    keys = sandbox_keys()
    ciphertext, signature = body.get("sensitiveData"), body.get("signature")
    if not isinstance(ciphertext, str) or not isinstance(signature, str):
        raise Refusal("INVALID_REQUEST", "sensitiveData and signature are required")
    try:
        plaintext = _private(keys.nagad_private).decrypt(
            base64.b64decode(ciphertext, validate=True), padding.PKCS1v15()
        )
    except (ValueError, binascii.Error) as exc:
        raise Refusal("DECRYPTION_FAILED", "sensitiveData cannot be decrypted") from exc
    try:
        _public(keys.merchant_public).verify(
            base64.b64decode(signature, validate=True),
            plaintext,
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError, binascii.Error) as exc:
        raise Refusal("INVALID_SIGNATURE", "Merchant signature does not match") from exc
    try:
        data = json.loads(plaintext)
    except ValueError as exc:
        raise Refusal("INVALID_REQUEST", "sensitiveData is not JSON") from exc
    if not isinstance(data, dict):
        raise Refusal("INVALID_REQUEST", "sensitiveData is not an object")
    if data.get("merchantId") != settings.NAGAD_MERCHANT_ID:
        raise Refusal("INVALID_MERCHANT", "Merchant is not registered")
    return data


def _seal(obj: dict, *, bad_signature: bool = False) -> dict:
    keys = sandbox_keys()
    plaintext = json.dumps(obj, separators=(",", ":")).encode()
    signed = plaintext + b" tampered" if bad_signature else plaintext
    signature = _private(keys.nagad_private).sign(signed, padding.PKCS1v15(), hashes.SHA256())
    return {
        "sensitiveData": base64.b64encode(
            _public(keys.merchant_public).encrypt(plaintext, padding.PKCS1v15())
        ).decode(),
        "signature": base64.b64encode(signature).decode(),
    }


# ---------------------------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------------------------
def api(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if not path.startswith(PREFIX):
        return _error(Refusal("NOT_FOUND", "No such endpoint", 404))
    parts = path[len(PREFIX) :].strip("/").split("/")
    if "\x00" in path:  # no id carries NUL; the database would refuse it (a 500)
        return _error(Refusal("INVALID_REQUEST", "Identifiers must not contain NUL"))
    try:
        if (
            request.method == "POST"
            and parts[:2] == ["check-out", "initialize"]
            and len(parts) == 4
        ):
            return _json(initialize(parts[2], parts[3], _body(request), request.headers))
        if request.method == "POST" and parts[:2] == ["check-out", "complete"] and len(parts) == 3:
            return _json(complete(parts[2], _body(request), request.headers))
        if request.method == "GET" and parts[:2] == ["verify", "payment"] and len(parts) == 3:
            return verify(parts[2])
    except Refusal as refusal:
        return _error(refusal)
    return _error(Refusal("NOT_FOUND", "No such endpoint", 404))


def _body(request: httpx.Request) -> dict:
    try:
        body = json.loads(request.content or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Refusal("INVALID_REQUEST", "The body must be a JSON object")
    return body


def _check_headers(headers: httpx.Headers) -> None:
    if headers.get("x-km-api-version") != "v-0.2.0":
        raise Refusal("INVALID_API_VERSION", "X-KM-Api-Version must be v-0.2.0")
    if not headers.get("x-km-client-type"):
        raise Refusal("INVALID_REQUEST", "X-KM-Client-Type is required")
    if not re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", headers.get("x-km-ip-v4", "")):
        raise Refusal("INVALID_REQUEST", "X-KM-IP-V4 must be an IPv4 address")


def initialize(merchant_id: str, order_id: str, body: dict, headers: httpx.Headers) -> dict:
    _check_headers(headers)
    if merchant_id != settings.NAGAD_MERCHANT_ID:
        raise Refusal("INVALID_MERCHANT", "Merchant is not registered")
    data = _unseal(body)
    if data.get("orderId") != order_id or not ORDER_ID.match(order_id):
        raise Refusal("INVALID_ORDER_ID", "orderId is missing or does not match")
    if not data.get("challenge") or not data.get("datetime"):
        raise Refusal("INVALID_REQUEST", "challenge and datetime are required")
    if SandboxPayment.objects.filter(provider=PROVIDER, our_reference=order_id).exists():
        raise Refusal("DUPLICATE_ORDER_ID", "orderId already used")
    payment_ref = "MDk" + secrets.token_hex(20).upper()
    challenge = secrets.token_hex(20)
    now = datetime.now(DHAKA)
    SandboxPayment.objects.create(
        provider=PROVIDER,
        provider_ref=payment_ref,
        our_reference=order_id,
        amount=Decimal("0"),
        state="Initiated",
        data={
            "challenge": challenge,
            "order_datetime": now.strftime("%Y-%m-%d %H:%M:%S.0"),
            "client_type": headers.get("x-km-client-type"),
        },
    )
    answer = {
        "paymentReferenceId": payment_ref,
        "challenge": challenge,
        "acceptDateTime": now.strftime("%Y%m%d%H%M%S"),
    }
    return _seal(answer, bad_signature="badsig" in order_id.lower())


def complete(payment_ref: str, body: dict, headers: httpx.Headers) -> dict:
    _check_headers(headers)
    data = _unseal(body)
    with transaction.atomic():
        payment = _payment(payment_ref, lock=True)
        if payment.state != "Initiated":
            raise Refusal("INVALID_STATE", "Payment is already completed")
        if data.get("orderId") != payment.our_reference:
            raise Refusal("INVALID_ORDER_ID", "orderId does not match the initialize")
        if not secrets.compare_digest(str(data.get("challenge", "")), payment.data["challenge"]):
            raise Refusal("INVALID_CHALLENGE", "challenge does not match")
        if data.get("currencyCode") != "050":
            raise Refusal("INVALID_CURRENCY", "currencyCode must be 050")
        amount_text = data.get("amount")
        try:
            amount = Decimal(amount_text) if isinstance(amount_text, str) else None
        except InvalidOperation:
            amount = None
        if (
            amount is None
            or not amount.is_finite()
            or amount <= 0
            or amount.adjusted() >= 10
            or amount != amount.quantize(Decimal("0.01"))
        ):
            raise Refusal("INVALID_AMOUNT", "amount must be a positive string with 2 decimals")
        callback_url = body.get("merchantCallbackURL")
        if (
            not isinstance(callback_url, str)
            or not callback_url.startswith(("http://", "https://"))
            or "\x00" in callback_url
        ):
            raise Refusal("INVALID_CALLBACK_URL", "merchantCallbackURL is required")
        paisa = f"{amount:.2f}"[-2:]
        payment.amount = amount
        payment.state = "Ready"
        payment.data = {
            **payment.data,
            "callback_url": callback_url,
            "knob": KNOBS.get(paisa, ""),
            "verify_timeouts_left": 1 if KNOBS.get(paisa) == "verify_timeout_once" else 0,
            "additional_merchant_info": body.get("additionalMerchantInfo"),
        }
        payment.save()
    base = settings.PAYMENT_PUBLIC_BASE_URL.rstrip("/")
    return {"status": "Success", "callBackUrl": f"{base}{PREFIX}pay/{payment_ref}/"}


def verify(payment_ref: str) -> httpx.Response:
    with transaction.atomic():
        payment = _payment(payment_ref, lock=True)
        if payment.data.get("verify_timeouts_left"):
            payment.data = {**payment.data, "verify_timeouts_left": 0}
            payment.save(update_fields=["data", "updated_at"])
            return httpx.Response(504, text="Gateway Timeout")
    status, code = payment.state, payment.data.get("status_code", "")
    amount = payment.amount
    if payment.data.get("knob") == "amount_mismatch":
        amount += 1
    extra = payment.data.get("additional_merchant_info")
    return _json(
        {
            "merchantId": settings.NAGAD_MERCHANT_ID,
            "orderId": payment.our_reference,
            "paymentRefId": payment.provider_ref,
            "amount": _amount_text(amount),
            "clientMobileNo": payment.payer or None,
            "merchantMobileNo": "01300200710",
            "orderDateTime": payment.data.get("order_datetime"),
            "issuerPaymentDateTime": payment.data.get("issuer_datetime"),
            "issuerPaymentRefNo": payment.trx_id,
            "additionalMerchantInfo": json.dumps(extra) if extra is not None else None,
            "status": status,
            "statusCode": code,
            "message": payment.data.get("message"),  # not in the real capture (§2.7): a hint
            "cancelIssuerDateTime": None,
            "cancelIssuerRefNo": None,
        }
    )


# ---------------------------------------------------------------------------------------------
# The hosted page's actions (views.py renders the page)
# ---------------------------------------------------------------------------------------------
def finish(payment_ref: str, action: str) -> str:
    """Apply the customer's choice (and the knob) and return the merchant callback URL."""
    with transaction.atomic():
        payment = _payment(payment_ref, lock=True)
        if payment.state not in ("Ready", "InProgress") or payment.data.get("finished"):
            raise Refusal("INVALID_STATE", "Payment is not awaiting the customer")
        knob = payment.data.get("knob", "")
        outcome = {"decline": "Failed", "cancel": "Cancelled"}.get(action)
        if outcome is None:
            outcome = {
                "declined": "Failed",
                "cancelled": "Aborted",
                "insufficient_balance": "InsufficientBalance",
                "stuck": "InProgress",
            }.get(knob, "Success")
        now = datetime.now(DHAKA)
        data = {**payment.data, "issuer_datetime": now.strftime("%Y-%m-%d %H:%M:%S.0")}
        data["message"] = OUTCOMES.get(outcome, (None, None, "Payment in progress"))[2]
        if outcome == "InProgress":
            payment.state, message, callback_status = "InProgress", "Payment in progress", "Aborted"
            data["status_code"] = "099"
        else:
            status, code, message = OUTCOMES[outcome]
            payment.state, data["status_code"], data["finished"] = status, code, True
            callback_status = "Aborted" if knob == "callback_lies" else status
            if status == "Success":
                payment.trx_id = secrets.token_hex(4).upper()
                payment.payer = "017****5678"
        payment.data = data
        payment.save()
    query = httpx.QueryParams(
        {
            "merchant": settings.NAGAD_MERCHANT_ID,
            "order_id": payment.our_reference,
            "payment_ref_id": payment.provider_ref,
            "status": callback_status,
            "status_code": CALLBACK_STATUS_CODES.get(callback_status, "00_1100_003"),
            "message": message,
            "payment_dt": now.strftime("%Y%m%d%H%M%S"),
            "issuer_payment_ref": payment.trx_id or "",
        }
    )
    url = payment.data["callback_url"]
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _payment(payment_ref: str, *, lock: bool = False) -> SandboxPayment:
    if "\x00" in payment_ref:  # the database refuses NUL: no such payment
        raise Refusal("PAYMENT_NOT_FOUND", "Payment reference not found", 404)
    rows = SandboxPayment.objects.filter(provider=PROVIDER, provider_ref=payment_ref)
    payment = (rows.select_for_update() if lock else rows).first()
    if payment is None:
        raise Refusal("PAYMENT_NOT_FOUND", "Payment reference not found", 404)
    return payment


def payment_for_page(payment_ref: str) -> SandboxPayment:
    return _payment(payment_ref)


def _amount_text(amount: Decimal) -> str:
    """As Nagad writes it: "5" for five taka, "50.55" otherwise."""
    text = f"{amount:.2f}"
    return text[:-3] if text.endswith(".00") else text


def _json(body: dict, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body)


def _error(refusal: Refusal) -> httpx.Response:
    return _json({"reason": refusal.reason, "message": refusal.message}, refusal.status)
