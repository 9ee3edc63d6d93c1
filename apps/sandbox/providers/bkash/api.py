"""bKash Tokenized Checkout v1.2.0-beta simulator (GATEWAYS.md §1, what it must do: §1.11).

``api(request: httpx.Request) -> httpx.Response`` answers
``POST /sandbox/bkash/v1.2.0-beta/tokenized/checkout/{token/grant, token/refresh, create, execute,
payment/status, general/searchTransaction, payment/refund, payment/refund/status}`` with bKash's
field names; ``views.py`` serves it over HTTP and ``apps.sandbox.transport`` in-process. Token
calls check the ``username``/``password`` headers and ``app_key``/``app_secret`` (settings.BKASH_*);
the rest check ``Authorization`` (raw ``id_token`` or ``Bearer <id_token>``) and ``X-APP-Key`` and
answer HTTP 401 ``{"message": "Unauthorized"}`` otherwise. Tokens live 3600 s (cache);
``expire_tokens()`` (or ``POST /sandbox/bkash/tokens/expire``) kills every live id_token at once.
``payment/refund`` with ``amount`` refunds; without it (or at ``payment/refund/status``) it reports
the latest refund, plus ``refundTransactions`` (every refund, with its ``sku``).

State (SandboxPayment, provider="bkash"): ``initiated`` → (hosted page) ``authorised`` |
``failed`` | ``cancelled``; ``authorised`` → (execute) ``completed`` | ``failed``; unpaid after
24 h → ``expired``. Approving on the page moves no money; execute does, once.

Failure knobs, chosen by the create request so any client or tester can trigger them:
  amount ending .11        execute → 2023 Insufficient Balance (payment failed)
  amount ending .14        execute → 2014 Wrong PIN (payment failed)
  amount ending .17        a repeated execute answers 2117 instead of 2062
  payerReference …0001     execute completes the payment, then answers HTTP 503 (lost answer)
  payerReference …0002     execute completes the payment, then answers HTTP 504 with an HTML body
                           (what a 30 s gateway timeout looks like to the client)
  payerReference …0003     execute answers HTTP 503 and does nothing: stuck ``Initiated``
  payerReference …0004     the paymentID is already expired: execute → 2056, status → Expired
Refund refusals (simulator's choice of codes in bKash's 2071–2082/2127 range [UNC]): 2127 the
payment is not completed, 2076 amount above the refundable balance, 2077 more than 10 refunds.
"""

from __future__ import annotations

import json
import re
import secrets
import string
import time
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.sandbox.models import SandboxPayment

PROVIDER = "bkash"
API_VERSION = "1.2.0-beta"
BASE_PATH = "/sandbox/bkash/v1.2.0-beta/tokenized/checkout/"
TOKEN_LIFETIME = 3600
REFRESH_LIFETIME = 28 * 24 * 3600
PAYMENT_LIFETIME = timedelta(hours=24)
MAX_REFUNDS = 10
DHAKA = ZoneInfo("Asia/Dhaka")
_GEN_KEY = "sandbox:bkash:token-generation"
_ALNUM = string.ascii_uppercase + string.digits

OK = {"statusCode": "0000", "statusMessage": "Successful"}


def _err(code: str, message: str) -> dict:
    return {"statusCode": code, "statusMessage": message}


def _bkash_time(moment: datetime | None = None) -> str:
    """``2025-11-02T14:29:02:166 GMT+0600``: bKash's format, a colon before the milliseconds."""
    local = (moment or timezone.now()).astimezone(DHAKA)
    return local.strftime("%Y-%m-%dT%H:%M:%S:") + f"{local.microsecond // 1000:03d} GMT+0600"


def _response(request: httpx.Request, status: int, body: Any) -> httpx.Response:
    if isinstance(body, str | bytes):
        return httpx.Response(
            status, content=body, headers={"content-type": "text/html"}, request=request
        )
    return httpx.Response(status, json=body, request=request)


UNAUTHORIZED = {"message": "Unauthorized"}


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------
def _generation() -> int:
    return cache.get(_GEN_KEY, 0)


def expire_tokens() -> None:
    """Make every id_token issued so far answer 401 (refresh tokens keep working)."""
    cache.set(_GEN_KEY, _generation() + 1, None)


def _issue_token(app_key: str) -> dict:
    id_token = "sbx." + secrets.token_urlsafe(32)
    refresh = "sbxr." + secrets.token_urlsafe(32)
    cache.set(
        f"sandbox:bkash:id:{id_token}",
        {"app_key": app_key, "gen": _generation(), "expires_at": time.time() + TOKEN_LIFETIME},
        TOKEN_LIFETIME,
    )
    cache.set(f"sandbox:bkash:refresh:{refresh}", {"app_key": app_key}, REFRESH_LIFETIME)
    return {
        **OK,
        "id_token": id_token,
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME,
        "refresh_token": refresh,
    }


def _merchant_ok(request: httpx.Request) -> bool:
    return secrets.compare_digest(
        request.headers.get("username", ""), settings.BKASH_USERNAME
    ) and secrets.compare_digest(request.headers.get("password", ""), settings.BKASH_PASSWORD)


def _app_ok(body: dict) -> bool:
    return secrets.compare_digest(str(body.get("app_key", "")), settings.BKASH_APP_KEY) and (
        secrets.compare_digest(str(body.get("app_secret", "")), settings.BKASH_APP_SECRET)
    )


def _authorised(request: httpx.Request) -> bool:
    token = request.headers.get("authorization", "")
    if token.lower().startswith("bearer "):
        token = token[7:]
    app_key = request.headers.get("x-app-key", "")
    entry = cache.get(f"sandbox:bkash:id:{token}") if token else None
    return bool(
        entry
        and entry["gen"] == _generation()
        and entry["expires_at"] > time.time()
        and secrets.compare_digest(app_key, entry["app_key"])
        and secrets.compare_digest(app_key, settings.BKASH_APP_KEY)
    )


def grant(request: httpx.Request, body: dict) -> tuple[int, Any]:
    if not _merchant_ok(request):
        return 401, UNAUTHORIZED
    if not _app_ok(body):
        return 200, _err("2001", "Invalid App Key")
    return 200, _issue_token(settings.BKASH_APP_KEY)


def refresh(request: httpx.Request, body: dict) -> tuple[int, Any]:
    if not _merchant_ok(request):
        return 401, UNAUTHORIZED
    if not _app_ok(body):
        return 200, _err("2001", "Invalid App Key")
    key = f"sandbox:bkash:refresh:{body.get('refresh_token', '')}"
    if not cache.get(key):
        return 401, UNAUTHORIZED
    return 200, _issue_token(settings.BKASH_APP_KEY)


# ---------------------------------------------------------------------------------------------
# Payments
# ---------------------------------------------------------------------------------------------
# SandboxPayment.amount: max_digits=12, decimal_places=2 → at most 10 digits before the point.
_AMOUNT = re.compile(r"[0-9]{1,10}(\.[0-9]{1,2})?")
# NUL (and other C0 controls) cannot be stored (PostgreSQL refuses NUL in text and jsonb).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _amount_ok(value: Any) -> bool:
    return isinstance(value, str | int | float) and _AMOUNT.fullmatch(str(value)) is not None


def _has_control(value: Any) -> bool:
    """True when a string anywhere in ``value`` carries a control character (NUL included)."""
    if isinstance(value, str):
        return _CONTROL.search(value) is not None
    if isinstance(value, dict):
        return any(_has_control(k) or _has_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_control(v) for v in value)
    return False


def _knob_amount(payment: SandboxPayment, cents: str) -> bool:
    return f"{payment.amount:.2f}".endswith("." + cents)


def _knob_payer(payment: SandboxPayment, suffix: str) -> bool:
    return payment.payer.endswith(suffix)


def _signature(payment_id: str) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(10))


def create(body: dict) -> tuple[int, Any]:
    required = (
        "mode",
        "payerReference",
        "callbackURL",
        "amount",
        "currency",
        "intent",
        "merchantInvoiceNumber",
    )
    if any(not body.get(field) for field in required):
        return 200, _err("2065", "Mandatory field missing")
    if body["mode"] != "0011":
        return 200, _err("2054", "Invalid mode (the simulator serves 0011 only)")
    amount_text = str(body["amount"])
    if not _amount_ok(body["amount"]) or Decimal(amount_text) <= 0:
        return 200, _err("2006", "Invalid Amount")
    if body["currency"] != "BDT":
        return 200, _err("2007", "Invalid Currency")
    if body["intent"] not in ("sale", "authorization"):
        return 200, _err("2008", "Invalid Intent")
    invoice = str(body["merchantInvoiceNumber"])
    if len(invoice) > 255 or any(c in invoice for c in "<>&") or _has_control(invoice):
        return 200, _err("2031", "Invalid merchant invoice number")
    callback = str(body["callbackURL"])
    try:
        parts = urlsplit(callback)
    except ValueError:  # e.g. "http://[abc/x": an unclosed IPv6 bracket
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or _has_control(callback)
    ):
        return 200, _err("2049", "Invalid Merchant Callback URL")
    payer = str(body["payerReference"])
    if len(payer) > 32 or _has_control(payer):
        return 200, _err("2048", "Invalid Payer Reference")
    if _has_control(body):  # anything else we would store or look up
        return 200, _err("2065", "Mandatory field missing")
    if SandboxPayment.objects.filter(provider=PROVIDER, our_reference=invoice).exists():
        return 200, _err("2029", "Duplicate for all transactions")
    payment_id = "TR0011" + "".join(secrets.choice(_ALNUM) for _ in range(20))
    now = timezone.now()
    signature = _signature(payment_id)
    payment = SandboxPayment.objects.create(
        provider=PROVIDER,
        provider_ref=payment_id,
        our_reference=invoice,
        amount=Decimal(amount_text),
        currency="BDT",
        state="initiated",
        payer=payer,
        data={
            "mode": "0011",
            "intent": body["intent"],
            "callbackURL": callback,
            "signature": signature,
            "createTime": _bkash_time(now),
        },
    )
    return 200, {
        **OK,
        "paymentID": payment_id,
        "bkashURL": hosted_page_url(payment_id),
        "callbackURL": callback,
        "successCallbackURL": callback_url(payment, "success"),
        "failureCallbackURL": callback_url(payment, "failure"),
        "cancelledCallbackURL": callback_url(payment, "cancel"),
        "amount": f"{payment.amount:.2f}",
        "intent": body["intent"],
        "currency": "BDT",
        "paymentCreateTime": payment.data["createTime"],
        "transactionStatus": "Initiated",
        "merchantInvoiceNumber": invoice,
    }


def hosted_page_url(payment_id: str) -> str:
    return f"{settings.PAYMENT_PUBLIC_BASE_URL.rstrip('/')}/sandbox/bkash/pay/{payment_id}/"


def callback_url(payment: SandboxPayment, status: str) -> str:
    base = payment.data["callbackURL"]
    query = urlencode(
        {
            "paymentID": payment.provider_ref,
            "status": status,
            "signature": payment.data["signature"],
            "apiVersion": API_VERSION,
        }
    )
    return f"{base}{'&' if '?' in base else '?'}{query}"


def _expire_if_due(payment: SandboxPayment) -> None:
    if payment.state in ("initiated", "authorised") and (
        _knob_payer(payment, "0004") or timezone.now() - payment.created_at > PAYMENT_LIFETIME
    ):
        payment.state = "expired"
        payment.save(update_fields=["state", "updated_at"])


def expire_payment(payment_id: str) -> None:
    """Test and tester helper: the paymentID passes its 24 h lifetime now."""
    SandboxPayment.objects.filter(
        provider=PROVIDER, provider_ref=payment_id, state__in=["initiated", "authorised"]
    ).update(state="expired")


def customer_action(payment_id: str, action: str) -> str | None:
    """The hosted page's buttons: approve | decline | cancel. Returns the callback URL to
    redirect the browser to, or None for an unknown payment. Approve moves no money."""
    status = {"approve": "success", "decline": "failure", "cancel": "cancel"}[action]
    with transaction.atomic():
        payment = (
            SandboxPayment.objects.select_for_update()
            .filter(provider=PROVIDER, provider_ref=payment_id)
            .first()
        )
        if payment is None:
            return None
        _expire_if_due(payment)
        if payment.state == "initiated":
            payment.state = {"approve": "authorised", "decline": "failed", "cancel": "cancelled"}[
                action
            ]
            payment.save(update_fields=["state", "updated_at"])
        return callback_url(payment, status)


def _execute_answer(payment: SandboxPayment) -> dict:
    return {
        **OK,
        "paymentID": payment.provider_ref,
        "trxID": payment.trx_id,
        "transactionStatus": "Completed",
        "amount": f"{payment.amount:.2f}",
        "currency": payment.currency,
        "intent": payment.data.get("intent", "sale"),
        "paymentExecuteTime": payment.data.get("executeTime"),
        "merchantInvoiceNumber": payment.our_reference,
        "payerType": "Customer",
        "payerReference": payment.payer,
        "customerMsisdn": payment.data.get("customerMsisdn"),
        "payerAccount": payment.data.get("customerMsisdn"),
        "maxRefundableAmount": f"{_refundable(payment):.2f}",
    }


def execute(body: dict) -> tuple[int, Any]:
    payment_id = str(body.get("paymentID") or "")
    if not payment_id:
        return 200, _err("2065", "Mandatory field missing")
    with transaction.atomic():
        payment = (
            SandboxPayment.objects.select_for_update()
            .filter(provider=PROVIDER, provider_ref=payment_id)
            .first()
        )
        if payment is None:
            return 200, _err("2002", "Invalid Payment ID")
        _expire_if_due(payment)
        if payment.state == "completed":
            if _knob_amount(payment, "17"):
                return 200, _err("2117", "The payment execution has already been completed")
            return 200, _err("2062", "The payment has already been completed")
        if payment.state != "authorised":
            return 200, _err("2056", "Invalid Payment State")
        if _knob_payer(payment, "0003"):
            return 503, {"message": "Service Unavailable"}
        if _knob_amount(payment, "11"):
            payment.state = "failed"
            payment.data["failure"] = "2023"
            payment.save(update_fields=["state", "data", "updated_at"])
            return 200, _err("2023", "Insufficient Balance")
        if _knob_amount(payment, "14"):
            payment.state = "failed"
            payment.data["failure"] = "2014"
            payment.save(update_fields=["state", "data", "updated_at"])
            return 200, _err("2014", "Wrong PIN")
        payment.state = "completed"
        payment.trx_id = "".join(secrets.choice(_ALNUM) for _ in range(10))
        payment.data["executeTime"] = _bkash_time()
        payment.data["customerMsisdn"] = "01770618575"
        payment.save(update_fields=["state", "trx_id", "data", "updated_at"])
    if _knob_payer(payment, "0001"):
        return 503, {"message": "Service Unavailable"}
    if _knob_payer(payment, "0002"):
        return 504, "<html><body><h1>504 Gateway Time-out</h1></body></html>"
    return 200, _execute_answer(payment)


_STATUS_NAMES = {
    "initiated": "Initiated",
    "authorised": "Initiated",
    "completed": "Completed",
    "failed": "Failed",
    "cancelled": "Cancelled",
    "expired": "Expired",
}


def status(body: dict) -> tuple[int, Any]:
    payment = SandboxPayment.objects.filter(
        provider=PROVIDER, provider_ref=str(body.get("paymentID") or "")
    ).first()
    if payment is None:
        return 200, _err("2002", "Invalid Payment ID")
    _expire_if_due(payment)
    answer = {
        **OK,
        "paymentID": payment.provider_ref,
        "mode": payment.data.get("mode", "0011"),
        "paymentCreateTime": payment.data.get("createTime"),
        "paymentExecuteTime": payment.data.get("executeTime", ""),
        "amount": f"{payment.amount:.2f}",
        "currency": payment.currency,
        "intent": payment.data.get("intent", "sale"),
        "merchantInvoice": payment.our_reference,
        "transactionStatus": _STATUS_NAMES.get(payment.state, "Failed"),
        "verificationStatus": "Complete" if payment.state == "completed" else "Incomplete",
        "payerReference": payment.payer,
    }
    if payment.trx_id:
        answer["trxID"] = payment.trx_id
    return 200, answer


def search_transaction(body: dict) -> tuple[int, Any]:
    trx_id = str(body.get("trxID") or "")
    payment = (
        SandboxPayment.objects.filter(provider=PROVIDER, trx_id=trx_id).first() if trx_id else None
    )
    if payment is None:
        return 200, _err("2002", "Invalid Payment ID")
    return 200, {
        **OK,
        "trxID": payment.trx_id,
        "initiationTime": payment.data.get("createTime"),
        "completedTime": payment.data.get("executeTime"),
        "transactionType": "bKash Tokenized Checkout via API",
        "customerMsisdn": payment.data.get("customerMsisdn"),
        "payerType": "Customer",
        "transactionStatus": "Completed",
        "amount": f"{payment.amount:.2f}",
        "currency": payment.currency,
        "organizationShortCode": "50022",
        "maxRefundableAmount": f"{_refundable(payment):.2f}",
    }


def _refundable(payment: SandboxPayment) -> Decimal:
    return payment.amount - sum((Decimal(r["amount"]) for r in payment.refunds), Decimal("0"))


def _refund_answer(payment: SandboxPayment, refund: dict) -> dict:
    return {
        **OK,
        "originalTrxID": payment.trx_id,
        "refundTrxID": refund["refundTrxID"],
        "transactionStatus": "Completed",
        "amount": refund["amount"],
        "currency": payment.currency,
        "charge": "0.00",
        "completedTime": refund["completedTime"],
    }


def refund(body: dict) -> tuple[int, Any]:
    if any(not body.get(field) for field in ("paymentID", "trxID", "amount", "sku", "reason")):
        return 200, _err("2065", "Mandatory field missing")
    if not _amount_ok(body["amount"]):
        return 200, _err("2006", "Invalid Amount")
    try:
        amount = Decimal(str(body["amount"]))
    except InvalidOperation:
        return 200, _err("2006", "Invalid Amount")
    if amount <= 0:
        return 200, _err("2006", "Invalid Amount")
    with transaction.atomic():
        payment = (
            SandboxPayment.objects.select_for_update()
            .filter(provider=PROVIDER, provider_ref=str(body["paymentID"]))
            .first()
        )
        if payment is None:
            return 200, _err("2002", "Invalid Payment ID")
        if payment.state != "completed" or payment.trx_id != str(body["trxID"]):
            return 200, _err("2127", "Transaction is not completed or trxID does not match")
        if len(payment.refunds) >= MAX_REFUNDS:
            return 200, _err("2077", "Refund count limit exceeded")
        if amount > _refundable(payment):
            return 200, _err("2076", "Refund amount exceeds the refundable amount")
        entry = {
            "refundTrxID": "".join(secrets.choice(_ALNUM) for _ in range(10)),
            "amount": f"{amount:.2f}",
            "sku": str(body["sku"])[:255],
            "reason": str(body["reason"])[:255],
            "completedTime": _bkash_time(),
        }
        payment.refunds = [*payment.refunds, entry]
        payment.save(update_fields=["refunds", "updated_at"])
    return 200, _refund_answer(payment, entry)


def refund_status(body: dict) -> tuple[int, Any]:
    payment = SandboxPayment.objects.filter(
        provider=PROVIDER, provider_ref=str(body.get("paymentID") or "")
    ).first()
    if payment is None:
        return 200, _err("2002", "Invalid Payment ID")
    if payment.trx_id != str(body.get("trxID") or "") or not payment.refunds:
        return 200, _err("2127", "No refund found for this transaction")
    answer = _refund_answer(payment, payment.refunds[-1])
    answer["refundTransactions"] = [
        {k: r[k] for k in ("refundTrxID", "amount", "sku", "completedTime")}
        | {"transactionStatus": "Completed"}
        for r in payment.refunds
    ]
    return 200, answer


# ---------------------------------------------------------------------------------------------
# The wire
# ---------------------------------------------------------------------------------------------
_AUTHORISED_OPS = {
    "create": create,
    "execute": execute,
    "payment/status": status,
    "general/searchTransaction": search_transaction,
    "payment/refund/status": refund_status,
}


def api(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if not path.startswith(BASE_PATH):
        return _response(request, 404, {"message": "Not Found"})
    op = path[len(BASE_PATH) :].strip("/")
    if request.method != "POST":
        return _response(request, 405, {"message": "Method Not Allowed"})
    try:
        body = json.loads(request.content or b"{}")
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, absurd nesting
        body = None
    if not isinstance(body, dict):
        return _response(request, 400, _err("2065", "Mandatory field missing"))
    if op == "token/grant":
        return _response(request, *grant(request, body))
    if op == "token/refresh":
        return _response(request, *refresh(request, body))
    if op not in _AUTHORISED_OPS and op != "payment/refund":
        return _response(request, 404, {"message": "Not Found"})
    if not _authorised(request):
        return _response(request, 401, UNAUTHORIZED)
    if op != "create" and _has_control(body):  # NUL cannot reach a lookup or be stored
        return _response(request, 200, _err("2002", "Invalid Payment ID"))
    if op == "payment/refund":  # the same path refunds (with amount) or reports (without)
        handler = refund if "amount" in body else refund_status
    else:
        handler = _AUTHORISED_OPS[op]
    return _response(request, *handler(body))
