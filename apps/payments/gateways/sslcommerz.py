"""SSLCommerz v4: our thin httpx client (GATEWAYS.md §3); serves Rocket and Upay (§4).

Session init gives a ``sessionkey`` and the hosted page (``GatewayPageURL``). The browser's POST
back to success/fail/cancel and the IPN are hints only: ``confirm`` and ``query`` ask the
Validation API (``val_id``) or the transaction query (``tran_id``/``sessionkey``). The IPN's
``verify_sign`` is checked by :func:`ipn_signature_valid` before anything else is done with it.

``store_passwd`` travels in GET query strings by design, so no URL is ever logged; log lines name
the API, our ``tran_id`` and the provider's status only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from django.conf import settings

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
)

logger = logging.getLogger("clean_care.payments")

PROVIDER = "sslcommerz"
SESSION_PATH = "/gwprocess/v4/api.php"
VALIDATION_PATH = "/validator/api/validationserverAPI.php"
QUERY_PATH = "/validator/api/merchantTransIDvalidationAPI.php"  # query, refund, refund status

# [UNC] Which hosted-page methods each of our payment methods opens on (``multi_card_name``, §3.2
# and §4.1-4.2). Rocket = DBBL mobile banking (card_type ``DBBLMOBILEB-Dbbl Mobile Banking``);
# Upay's value is not confirmed by SSLCommerz: check both at onboarding.
MULTI_CARD_NAMES: dict[str, str] = {
    "rocket": "dbblmobilebanking",
    "upay": "upay",
    "bkash": "bkash",
    "nagad": "nagad",
}
# The query parameter we add to intent.callback_url so one endpoint can tell the three apart.
CALLBACK_RESULT_PARAM = "sslcz"
PAID_STATUSES = frozenset({"VALID", "VALIDATED"})
ELEMENT_STATES = {
    "VALID": ProviderState.COMPLETED,
    "VALIDATED": ProviderState.COMPLETED,
    "PENDING": ProviderState.PENDING,
    "UNATTEMPTED": ProviderState.PENDING,
    "FAILED": ProviderState.FAILED,
    "CANCELLED": ProviderState.CANCELLED,
    "EXPIRED": ProviderState.CANCELLED,
}
REFUND_INITIATE_STATES = {
    # "success" only means SSLCommerz accepted the request; refund_status says when it is done.
    "success": ProviderState.PENDING,
    "processing": ProviderState.PENDING,
    "failed": ProviderState.FAILED,
}
REFUND_STATUS_STATES = {
    "refunded": ProviderState.COMPLETED,
    "processing": ProviderState.PENDING,
    "cancelled": ProviderState.FAILED,
}
# Fields never copied into ``raw`` (and so never stored or logged by callers).
_SECRET_FIELDS = frozenset({"store_passwd", "verify_sign", "verify_sign_sha2"})


def _md5(text: str) -> str:
    # The provider's algorithm (§3.4), not our choice of hash.
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def ipn_signature_string(post: Mapping[str, Any], *, store_password: str) -> str:
    """The string SSLCommerz signs (§3.4): ``verify_key`` fields plus md5(store_passwd), sorted."""
    keys = [key for key in str(post.get("verify_key") or "").split(",") if key]
    data = {key: str(post[key]) for key in keys if key in post and post[key] is not None}
    data["store_passwd"] = _md5(store_password)
    return "&".join(f"{key}={data[key]}" for key in sorted(data))


def ipn_signature(post: Mapping[str, Any], *, store_password: str) -> str:
    return _md5(ipn_signature_string(post, store_password=store_password))


def ipn_signature_valid(post: Mapping[str, Any], *, store_password: str) -> bool:
    """The ``verify_sign`` check of the official libraries (§3.4); a missing key or sign fails.

    It only stops cheap forgeries: the Validation API (``confirm``) stays the authority.
    """
    verify_sign = post.get("verify_sign")
    verify_key = post.get("verify_key")
    if not verify_sign or not verify_key:
        return False
    expected = ipn_signature(post, store_password=store_password)
    return hmac.compare_digest(expected.encode(), str(verify_sign).lower().encode())


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _safe(body: Mapping[str, Any]) -> dict:
    return {key: value for key, value in body.items() if key not in _SECRET_FIELDS}


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return urlunsplit(parts._replace(query=urlencode([*query, (name, value)])))


class SslCommerzGateway:
    """SSLCommerz v4 hosted checkout, validation, transaction query and refunds."""

    name = PROVIDER

    def __init__(
        self,
        *,
        base_url: str | None = None,
        store_id: str | None = None,
        store_password: str | None = None,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
        redirect_hosts: frozenset[str] | None = None,
    ):
        self.base_url = (base_url or settings.SSLCOMMERZ_BASE_URL).rstrip("/")
        self.store_id = store_id or settings.SSLCOMMERZ_STORE_ID
        self._store_password = store_password or settings.SSLCOMMERZ_STORE_PASSWORD
        self.timeout = timeout if timeout is not None else settings.PAYMENT_TIMEOUT_SECONDS
        self._transport = transport  # None: core.transports picks one from settings
        base = httpx.URL(self.base_url)
        self._https_only = base.scheme == "https"
        if redirect_hosts is None:
            # SSLCommerz serves its hosted page from the API's own host (§3.2), or a listed one.
            redirect_hosts = hosted_page_hosts(
                self.base_url, [*settings.SSLCOMMERZ_REDIRECT_HOSTS, base.host]
            )
        self.redirect_hosts = redirect_hosts

    def __repr__(self) -> str:  # keeps the store password out of tracebacks and debug output
        return f"<SslCommerzGateway {self.base_url} store_id={self.store_id}>"

    # -----------------------------------------------------------------------------------------
    # HTTP
    # -----------------------------------------------------------------------------------------
    def _call(self, api: str, method: str, path: str, **kwargs) -> dict:
        """One call; a missing/garbled answer is a GatewayError. Never logs the URL."""
        response = gateway_request(
            provider=PROVIDER,
            step=api,
            method=method,
            url=f"{self.base_url}{path}",
            timeout=self.timeout,
            transport=self._transport,
            **kwargs,
        )
        body = json_object(response)
        if response.status_code >= 500 or not isinstance(body, dict):
            logger.warning("sslcommerz %s answered HTTP %s", api, response.status_code)
            raise GatewayError(
                f"sslcommerz {api} answered HTTP {response.status_code} without a usable body",
                code=f"http_{response.status_code}",
                transient=response.status_code >= 500 or response.status_code == 429,
            )
        return body

    def _credentials(self) -> dict[str, str]:
        return {"store_id": self.store_id, "store_passwd": self._store_password}

    # -----------------------------------------------------------------------------------------
    # Session init
    # -----------------------------------------------------------------------------------------
    def session_form(self, intent: PaymentIntent) -> dict[str, str]:
        """The form of ``POST /gwprocess/v4/api.php`` (§3.2)."""
        form = {
            **self._credentials(),
            "total_amount": f"{intent.amount.quantize(Decimal('0.01'))}",
            "currency": intent.currency,
            "tran_id": intent.reference,
            "success_url": _with_param(intent.callback_url, CALLBACK_RESULT_PARAM, "success"),
            "fail_url": _with_param(intent.callback_url, CALLBACK_RESULT_PARAM, "fail"),
            "cancel_url": _with_param(intent.callback_url, CALLBACK_RESULT_PARAM, "cancel"),
            "product_category": "city-services",
            "product_name": intent.description[:255],
            "product_profile": "non-physical-goods",
            "shipping_method": "NO",
            "num_of_item": "1",
            # The payer is known by phone only; the other customer fields are required.
            "cus_name": "Clean Care customer",
            "cus_email": "noreply@cleancare.invalid",
            "cus_add1": "Dhaka",
            "cus_city": "Dhaka",
            "cus_postcode": "1000",
            "cus_country": "Bangladesh",
            "cus_phone": intent.payer_phone,
            "value_a": intent.method,
            "emi_option": "0",
        }
        if intent.ipn_url:
            form["ipn_url"] = intent.ipn_url
        if intent.method in MULTI_CARD_NAMES:
            form["multi_card_name"] = MULTI_CARD_NAMES[intent.method]
        return form

    def callback_reference(self, params: dict) -> CallbackReference:
        """SSLCommerz names our own ``tran_id`` in every POST back and in the IPN (§3.3)."""
        return CallbackReference(ours=str(params.get("tran_id") or ""))

    def notification_valid(self, params: dict) -> bool:
        return ipn_signature_valid(params, store_password=self._store_password)

    def create(self, intent: PaymentIntent) -> CreatedPayment:
        body = self._call("session", "POST", SESSION_PATH, data=self.session_form(intent))
        sessionkey = body.get("sessionkey")
        page = body.get("GatewayPageURL")
        logger.info("sslcommerz session tran_id=%s status=%s", intent.reference, body.get("status"))
        if body.get("status") != "SUCCESS" or not sessionkey or not page:
            raise GatewayError(
                f"sslcommerz refused the session: {body.get('failedreason') or body.get('status')}",
                code="session_failed",
                transient=False,
            )
        self._check_redirect(str(page))
        return CreatedPayment(provider_ref=str(sessionkey), redirect_url=str(page), raw=_safe(body))

    def _check_redirect(self, url: str) -> None:
        parsed = httpx.URL(url)
        insecure = self._https_only and parsed.scheme != "https"
        if parsed.host not in self.redirect_hosts or insecure:
            raise GatewayError(
                f"sslcommerz GatewayPageURL points at an unexpected host {parsed.host!r}",
                code="bad_redirect",
                transient=False,
            )

    # -----------------------------------------------------------------------------------------
    # Validation, query
    # -----------------------------------------------------------------------------------------
    def validate(self, val_id: str) -> ProviderStatus:
        """The Validation API (§3.5), the authority on a ``val_id``."""
        params = {"val_id": val_id, **self._credentials(), "v": "1", "format": "json"}
        body = self._call("validation", "GET", VALIDATION_PATH, params=params)
        status = str(body.get("status") or "")
        logger.info("sslcommerz validation tran_id=%s status=%s", body.get("tran_id"), status)
        if status in PAID_STATUSES and body.get("bank_tran_id"):
            if str(body.get("risk_level") or "0") == "1":
                return self._status(
                    ProviderState.PENDING, body, failure_reason="risk_review", paid=False
                )
            return self._status(ProviderState.COMPLETED, body)
        if status == "INVALID_TRANSACTION" and body.get("APIConnect") == "DONE":
            # Only a candidate: confirm/_query fail the payment only if the transaction query
            # does not show it paid.
            return self._status(ProviderState.FAILED, body, failure_reason="invalid_transaction")
        if status == "INVALID_TRANSACTION":  # the API itself is unhappy: we know nothing
            reason = f"api_connect_{body.get('APIConnect')}"
            return self._status(ProviderState.UNKNOWN, body, failure_reason=reason)
        return self._status(ProviderState.UNKNOWN, body, failure_reason=status or "no_status")

    def _status(
        self,
        state: ProviderState,
        body: Mapping[str, Any],
        *,
        failure_reason: str | None = None,
        paid: bool = True,
        provider_ref: str | None = None,
    ) -> ProviderStatus:
        completed = state == ProviderState.COMPLETED and paid
        return ProviderStatus(
            state=state,
            provider_ref=provider_ref,
            provider_trx_id=str(body["bank_tran_id"]) if completed else None,
            amount=_decimal(body.get("amount")),
            currency=body.get("currency") or None,
            our_reference=body.get("tran_id") or None,
            failure_reason=failure_reason,
            raw=_safe(body),
        )

    def confirm(self, *, provider_ref: str, callback: dict) -> ProviderStatus:
        """After the browser's POST (or an IPN): validate its ``val_id``; none → ask by session.

        A ``val_id`` the Validation API refuses does not fail the payment by itself (anyone can
        POST one): the session is queried, and only a refusal of the session's own val_id fails it.
        """
        val_id = str(callback.get("val_id") or "")
        if val_id:
            status = self.validate(val_id)
            if status.state != ProviderState.FAILED:
                return self._bind(self._matching(status, provider_ref), provider_ref)
        return self._query({"sessionkey": provider_ref}, provider_ref=provider_ref)

    def _matching(self, status: ProviderStatus, provider_ref: str) -> ProviderStatus:
        """A val_id must belong to this session: same tran_id and amount (§7.2), else UNKNOWN.

        Anyone can POST a real val_id from another (cheaper) payment; validated alone it would
        say COMPLETED and be relabelled with our provider_ref.
        """
        if status.state == ProviderState.UNKNOWN:
            return status
        params = {"sessionkey": provider_ref, **self._credentials(), "format": "json"}
        try:
            session = self._call("query", "GET", QUERY_PATH, params=params)
        except GatewayError as error:
            session, reason = {}, error.code
        else:
            reason = None
        session_amount = _decimal(session.get("amount"))
        matches = (
            session.get("APIConnect") == "DONE"
            and bool(session.get("tran_id"))
            and str(session.get("tran_id")) == str(status.our_reference or "")
            and session_amount is not None
            and status.amount is not None
            and session_amount.is_finite()
            and status.amount.is_finite()
            and session_amount == status.amount
        )
        if matches:
            return status
        logger.warning(
            "sslcommerz val_id for tran_id=%s does not match session tran_id=%s",
            status.our_reference,
            session.get("tran_id"),
        )
        return ProviderStatus(
            state=ProviderState.UNKNOWN,
            provider_ref=provider_ref,
            failure_reason=reason or "validation does not match this payment",
            raw=status.raw,
        )

    @staticmethod
    def _bind(status: ProviderStatus, provider_ref: str) -> ProviderStatus:
        return dataclasses.replace(status, provider_ref=provider_ref)

    def query(self, *, provider_ref: str, our_reference: str) -> ProviderStatus:
        """Transaction query by ``tran_id`` (§3.6); a paid element goes through validation."""
        return self._query({"tran_id": our_reference}, provider_ref=provider_ref)

    def _query(self, by: dict[str, str], *, provider_ref: str) -> ProviderStatus:
        params = {**by, **self._credentials(), "format": "json"}
        body = self._call("query", "GET", QUERY_PATH, params=params)
        if body.get("APIConnect") != "DONE":
            logger.warning("sslcommerz query APIConnect=%s", body.get("APIConnect"))
            return ProviderStatus(
                state=ProviderState.UNKNOWN,
                provider_ref=provider_ref,
                failure_reason=f"api_connect_{body.get('APIConnect')}",
                raw=_safe(body),
            )
        if "element" in body:  # by tran_id: a list of attempts
            elements = [e for e in body.get("element") or [] if isinstance(e, dict)]
            found = str(body.get("no_of_trans_found") or "0").strip() not in ("0", "")
        else:  # by sessionkey: one flat object
            elements = [body] if body.get("status") in ELEMENT_STATES else []
            found = bool(elements)
        if not found or not elements:
            return ProviderStatus(
                state=ProviderState.UNKNOWN,
                provider_ref=provider_ref,
                failure_reason="not_found",
                raw=_safe(body),
            )
        element = self._best(elements)
        element_status = str(element.get("status") or "")
        logger.info("sslcommerz query tran_id=%s status=%s", element.get("tran_id"), element_status)
        state = ELEMENT_STATES.get(element_status, ProviderState.UNKNOWN)
        if state == ProviderState.COMPLETED and element.get("val_id"):
            validated = self.validate(str(element["val_id"]))
            if validated.state == ProviderState.FAILED:  # the query shows it paid: not failed
                validated = dataclasses.replace(validated, state=ProviderState.UNKNOWN)
            elif str(validated.our_reference or "") != str(element.get("tran_id") or ""):
                validated = ProviderStatus(
                    state=ProviderState.UNKNOWN,
                    failure_reason="validation does not match this payment",
                    raw=validated.raw,
                )
            return self._bind(validated, provider_ref)
        if state == ProviderState.COMPLETED:  # paid without a val_id: cannot be validated
            state = ProviderState.UNKNOWN
        pending = state == ProviderState.PENDING
        reason = element.get("error") or (None if pending else element_status)
        return self._status(
            state, element, failure_reason=reason or None, paid=False, provider_ref=provider_ref
        )

    @staticmethod
    def _best(elements: list[dict]) -> dict:
        """Several attempts may share a tran_id: a paid one wins, then a pending one, else last."""
        for wanted in (PAID_STATUSES, {"PENDING", "UNATTEMPTED"}):
            for element in elements:
                if element.get("status") in wanted:
                    return element
        return elements[-1]

    # -----------------------------------------------------------------------------------------
    # Refunds (§3.7)
    # -----------------------------------------------------------------------------------------
    def refund(
        self,
        *,
        provider_ref: str,
        provider_trx_id: str,
        amount: Decimal,
        reason: str,
        refund_reference: str,
    ) -> RefundResult:
        """Initiate a refund. ``refund_id`` of the result is SSLCommerz's ``refund_ref_id``."""
        params = {
            "bank_tran_id": provider_trx_id,
            "refund_trans_id": refund_reference,
            "refund_amount": f"{amount.quantize(Decimal('0.01'))}",
            "refund_remarks": reason[:255],
            **self._credentials(),
            "v": "1",
            "format": "json",
        }
        try:
            body = self._call("refund", "GET", QUERY_PATH, params=params)
        except GatewayError as error:  # money may have moved: unknown, never failed
            return RefundResult(
                state=ProviderState.UNKNOWN, amount=amount, failure_reason=error.code
            )
        return self._refund_result(body, REFUND_INITIATE_STATES, amount, "refund")

    def refund_status(
        self,
        *,
        provider_ref: str,
        provider_trx_id: str,
        refund_reference: str,
        provider_refund_id: str | None = None,
    ) -> RefundResult:
        """Refund status by ``refund_ref_id``, SSLCommerz's own id (``provider_refund_id``, the
        ``refund_id`` that ``refund`` returned). Without it SSLCommerz cannot be asked: UNKNOWN."""
        if not provider_refund_id:
            return RefundResult(state=ProviderState.UNKNOWN, failure_reason="no_refund_ref_id")
        params = {"refund_ref_id": provider_refund_id, **self._credentials(), "format": "json"}
        try:
            body = self._call("refund_status", "GET", QUERY_PATH, params=params)
        except GatewayError as error:
            return RefundResult(state=ProviderState.UNKNOWN, failure_reason=error.code)
        return self._refund_result(body, REFUND_STATUS_STATES, None, "refund_status")

    @staticmethod
    def _refund_result(
        body: dict, states: dict[str, ProviderState], amount: Decimal | None, api: str
    ) -> RefundResult:
        status = str(body.get("status") or "").lower()
        logger.info(
            "sslcommerz %s bank_tran_id=%s status=%s", api, body.get("bank_tran_id"), status
        )
        if body.get("APIConnect") != "DONE":
            state = ProviderState.UNKNOWN
        else:
            state = states.get(status, ProviderState.UNKNOWN)
        return RefundResult(
            state=state,
            refund_id=str(body["refund_ref_id"]) if body.get("refund_ref_id") else None,
            amount=amount if amount is not None else _decimal(body.get("refund_amount")),
            failure_reason=(body.get("errorReason") or None)
            if state != ProviderState.COMPLETED
            else None,
            raw=_safe(body),
        )
