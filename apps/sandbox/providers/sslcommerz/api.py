"""SSLCommerz v4 simulator: the wire contract of GATEWAYS.md §3 under ``/sandbox/sslcommerz/``.

``api(request)`` serves, with SSLCommerz's paths, field names and "always HTTP 200" habit:

* ``POST /gwprocess/v4/api.php`` (and ``v3``): session init → ``sessionkey``, ``GatewayPageURL``.
* ``GET /validator/api/validationserverAPI.php?val_id=``: ``VALID`` first, then ``VALIDATED``;
  ``INVALID_TRANSACTION`` for a val_id it never issued.
* ``GET /validator/api/merchantTransIDvalidationAPI.php``: by ``tran_id`` (``element`` list), by
  ``sessionkey`` (one flat object), refund initiate (``bank_tran_id`` + ``refund_amount``), refund
  status (``refund_ref_id``). Refunds settle at once (status ``refunded``) unless a knob says
  otherwise (.10-.12 below).
* ``GET /ipn/<sessionkey>/`` (sandbox only): the IPN form the hosted page produced, signed with
  ``verify_sign``/``verify_key`` (§3.4) using settings.SSLCOMMERZ_STORE_PASSWORD, plus ``ipn_url``
  and ``deliver`` (``after_redirect``, ``before_redirect`` or ``only``). Nothing is POSTed from
  here: a test or the payments flow fetches it and delivers it, as often as it likes (duplicates).

The hosted page (``GET/POST /pay/<sessionkey>/``, views.py) approves, declines or cancels via
:func:`decide`, then sends the browser back with an auto-submitting form POST, as SSLCommerz does.

Failure knobs, chosen by the paisa of ``total_amount`` (so any amount in taka can carry one):

=====  =========================================================================================
.01    approve is declined by the wallet: FAILED, error "Transaction declined"
.02    approve fails for insufficient balance: FAILED, error "Insufficient balance"
.03    approve ends cancelled at the wallet: CANCELLED
.04    IPN only: approve stores the IPN but the browser is not sent back (``deliver: only``)
.05    IPN before the redirect: ``deliver: before_redirect`` (deliver it, then follow the browser)
.06    the Validation API answers INVALID_TRANSACTION for this payment's (real) val_id
.07    refund refused: status ``failed``, errorReason "Refund not allowed for this transaction"
.08    risk: validation and IPN say risk_level "1" / risk_title "High"
.09    the browser's POST carries a tampered amount (1.00); the IPN and validation are right
.10    slow refund: initiate answers ``processing``; the refund status answers ``processing`` to
       the first query and ``refunded`` from the second on
.11    refund cancelled by the bank: initiate answers ``success``; the refund status answers
       ``cancelled``, errorReason "Refund cancelled by the bank" (the amount is refundable again)
.12    refund answer lost: the refund is made (``refunded``) but initiate answers HTTP 504 with an
       HTML page, so the caller never learns its ``refund_ref_id``
=====  =========================================================================================

Wrong ``store_id``/``store_passwd``: session init FAILED "Store Credential Error Or Store is
De-active"; the other APIs answer ``APIConnect: INVALID_REQUEST``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.sandbox.models import SandboxPayment
from apps.sandbox.transport import SANDBOX_HOST

from .signing import verify_sign

PROVIDER = "sslcommerz"
PREFIX = "/sandbox/sslcommerz"
SESSION_PATHS = ("/gwprocess/v4/api.php", "/gwprocess/v3/api.php")
VALIDATION_PATH = "/validator/api/validationserverAPI.php"
QUERY_PATH = "/validator/api/merchantTransIDvalidationAPI.php"
_IPN_PATH = re.compile(r"^/ipn/(?P<key>[A-Za-z0-9]+)/?$")

KNOB_DECLINED = "01"
KNOB_INSUFFICIENT = "02"
KNOB_CANCELLED = "03"
KNOB_IPN_ONLY = "04"
KNOB_IPN_FIRST = "05"
KNOB_INVALID_VALIDATION = "06"
KNOB_REFUND_REFUSED = "07"
KNOB_RISK = "08"
KNOB_TAMPERED_CALLBACK = "09"
KNOB_REFUND_SLOW = "10"
KNOB_REFUND_CANCELLED = "11"
KNOB_REFUND_ANSWER_LOST = "12"
SLOW_REFUND_PENDING_QUERIES = 1  # refund status queries a slow refund answers "processing" to
GATEWAY_TIMEOUT_PAGE = "<html><body><h1>504 Gateway Time-out</h1></body></html>"

MIN_AMOUNT = Decimal("10.00")
MAX_AMOUNT = Decimal("500000.00")
REQUIRED_FIELDS = (
    "total_amount",
    "currency",
    "tran_id",
    "success_url",
    "fail_url",
    "cancel_url",
    "cus_name",
    "cus_email",
    "cus_add1",
    "cus_city",
    "cus_country",
    "cus_phone",
    "product_name",
    "product_category",
    "product_profile",
    "shipping_method",
)
# multi_card_name → (card_type, card_issuer, label) as the callbacks carry them (§3.3, §4.1).
METHODS = {
    "bkash": ("BKASH-BKash", "BKash Mobile Banking", "bKash"),
    "nagad": ("NAGAD-Nagad", "Nagad", "Nagad"),
    "dbblmobilebanking": ("DBBLMOBILEB-Dbbl Mobile Banking", "DBBL Mobile Banking", "Rocket"),
    "upay": ("UPAY-Upay", "Upay", "Upay"),
}
DEFAULT_METHOD = "bkash"
STORE_FEE = Decimal("0.015")
FIELD_ORDER = (
    "tran_id",
    "val_id",
    "amount",
    "card_type",
    "store_amount",
    "card_no",
    "bank_tran_id",
    "status",
    "tran_date",
    "error",
    "currency",
    "card_issuer",
    "card_brand",
    "card_sub_brand",
    "card_issuer_country",
    "card_issuer_country_code",
    "store_id",
    "currency_type",
    "currency_amount",
    "currency_rate",
    "base_fair",
    "value_a",
    "value_b",
    "value_c",
    "value_d",
    "risk_level",
    "risk_title",
)


def _json(body: dict, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body)


def api(request: httpx.Request) -> httpx.Response:
    """The simulator's whole wire contract: one httpx request in, one httpx response out."""
    path = request.url.path
    path = path[len(PREFIX) :] if path.startswith(PREFIX) else path
    params = dict(request.url.params)
    if path in SESSION_PATHS and request.method == "POST":
        text = request.content.decode("utf-8", errors="replace")
        form = dict(parse_qsl(text, keep_blank_values=True))
        return _json(session_init(form, public_base=_public_base(request.url)))
    if request.method != "GET":
        return _json({"error": "method not allowed"}, 405)
    if path == VALIDATION_PATH:
        return _json(validation(params))
    if path == QUERY_PATH:
        if not _credentials_ok(params):
            return _json({"APIConnect": "INVALID_REQUEST", "status": "INVALID_REQUEST"})
        if params.get("refund_ref_id"):
            return _json(refund_status(params))
        if params.get("bank_tran_id") and "refund_amount" in params:
            answer = refund_initiate(params)
            if answer is None:
                return httpx.Response(
                    504, text=GATEWAY_TIMEOUT_PAGE, headers={"content-type": "text/html"}
                )
            return _json(answer)
        if params.get("sessionkey"):
            return _json(query_by_session(params["sessionkey"]))
        if params.get("tran_id"):
            return _json(query_by_tran_id(params["tran_id"]))
        return _json({"APIConnect": "INVALID_REQUEST", "status": "INVALID_REQUEST"})
    match = _IPN_PATH.match(path)
    if match:
        return ipn_for(match["key"])
    return _json({"error": "no such SSLCommerz API"}, 404)


def _public_base(url: httpx.URL) -> str:
    """Where browsers reach the hosted page: our public URL when called in-process."""
    if url.host == SANDBOX_HOST:
        return settings.PAYMENT_PUBLIC_BASE_URL.rstrip("/")
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}"


def _credentials_ok(fields: dict) -> bool:
    store_id = str(fields.get("store_id") or "")
    password = str(fields.get("store_passwd") or "")
    return hmac.compare_digest(
        store_id.encode(), settings.SSLCOMMERZ_STORE_ID.encode()
    ) & hmac.compare_digest(password.encode(), settings.SSLCOMMERZ_STORE_PASSWORD.encode())


def _money(text: object) -> Decimal | None:
    """A finite amount of at most 10 integer digits (DecimalField(12, 2)), or None.

    Callers still check the 2 places, with their own message.
    """
    try:
        amount = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount.adjusted() >= 10:
        return None
    return amount


def _knob(amount: Decimal) -> str:
    return f"{amount:.2f}"[-2:]


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")


def _failed(reason: str) -> dict:
    return {"status": "FAILED", "failedreason": reason, "sessionkey": "", "GatewayPageURL": ""}


# ---------------------------------------------------------------------------------------------
# Session init
# ---------------------------------------------------------------------------------------------
def session_init(form: dict, *, public_base: str) -> dict:
    if not _credentials_ok(form):
        return _failed("Store Credential Error Or Store is De-active")
    missing = [field for field in REQUIRED_FIELDS if not form.get(field)]
    if missing:
        return _failed(f"Invalid Information: {', '.join(missing)} is missing")
    amount = _money(form["total_amount"])
    if amount is None:
        return _failed("Invalid Information: total_amount is not a number")
    if not (MIN_AMOUNT <= amount <= MAX_AMOUNT) or amount != amount.quantize(Decimal("0.01")):
        return _failed("Invalid Information: total_amount must be 10.00 to 500000.00")
    if form["currency"] != "BDT":
        return _failed("Invalid Information: currency not supported")
    if len(form["tran_id"]) > 30:
        return _failed("Invalid Information: tran_id is too long")
    if any(len(form[f]) > 255 for f in ("success_url", "fail_url", "cancel_url")):
        return _failed("Invalid Information: a URL is longer than 255 characters")
    method = form.get("multi_card_name") or ""
    sessionkey = secrets.token_hex(16).upper()
    SandboxPayment.objects.create(
        provider=PROVIDER,
        provider_ref=sessionkey,
        our_reference=form["tran_id"],
        amount=amount,
        currency="BDT",
        state="PENDING",
        payer=form["cus_phone"][:32],
        data={
            "method": method if method in METHODS else DEFAULT_METHOD,
            "multi_card_name": method,
            "knob": _knob(amount),
            "success_url": form["success_url"],
            "fail_url": form["fail_url"],
            "cancel_url": form["cancel_url"],
            "ipn_url": form.get("ipn_url") or "",
            "product_name": form["product_name"],
            "values": {k: form.get(k, "") for k in ("value_a", "value_b", "value_c", "value_d")},
            "tran_date": _now(),
        },
    )
    page = f"{public_base}{PREFIX}/pay/{sessionkey}/"
    return {
        "status": "SUCCESS",
        "failedreason": "",
        "sessionkey": sessionkey,
        "gw": {
            "visa": "",
            "master": "",
            "amex": "",
            "othercards": "",
            "internetbanking": "",
            "mobilebanking": ",".join(METHODS),
        },
        "redirectGatewayURL": page,
        "directPaymentURLBank": "",
        "directPaymentURLCard": "",
        "directPaymentURL": "",
        "redirectGatewayURLFailed": "",
        "GatewayPageURL": page,
        "storeBanner": "",
        "storeLogo": "",
        "desc": [
            {"name": label, "type": "mobilebanking", "logo": "", "gw": name}
            for name, (_, _, label) in METHODS.items()
        ],
        "is_direct_pay_enable": "0",
    }


# ---------------------------------------------------------------------------------------------
# The hosted page's decision, the callback and the IPN
# ---------------------------------------------------------------------------------------------
def payment_for(sessionkey: str) -> SandboxPayment | None:
    return SandboxPayment.objects.filter(provider=PROVIDER, provider_ref=sessionkey).first()


def method_label(payment: SandboxPayment) -> str:
    return METHODS[payment.data.get("method") or DEFAULT_METHOD][2]


def decide(sessionkey: str, action: str) -> SandboxPayment | None:
    """approve | decline | cancel, once; knobs apply to approve. Returns the payment as decided."""
    with transaction.atomic():
        payment = (
            SandboxPayment.objects.select_for_update()
            .filter(provider=PROVIDER, provider_ref=sessionkey)
            .first()
        )
        if payment is None or payment.state != "PENDING":
            return payment
        knob = payment.data.get("knob")
        error = ""
        if action == "approve" and knob == KNOB_DECLINED:
            state, error = "FAILED", "Transaction declined"
        elif action == "approve" and knob == KNOB_INSUFFICIENT:
            state, error = "FAILED", "Insufficient balance"
        elif action == "approve" and knob == KNOB_CANCELLED:
            state = "CANCELLED"
        elif action == "approve":
            state = "VALID"
        elif action == "decline":
            state, error = "FAILED", "Payment declined by the customer"
        else:
            state = "CANCELLED"
        payment.state = state
        payment.data["error"] = error
        payment.data["tran_date"] = _now()
        if state == "VALID":
            stamp = timezone.localtime().strftime("%y%m%d%H%M%S")
            payment.data["val_id"] = f"{stamp}1{secrets.token_urlsafe(9)}".replace("-", "x")
            payment.trx_id = f"{stamp}{secrets.token_hex(7).upper()}"
        ipn = _transaction_fields(payment)
        ipn["verify_key"] = ",".join(key for key in FIELD_ORDER if key in ipn)
        password = settings.SSLCOMMERZ_STORE_PASSWORD
        ipn["verify_sign"] = verify_sign(ipn, store_password=password)
        ipn["verify_sign_sha2"] = hashlib.sha256(ipn["verify_sign"].encode()).hexdigest()  # [UNC]
        payment.data["ipn"] = ipn
        callback = dict(ipn)
        if knob == KNOB_TAMPERED_CALLBACK:
            callback["amount"] = "1.00"
        payment.data["callback"] = callback
        payment.save(update_fields=["state", "trx_id", "data", "updated_at"])
        return payment


def callback_target(payment: SandboxPayment) -> str | None:
    """Where the browser goes back to (None for the IPN-only knob)."""
    if payment.data.get("knob") == KNOB_IPN_ONLY:
        return None
    key = {"VALID": "success_url", "VALIDATED": "success_url", "FAILED": "fail_url"}
    return payment.data[key.get(payment.state, "cancel_url")]


def _transaction_fields(payment: SandboxPayment) -> dict[str, str]:
    data = payment.data
    card_type, issuer, _ = METHODS[data.get("method") or DEFAULT_METHOD]
    paid = payment.state in ("VALID", "VALIDATED")
    risky = data.get("knob") == KNOB_RISK
    amount = f"{payment.amount:.2f}"
    fields = {
        "tran_id": payment.our_reference,
        "val_id": data.get("val_id", "") if paid else "",
        "amount": amount,
        "card_type": card_type if paid else "",
        "store_amount": f"{payment.amount * (1 - STORE_FEE):.2f}" if paid else "0.00",
        "card_no": payment.payer if paid else "",
        "bank_tran_id": payment.trx_id or "",
        "status": payment.state,
        "tran_date": data.get("tran_date", ""),
        "error": data.get("error", ""),
        "currency": "BDT",
        "card_issuer": issuer,
        "card_brand": "MOBILEBANKING",
        "card_sub_brand": "Classic",
        "card_issuer_country": "Bangladesh",
        "card_issuer_country_code": "BD",
        "store_id": settings.SSLCOMMERZ_STORE_ID,
        "currency_type": "BDT",
        "currency_amount": amount,
        "currency_rate": "1.0000",
        "base_fair": "0.00",
        **data.get("values", {}),
        "risk_level": "1" if risky else "0",
        "risk_title": "High" if risky else "Safe",
    }
    return fields


def ipn_for(sessionkey: str) -> httpx.Response:
    payment = payment_for(sessionkey)
    if payment is None:
        return _json({"error": "no such session"}, 404)
    knob = payment.data.get("knob")
    deliver = {KNOB_IPN_ONLY: "only", KNOB_IPN_FIRST: "before_redirect"}.get(knob, "after_redirect")
    return _json(
        {
            "sessionkey": sessionkey,
            "ipn_url": payment.data.get("ipn_url", ""),
            "deliver": deliver,
            "ipn": payment.data.get("ipn"),
        }
    )


# ---------------------------------------------------------------------------------------------
# Validation and transaction query
# ---------------------------------------------------------------------------------------------
def validation(params: dict) -> dict:
    if not _credentials_ok(params):
        return {"status": "INVALID_TRANSACTION", "APIConnect": "INVALID_REQUEST"}
    val_id = params.get("val_id") or ""
    with transaction.atomic():
        payment = (
            SandboxPayment.objects.select_for_update()
            .filter(provider=PROVIDER, data__val_id=val_id)
            .first()
            if val_id
            else None
        )
        if (
            payment is None
            or payment.state not in ("VALID", "VALIDATED")
            or payment.data.get("knob") == KNOB_INVALID_VALIDATION
        ):
            return {"status": "INVALID_TRANSACTION", "APIConnect": "DONE"}
        status = payment.state
        if status == "VALID":  # the first validation says VALID, later ones VALIDATED
            payment.state = "VALIDATED"
            payment.data["validated_on"] = _now()
            payment.save(update_fields=["state", "data", "updated_at"])
    fields = _transaction_fields(payment)
    fields.pop("error")
    return {
        **fields,
        "status": status,
        "card_category": "MOBILEBANKING",
        "emi_instalment": "0",
        "emi_amount": "0.00",
        "emi_description": "",
        "emi_issuer": "",
        "account_details": "",
        "APIConnect": "DONE",
        "validated_on": payment.data.get("validated_on", ""),
        "gw_version": "v4",
        "discount_amount": "0.00",
        "discount_percentage": "0",
        "discount_remarks": "",
    }


def _element(payment: SandboxPayment) -> dict:
    fields = _transaction_fields(payment)
    return {
        "val_id": fields["val_id"],
        "status": payment.state,
        "validated_on": payment.data.get("validated_on", ""),
        "currency_type": "BDT",
        "currency_amount": fields["currency_amount"],
        "currency_rate": "1.0000",
        "base_fair": "0.00",
        "value_a": fields.get("value_a", ""),
        "value_b": fields.get("value_b", ""),
        "value_c": fields.get("value_c", ""),
        "value_d": fields.get("value_d", ""),
        "tran_date": fields["tran_date"],
        "tran_id": payment.our_reference,
        "amount": fields["amount"],
        "store_amount": fields["store_amount"],
        "bank_tran_id": fields["bank_tran_id"],
        "card_type": fields["card_type"],
        "risk_title": fields["risk_title"],
        "risk_level": fields["risk_level"],
        "currency": "BDT",
        "bank_gw": payment.data.get("method", ""),
        "card_no": fields["card_no"],
        "card_issuer": fields["card_issuer"],
        "card_brand": fields["card_brand"],
        "card_issuer_country": fields["card_issuer_country"],
        "card_issuer_country_code": fields["card_issuer_country_code"],
        "gw_version": "v4",
        "error": payment.data.get("error", ""),
    }


def query_by_tran_id(tran_id: str) -> dict:
    payments = list(
        SandboxPayment.objects.filter(provider=PROVIDER, our_reference=tran_id).order_by(
            "created_at"
        )
    )
    if not payments:
        return {
            "APIConnect": "DONE",
            "no_of_trans_found": 0,
            "element": [{"status": "INVALID", "tran_id": tran_id, "error": "Invalid tran_id"}],
        }
    return {
        "APIConnect": "DONE",
        "no_of_trans_found": len(payments),
        "element": [_element(payment) for payment in payments],
    }


def query_by_session(sessionkey: str) -> dict:
    payment = payment_for(sessionkey)
    if payment is None:
        return {"APIConnect": "DONE", "status": "INVALID", "sessionkey": sessionkey}
    return {**_element(payment), "sessionkey": sessionkey, "APIConnect": "DONE"}


# ---------------------------------------------------------------------------------------------
# Refunds
# ---------------------------------------------------------------------------------------------
def refund_initiate(params: dict) -> dict | None:
    """The initiate answer, or None when knob .12 loses it (the refund is made all the same)."""
    bank_tran_id = params["bank_tran_id"]
    refund_trans_id = params.get("refund_trans_id") or ""

    def refused(reason: str, tran_id: str = "") -> dict:
        return {
            "APIConnect": "DONE",
            "bank_tran_id": bank_tran_id,
            "trans_id": tran_id,
            "refund_ref_id": "",
            "status": "failed",
            "errorReason": reason,
        }

    def accepted(refund_ref_id: str, tran_id: str) -> dict:
        return {**refused("", tran_id), "refund_ref_id": refund_ref_id, "status": "success"}

    amount = _money(params.get("refund_amount") or "")
    if amount is None:
        return refused("Invalid refund_amount")
    if not refund_trans_id:
        return refused("refund_trans_id is required")
    with transaction.atomic():
        payment = (
            SandboxPayment.objects.select_for_update()
            .filter(provider=PROVIDER, trx_id=bank_tran_id)
            .first()
        )
        if payment is None:
            return refused("Invalid bank_tran_id")
        tran_id = payment.our_reference
        for refund in payment.refunds:
            if refund["refund_trans_id"] == refund_trans_id:  # a retried request
                return accepted(refund["refund_ref_id"], tran_id)
        if payment.state not in ("VALID", "VALIDATED"):
            return refused("Transaction is not refundable", tran_id)
        if payment.data.get("knob") == KNOB_REFUND_REFUSED:
            return refused("Refund not allowed for this transaction", tran_id)
        refunded = sum(
            (Decimal(r["amount"]) for r in payment.refunds if r["status"] != "cancelled"),
            Decimal("0"),
        )
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            return refused("Invalid refund_amount", tran_id)
        if refunded + amount > payment.amount:
            return refused("Refund amount exceeds the refundable amount", tran_id)
        refund_ref_id = secrets.token_hex(10)
        now = _now()
        knob = payment.data.get("knob")
        slow = knob in (KNOB_REFUND_SLOW, KNOB_REFUND_CANCELLED)
        payment.refunds.append(
            {
                "refund_ref_id": refund_ref_id,
                "refund_trans_id": refund_trans_id,
                "amount": f"{amount:.2f}",
                "remarks": params.get("refund_remarks", ""),
                "initiated_on": now,
                "refunded_on": "" if slow else now,
                "status": "processing" if slow else "refunded",
                "queries": 0,
            }
        )
        payment.save(update_fields=["refunds", "updated_at"])
    if knob == KNOB_REFUND_ANSWER_LOST:
        return None
    answer = accepted(refund_ref_id, tran_id)
    return {**answer, "status": "processing"} if knob == KNOB_REFUND_SLOW else answer


def refund_status(params: dict) -> dict:
    wanted = params["refund_ref_id"]

    def named(refund: dict) -> bool:
        return wanted in (refund["refund_ref_id"], refund["refund_trans_id"])

    candidates = SandboxPayment.objects.filter(provider=PROVIDER).exclude(refunds=[])
    for candidate in candidates.only("pk", "refunds"):
        if not any(named(refund) for refund in candidate.refunds):
            continue
        with transaction.atomic():
            payment = SandboxPayment.objects.select_for_update().get(pk=candidate.pk)
            refund = next(refund for refund in payment.refunds if named(refund))
            if refund["status"] == "processing":
                _refund_progress(payment, refund)
        return {
            "APIConnect": "DONE",
            "bank_tran_id": payment.trx_id,
            "tran_id": payment.our_reference,
            "refund_ref_id": refund["refund_ref_id"],
            "refund_amount": refund["amount"],
            "initiated_on": refund["initiated_on"],
            "refunded_on": refund["refunded_on"],
            "status": refund["status"],
            "errorReason": refund.get("error", ""),
        }
    return {"APIConnect": "INVALID_REQUEST", "refund_ref_id": wanted, "errorReason": "Not found"}


def _refund_progress(payment: SandboxPayment, refund: dict) -> None:
    """A refund held ``processing`` (knobs .10, .11) moves on as it is asked about."""
    refund["queries"] = refund.get("queries", 0) + 1
    if payment.data.get("knob") == KNOB_REFUND_CANCELLED:
        refund.update(status="cancelled", error="Refund cancelled by the bank")
    elif refund["queries"] > SLOW_REFUND_PENDING_QUERIES:
        refund.update(status="refunded", refunded_on=_now())
    payment.save(update_fields=["refunds", "updated_at"])
