"""bKash Tokenized Checkout v1.2.0-beta: our thin httpx client (GATEWAYS.md §1).

Token: granted with username/password headers and app_key/app_secret body, kept in Django's cache
(one entry per app_key, shared by every worker) until shortly before it expires, renewed with the
refresh token when there is one; ``cache.add`` is a lock so two processes never grant at once.
Every other call sends the raw ``id_token`` in ``Authorization`` plus ``X-APP-Key``. On HTTP 401
the token is renewed once and the call retried once, except for ``execute`` and ``refund`` (they
move money): a 401 on execute is answered by a query, a 401 on refund is UNKNOWN.

``confirm`` follows §1.9: execute once; 2062/2117/503/9999, a timeout, a 5xx or garbage means
"ask ``payment/status``", never "failed" and never a second execute. Secrets never reach a log.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache

from ._http import gateway_request, json_object
from ._http import redirect_hosts as hosted_page_hosts
from .base import (
    CallbackReference,
    CreatedPayment,
    GatewayError,
    PaymentIntent,
    ProviderState,
    ProviderStatus,
    RefundResult,
    money_text,
)

logger = logging.getLogger("clean_care.payments")

PROVIDER = "bkash"
CHECKOUT_PATH = "/tokenized/checkout"
TOKEN_SAFETY_SECONDS = 300  # renew at ~55 of the 60 minutes
REFRESH_TOKEN_LIFETIME = 27 * 24 * 3600  # about 28 days; one day of margin [UNC]
LOCK_SECONDS = 30
LOCK_WAIT_SECONDS = 5.0
TOKEN_TIMEOUT_SECONDS = 10.0

# Business codes meaning "the outcome is not what this answer says: query" (§1.6, §1.9).
QUERY_CODES = frozenset({"2062", "2117", "2068", "2069", "503", "9999"})
# After execute, only these are definite refusals (nothing moved, it never will): FAILED. Every
# other code (2056, 2062/2117, 503, unknown codes, "Timeout of 30 Seconds Exceeded…") means
# "ask payment/status" (GATEWAYS.md §1.6, §1.9 c, §7.4). 2003 ("Process failed") is left out
# on purpose: its outcome is not clear, so it is queried.
EXECUTE_REFUSAL_CODES = frozenset({"2001", "2002", "2004", "2014", "2015", "2023"})
SECRET_KEYS = frozenset(
    {"app_secret", "password", "id_token", "refresh_token", "username", "app_key"}
)
# transactionStatus → our state (§1.4). Anything not listed is UNKNOWN, never FAILED.
TRANSACTION_STATES = {
    "Completed": ProviderState.COMPLETED,
    "Initiated": ProviderState.PENDING,
    "Authorized": ProviderState.PENDING,  # intent=authorization: not captured yet [OFF]
    "Failed": ProviderState.FAILED,
    "Cancelled": ProviderState.CANCELLED,
    "Expired": ProviderState.CANCELLED,
}


class _Unauthorized(Exception):
    """HTTP 401 from bKash: the token is stale (or the credentials are wrong)."""


def _clean(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in SECRET_KEYS}


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01")) if value not in (None, "") else None
    except InvalidOperation:
        return None


class BkashGateway:
    name = PROVIDER

    def __init__(
        self,
        *,
        base_url: str | None = None,
        app_key: str | None = None,
        app_secret: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float | None = None,
        execute_timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
        redirect_hosts: frozenset[str] | None = None,
    ):
        self.base_url = (base_url or settings.BKASH_BASE_URL).rstrip("/")
        self.app_key = app_key or settings.BKASH_APP_KEY
        self._app_secret = app_secret or settings.BKASH_APP_SECRET
        self._username = username or settings.BKASH_USERNAME
        self._password = password or settings.BKASH_PASSWORD
        self.timeout = timeout if timeout is not None else settings.PAYMENT_TIMEOUT_SECONDS
        self.execute_timeout = (
            execute_timeout
            if execute_timeout is not None
            else settings.BKASH_EXECUTE_TIMEOUT_SECONDS
        )
        self._transport = transport  # None: core.transports picks one from settings
        # bKash's hosted checkout pages (bkashURL), GATEWAYS.md §1.1/§1.4 and §7.8.
        self.redirect_hosts = hosted_page_hosts(
            self.base_url,
            settings.BKASH_REDIRECT_HOSTS if redirect_hosts is None else redirect_hosts,
        )
        digest = hashlib.sha256(self.app_key.encode()).hexdigest()[:16]
        self._token_key = f"payments:bkash:token:{digest}"
        self._lock_key = f"payments:bkash:token-lock:{digest}"

    def __repr__(self) -> str:  # keeps credentials out of tracebacks and debug output
        return f"<BkashGateway {self.base_url}>"

    # -----------------------------------------------------------------------------------------
    # HTTP
    # -----------------------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return f"{self.base_url}{CHECKOUT_PATH}/{path}"

    def _send(
        self, path: str, body: dict, headers: dict, timeout: float
    ) -> tuple[int, dict | None]:
        """POST; returns (HTTP status, JSON object or None). Network failures raise GatewayError."""
        response = gateway_request(
            provider=PROVIDER,
            step=path,
            method="POST",
            url=self._url(path),
            timeout=timeout,
            transport=self._transport,
            json=body,
            headers=headers,
        )
        return response.status_code, json_object(response)

    def _call(self, path: str, body: dict, *, timeout: float | None = None) -> dict:
        """An authorised call. Returns the JSON body for HTTP 200; raises _Unauthorized on 401
        and GatewayError on anything unreadable. Business codes are left to the caller."""
        token = self._token()
        headers = {
            "Accept": "application/json",
            "Authorization": token,
            "X-APP-Key": self.app_key,
        }
        status, parsed = self._send(path, body, headers, timeout or self.timeout)
        if status == 401:
            self._forget_token(token)
            raise _Unauthorized(path)
        business = parsed is not None and ("statusCode" in parsed or "errorCode" in parsed)
        if status != 200 and not (status < 500 and business):
            parsed = None
        if parsed is None:
            transient = status >= 500 or status in (200, 429)
            code = f"http_{status}" if status != 200 else "bad_response"
            logger.warning("bkash %s answered HTTP %s (%s)", path, status, code)
            raise GatewayError(
                f"bkash {path} answered HTTP {status}", code=code, transient=transient
            )
        return parsed

    def _call_retrying(self, path: str, body: dict) -> dict:
        """For calls that do not move money: on 401 renew the token once and retry once."""
        try:
            return self._call(path, body)
        except _Unauthorized:
            logger.info("bkash %s: token refused, renewing once", path)
        try:
            return self._call(path, body)
        except _Unauthorized as exc:
            raise GatewayError(
                "bkash refused a fresh token (check credentials)",
                code="unauthorized",
                transient=False,
            ) from exc

    # -----------------------------------------------------------------------------------------
    # Token
    # -----------------------------------------------------------------------------------------
    def _token(self) -> str:
        entry = cache.get(self._token_key)
        if entry and entry.get("expires_at", 0) - TOKEN_SAFETY_SECONDS > time.time():
            return entry["id_token"]
        if cache.add(self._lock_key, "1", LOCK_SECONDS):
            try:
                entry = cache.get(self._token_key)  # someone may have just renewed it
                if entry and entry.get("expires_at", 0) - TOKEN_SAFETY_SECONDS > time.time():
                    return entry["id_token"]
                return self._renew(entry)
            finally:
                cache.delete(self._lock_key)
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.1)
            entry = cache.get(self._token_key)
            if entry and entry.get("expires_at", 0) - TOKEN_SAFETY_SECONDS > time.time():
                return entry["id_token"]
        raise GatewayError(
            "bkash token renewal in progress elsewhere", code="token_busy", transient=True
        )

    def _forget_token(self, token: str) -> None:
        entry = cache.get(self._token_key)
        if entry and entry.get("id_token") == token:
            entry["expires_at"] = 0  # keep the refresh token
            cache.set(self._token_key, entry, REFRESH_TOKEN_LIFETIME)

    def _renew(self, entry: dict | None) -> str:
        headers = {
            "Accept": "application/json",
            "username": self._username,
            "password": self._password,
        }
        credentials = {"app_key": self.app_key, "app_secret": self._app_secret}
        refresh = entry.get("refresh_token") if entry else None
        if refresh and entry.get("refresh_expires_at", 0) > time.time():
            status, parsed = self._send(
                "token/refresh",
                {**credentials, "refresh_token": refresh},
                headers,
                TOKEN_TIMEOUT_SECONDS,
            )
            if (
                status == 200
                and parsed
                and parsed.get("statusCode") == "0000"
                and parsed.get("id_token")
            ):
                logger.info("bkash token refreshed")
                return self._store(parsed, entry)
            logger.info("bkash token refresh refused (HTTP %s), granting", status)
        status, parsed = self._send("token/grant", credentials, headers, TOKEN_TIMEOUT_SECONDS)
        if (
            status == 200
            and parsed
            and parsed.get("statusCode", "0000") == "0000"
            and parsed.get("id_token")
        ):
            logger.info("bkash token granted")
            return self._store(parsed, None)
        code = (parsed or {}).get("statusCode") or f"http_{status}"
        logger.error("bkash token grant failed code=%s", code)
        raise GatewayError(
            f"bkash token grant failed: {code}", code="token_grant", transient=status >= 500
        )

    def _store(self, parsed: dict, previous: dict | None) -> str:
        now = time.time()
        try:
            expires_in = int(parsed.get("expires_in") or 3600)
        except (TypeError, ValueError):
            expires_in = 3600
        refresh = parsed.get("refresh_token") or (previous or {}).get("refresh_token")
        refresh_expires_at = (
            now + REFRESH_TOKEN_LIFETIME
            if parsed.get("refresh_token") and not previous
            else (previous or {}).get("refresh_expires_at", now + REFRESH_TOKEN_LIFETIME)
        )
        entry = {
            "id_token": parsed["id_token"],
            "expires_at": now + expires_in,
            "refresh_token": refresh,
            "refresh_expires_at": refresh_expires_at,
        }
        cache.set(self._token_key, entry, REFRESH_TOKEN_LIFETIME)
        return entry["id_token"]

    # -----------------------------------------------------------------------------------------
    # Gateway interface
    # -----------------------------------------------------------------------------------------
    def callback_reference(self, params: dict) -> CallbackReference:
        return CallbackReference(provider_ref=str(params.get("paymentID") or ""))

    def notification_valid(self, params: dict) -> bool:
        return False  # no server-to-server notification is documented (GATEWAYS.md)

    def create(self, intent: PaymentIntent) -> CreatedPayment:
        body = {
            "mode": "0011",
            "payerReference": intent.payer_phone,
            "callbackURL": intent.callback_url,
            "amount": money_text(intent.amount),
            "currency": intent.currency or "BDT",
            "intent": "sale",
            "merchantInvoiceNumber": intent.reference,
        }
        parsed = self._call_retrying("create", body)
        code, message = _business_error(parsed)
        if code:
            logger.warning("bkash create refused ref=%s code=%s", intent.reference, code)
            raise GatewayError(
                f"bkash create refused: {code} {message}", code=code, transient=code in QUERY_CODES
            )
        payment_id, url = parsed.get("paymentID"), parsed.get("bkashURL")
        if not payment_id or not isinstance(url, str):
            raise GatewayError(
                "bkash create answered without paymentID/bkashURL",
                code="bad_response",
                transient=True,
            )
        self._check_redirect(url)
        logger.info("bkash payment created ref=%s paymentID=%s", intent.reference, payment_id)
        return CreatedPayment(provider_ref=payment_id, redirect_url=url, raw=_clean(parsed))

    def _check_redirect(self, url: str) -> None:
        """§7.8: bkashURL must be http(s) on one of bKash's hosted-page hosts."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise GatewayError(
                "bkash sent an unparseable bkashURL", code="bad_redirect", transient=False
            ) from exc
        # Plain http only where the API itself is plain http (the sandbox, development).
        allowed = {"https"} if httpx.URL(self.base_url).scheme == "https" else {"http", "https"}
        if parsed.scheme not in allowed or not parsed.host:
            raise GatewayError(
                "bkash sent an unsafe bkashURL", code="bad_redirect", transient=False
            )
        if parsed.host.lower() not in self.redirect_hosts:
            logger.warning("bkash bkashURL on unexpected host %r refused", parsed.host)
            raise GatewayError(
                "bkash sent a bkashURL on an unexpected host",
                code="redirect_refused",
                transient=False,
            )

    def confirm(self, *, provider_ref: str, callback: dict) -> ProviderStatus:
        status = str((callback or {}).get("status", "")).lower()
        if status in ("failure", "cancel"):
            # Never execute, and never trust the browser (§7.1): only bKash's own answer settles
            # it. Still Initiated → PENDING, unreachable → UNKNOWN; the reconciler asks again.
            result = self._query_or_unknown(provider_ref, f"callback {status}")
            if result.state == ProviderState.PENDING and not result.failure_reason:
                result = dataclasses.replace(result, failure_reason=f"callback {status}")
            return result
        if status != "success":
            return self._query_or_unknown(provider_ref, f"callback status {status!r}")
        try:
            parsed = self._call(
                "execute", {"paymentID": provider_ref}, timeout=self.execute_timeout
            )
        except _Unauthorized:
            logger.warning("bkash execute paymentID=%s got 401: querying", provider_ref)
            return self._query_or_unknown(provider_ref, "execute 401")
        except GatewayError as error:
            logger.warning("bkash execute paymentID=%s %s: querying", provider_ref, error.code)
            return self._query_or_unknown(provider_ref, f"execute {error.code}")
        code, message = _business_error(parsed)
        if code and code not in EXECUTE_REFUSAL_CODES:
            logger.info("bkash execute paymentID=%s code=%s: querying", provider_ref, code)
            return self._query_or_unknown(provider_ref, f"execute {code}")
        if code:
            logger.info("bkash execute paymentID=%s refused code=%s", provider_ref, code)
            return ProviderStatus(
                state=ProviderState.FAILED,
                provider_ref=provider_ref,
                failure_reason=message or code,
                raw=_clean(parsed),
            )
        if parsed.get("transactionStatus") == "Completed" and parsed.get("trxID"):
            return _status_from(parsed, provider_ref, invoice_field="merchantInvoiceNumber")
        return self._query_or_unknown(provider_ref, f"execute {parsed.get('transactionStatus')}")

    def _query_or_unknown(self, provider_ref: str, why: str) -> ProviderStatus:
        try:
            return self.query(provider_ref=provider_ref, our_reference="")
        except GatewayError as error:
            logger.warning(
                "bkash query paymentID=%s failed (%s) after %s", provider_ref, error.code, why
            )
            return ProviderStatus(
                state=ProviderState.UNKNOWN, provider_ref=provider_ref, failure_reason=why
            )

    def query(self, *, provider_ref: str, our_reference: str) -> ProviderStatus:
        parsed = self._call_retrying("payment/status", {"paymentID": provider_ref})
        code, message = _business_error(parsed)
        if code == "2002":  # invalid (expired) paymentID: it will never be paid
            return ProviderStatus(
                state=ProviderState.CANCELLED,
                provider_ref=provider_ref,
                our_reference=our_reference or None,
                failure_reason=message or code,
                raw=_clean(parsed),
            )
        if code:
            raise GatewayError(f"bkash status refused: {code} {message}", code=code, transient=True)
        transaction_status = str(parsed.get("transactionStatus") or "")
        if transaction_status == "Completed" and parsed.get("trxID"):
            return _status_from(parsed, provider_ref, invoice_field="merchantInvoice")
        our = (
            parsed.get("merchantInvoice")
            or parsed.get("merchantInvoiceNumber")
            or our_reference
            or None
        )
        if not transaction_status:
            raise GatewayError(
                "bkash status without transactionStatus", code="bad_response", transient=True
            )
        state = TRANSACTION_STATES.get(transaction_status, ProviderState.UNKNOWN)
        if state == ProviderState.COMPLETED:  # "Completed" without a trxID: not proof of payment
            state = ProviderState.UNKNOWN
        return ProviderStatus(
            state=state,
            provider_ref=parsed.get("paymentID") or provider_ref,
            amount=_money(parsed.get("amount")),
            currency=parsed.get("currency"),
            our_reference=our,
            failure_reason=None if state == ProviderState.PENDING else transaction_status,
            raw=_clean(parsed),
        )

    def refund(
        self,
        *,
        provider_ref: str,
        provider_trx_id: str,
        amount: Decimal,
        reason: str,
        refund_reference: str,
    ) -> RefundResult:
        body = {
            "paymentID": provider_ref,
            "amount": money_text(amount),
            "trxID": provider_trx_id,
            "sku": refund_reference,
            "reason": reason[:255] or "refund",
        }
        try:
            parsed = self._call("payment/refund", body)
        except (_Unauthorized, GatewayError) as error:  # never re-send a refund blindly
            code = getattr(error, "code", "unauthorized")
            logger.warning(
                "bkash refund paymentID=%s ref=%s outcome unknown (%s)",
                provider_ref,
                refund_reference,
                code,
            )
            return RefundResult(state=ProviderState.UNKNOWN, failure_reason=str(code))
        return _refund_from(parsed)

    def refund_status(
        self,
        *,
        provider_ref: str,
        provider_trx_id: str,
        refund_reference: str,
        provider_refund_id: str | None = None,
    ) -> RefundResult:
        """COMPLETED, PENDING or UNKNOWN, never FAILED: a refund bKash does not list (yet), or
        a status call it refuses ("no refund found"), is no proof that no money moved. Calling
        that FAILED would make the payment refundable again: a double refund (§7.4)."""
        # Matched by our sku: it is known even when the answer to the refund call was lost.
        parsed = self._call_retrying(
            "payment/refund", {"paymentID": provider_ref, "trxID": provider_trx_id}
        )
        code, message = _business_error(parsed)
        if code:
            logger.info("bkash refund status paymentID=%s code=%s", provider_ref, code)
            return RefundResult(
                state=ProviderState.UNKNOWN, failure_reason=message or code, raw=_clean(parsed)
            )
        # The simulator (and, per some captures, bKash) lists every refund; match ours by sku.
        listed = parsed.get("refundTransactions")
        if isinstance(listed, list) and refund_reference:
            mine = [r for r in listed if isinstance(r, dict) and r.get("sku") == refund_reference]
            if not mine:
                return RefundResult(state=ProviderState.UNKNOWN, failure_reason="no such refund")
            return _refund_from({**mine[-1], "statusCode": "0000"})
        return _refund_from(parsed)


def _business_error(parsed: dict) -> tuple[str | None, str]:
    """(code, message) for a tokenized or legacy error envelope, (None, "") on success."""
    code = parsed.get("statusCode")
    if code is not None and str(code) != "0000":
        return str(code), str(parsed.get("statusMessage") or "")
    if parsed.get("errorCode"):
        return str(parsed["errorCode"]), str(parsed.get("errorMessage") or "")
    if code is None and "message" in parsed and len(parsed) == 1:  # API-gateway style
        return "9999", str(parsed["message"])
    return None, ""


def _status_from(parsed: dict, provider_ref: str, *, invoice_field: str) -> ProviderStatus:
    return ProviderStatus(
        state=ProviderState.COMPLETED,
        provider_ref=parsed.get("paymentID") or provider_ref,
        provider_trx_id=str(parsed["trxID"]),
        amount=_money(parsed.get("amount")),
        currency=parsed.get("currency"),
        our_reference=parsed.get(invoice_field) or parsed.get("merchantInvoiceNumber"),
        raw=_clean(parsed),
    )


def _refund_from(parsed: dict) -> RefundResult:
    code, message = _business_error(parsed)
    if code in QUERY_CODES:
        return RefundResult(
            state=ProviderState.UNKNOWN, failure_reason=message or code, raw=_clean(parsed)
        )
    if code:
        return RefundResult(
            state=ProviderState.FAILED, failure_reason=message or code, raw=_clean(parsed)
        )
    status = parsed.get("transactionStatus")
    state = {"Completed": ProviderState.COMPLETED, "Initiated": ProviderState.PENDING}.get(
        status, ProviderState.UNKNOWN
    )
    return RefundResult(
        state=state,
        refund_id=parsed.get("refundTrxID"),
        amount=_money(parsed.get("amount")),
        raw=_clean(parsed),
    )
