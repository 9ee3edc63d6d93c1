"""Nagad Merchant PGW (checkout): our thin httpx client (GATEWAYS.md §2).

create = ``check-out/initialize`` + ``check-out/complete``; confirm and query = ``verify/payment``,
the only source of truth. Requests carry ``sensitiveData`` = base64(RSA PKCS#1 v1.5 encrypt of one
compact JSON string with Nagad's public key) and ``signature`` = base64(SHA256withRSA of the same
string with our private key). Answers carry ``sensitiveData`` encrypted to our key and Nagad's
signature, checked when ``NAGAD_VERIFY_RESPONSE_SIGNATURE`` (§2.3 says this is unconfirmed).

Refunds: §2 documents no merchant refund API, so ``refund`` and ``refund_status`` raise
``GatewayError(code="refund_unsupported", transient=False)``; the payments service records a
manual refund instead.

Keys, signatures, challenges and sensitiveData are never logged.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import re
import secrets
import string
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
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
    money_text,
)

logger = logging.getLogger(__name__)

PROVIDER = "nagad"
API_VERSION = "v-0.2.0"
CURRENCY_CODE = "050"  # ISO 4217 numeric for BDT
CLIENT_TYPES = frozenset({"PC_WEB", "MOBILE_WEB", "MOBILE_APP", "WALLET_WEB_VIEW", "BILL_KEY"})
FALLBACK_IPV4 = "127.0.0.1"
DHAKA = ZoneInfo("Asia/Dhaka")
_CHALLENGE_ALPHABET = string.ascii_letters + string.digits
_PEM_BODY = re.compile(r"-----[A-Z ]+-----|\s+")

STATES = {
    "Success": ProviderState.COMPLETED,
    "Aborted": ProviderState.CANCELLED,
    "Cancelled": ProviderState.CANCELLED,
    "Failed": ProviderState.FAILED,
    "Initiated": ProviderState.PENDING,
    "Ready": ProviderState.PENDING,
    "InProgress": ProviderState.PENDING,
}


# ---------------------------------------------------------------------------------------------
# Cryptography (§2.3)
# ---------------------------------------------------------------------------------------------
def load_private_key(text: str) -> rsa.RSAPrivateKey:
    """A PEM private key; also a PKCS#8 body under the wrong header, or a bare base64 body."""
    data = text.strip().encode()
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        key = serialization.load_der_private_key(_der(text), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("not an RSA private key")
    return key


def load_public_key(text: str) -> rsa.RSAPublicKey:
    data = text.strip().encode()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        key = serialization.load_der_public_key(_der(text))
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA public key")
    return key


def _der(text: str) -> bytes:
    try:
        return base64.b64decode(_PEM_BODY.sub("", text), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("unreadable key") from exc


def compact_json(obj: dict) -> str:
    """One string for both encryption and signature, in PHP ``json_encode``'s compact form."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def encrypt(plaintext: str, public_key: rsa.RSAPublicKey) -> str:
    return base64.b64encode(public_key.encrypt(plaintext.encode(), padding.PKCS1v15())).decode()


def sign(plaintext: str, private_key: rsa.RSAPrivateKey) -> str:
    signature = private_key.sign(plaintext.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def decrypt(ciphertext: str, private_key: rsa.RSAPrivateKey) -> str:
    return private_key.decrypt(base64.b64decode(ciphertext), padding.PKCS1v15()).decode()


def signature_ok(plaintext: str, signature: str, public_key: rsa.RSAPublicKey) -> bool:
    try:
        public_key.verify(
            base64.b64decode(signature, validate=True),
            plaintext.encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def _client_ip(value: str | None) -> str:
    """X-KM-IP-V4 must be IPv4; IPv6, loopback ::1 or garbage become a fixed IPv4 (§2.2)."""
    try:
        address = ipaddress.ip_address(value or "")
    except ValueError:
        return FALLBACK_IPV4
    if isinstance(address, ipaddress.IPv6Address):
        return str(address.ipv4_mapped) if address.ipv4_mapped else FALLBACK_IPV4
    return str(address)


# ---------------------------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------------------------
class NagadGateway:
    """Nagad checkout. Amounts are Decimal, keys PEM; every call has a timeout."""

    name = PROVIDER

    def __init__(
        self,
        *,
        base_url: str | None = None,
        merchant_id: str | None = None,
        merchant_private_key: str | None = None,
        nagad_public_key: str | None = None,
        verify_response_signature: bool | None = None,
        client_type: str = "PC_WEB",
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
        redirect_hosts: frozenset[str] | None = None,
    ):
        self.base_url = (base_url or settings.NAGAD_BASE_URL).rstrip("/")
        self.merchant_id = merchant_id or settings.NAGAD_MERCHANT_ID
        if not self.merchant_id:
            raise GatewayError("NAGAD_MERCHANT_ID is not set", code="config", transient=False)
        private_pem = merchant_private_key or settings.NAGAD_MERCHANT_PRIVATE_KEY
        public_pem = nagad_public_key or settings.NAGAD_PUBLIC_KEY
        if not (private_pem and public_pem):
            raise GatewayError(
                "NAGAD_MERCHANT_PRIVATE_KEY and NAGAD_PUBLIC_KEY are required",
                code="config",
                transient=False,
            )
        try:
            self._private_key = load_private_key(private_pem)
            self._nagad_key = load_public_key(public_pem)
        except ValueError as exc:
            raise GatewayError("a Nagad key is unreadable", code="config", transient=False) from exc
        self.verify_response_signature = (
            settings.NAGAD_VERIFY_RESPONSE_SIGNATURE
            if verify_response_signature is None
            else verify_response_signature
        )
        if client_type not in CLIENT_TYPES:
            raise ValueError(f"unknown X-KM-Client-Type {client_type!r}")
        self.client_type = client_type
        self.timeout = timeout if timeout is not None else settings.PAYMENT_TIMEOUT_SECONDS
        self._transport = transport  # None: core.transports picks one from settings
        # Live Nagad is https; plain http only against a sandbox (§2.1 sandbox, our simulator).
        self._https_only = httpx.URL(self.base_url).scheme == "https"
        # Where Nagad's hosted page may live (§2.1); callBackUrl must point at one (§7.8).
        self.redirect_hosts = (
            hosted_page_hosts(self.base_url, settings.NAGAD_REDIRECT_HOSTS)
            if redirect_hosts is None
            else frozenset(redirect_hosts)
        )

    def __repr__(self) -> str:  # keeps keys out of tracebacks and debug output
        return f"<NagadGateway {self.base_url} merchant={self.merchant_id}>"

    # -- create ---------------------------------------------------------------------------------
    def callback_reference(self, params: dict) -> CallbackReference:
        return CallbackReference(provider_ref=str(params.get("payment_ref_id") or ""))

    def notification_valid(self, params: dict) -> bool:
        return False  # no server-to-server notification is documented (GATEWAYS.md)

    def create(self, intent: PaymentIntent, *, client_ip: str | None = None) -> CreatedPayment:
        """initialize (§2.4) then complete (§2.5); redirect the customer to ``callBackUrl``."""
        if intent.currency != "BDT":
            raise GatewayError("Nagad takes BDT only", code="currency", transient=False)
        order_id = intent.reference
        headers = self._headers(client_ip)

        challenge = "".join(secrets.choice(_CHALLENGE_ALPHABET) for _ in range(40))
        now = datetime.now(DHAKA).strftime("%Y%m%d%H%M%S")
        sensitive = {
            "merchantId": self.merchant_id,
            "datetime": now,
            "orderId": order_id,
            "challenge": challenge,
        }
        init_body = {"dateTime": now, **self._seal(sensitive)}
        url = f"{self.base_url}/check-out/initialize/{self.merchant_id}/{order_id}"
        answer = self._open(self._call("POST", url, "initialize", json=init_body, headers=headers))
        payment_ref = answer.get("paymentReferenceId")
        nagad_challenge = answer.get("challenge")
        if not isinstance(payment_ref, str) or not payment_ref or not nagad_challenge:
            raise GatewayError(
                "Nagad initialize answer is incomplete", code="bad_response", transient=True
            )

        complete_sensitive = {
            "merchantId": self.merchant_id,
            "orderId": order_id,
            "currencyCode": CURRENCY_CODE,
            "amount": money_text(intent.amount),
            "challenge": nagad_challenge,
        }
        complete_body = {
            **self._seal(complete_sensitive),
            "merchantCallbackURL": intent.callback_url,
            "additionalMerchantInfo": {},
        }
        url = f"{self.base_url}/check-out/complete/{payment_ref}"
        body = self._call("POST", url, "complete", json=complete_body, headers=headers)
        redirect = body.get("callBackUrl")
        if body.get("status") != "Success" or not isinstance(redirect, str) or not redirect:
            raise self._refusal(body, "complete")
        self._check_redirect(redirect)
        logger.info("nagad payment created order=%s ref=%s", order_id, payment_ref)
        return CreatedPayment(
            provider_ref=payment_ref,
            redirect_url=redirect,
            raw={
                "paymentReferenceId": payment_ref,
                "status": body.get("status"),
                "callBackUrl": redirect,
            },
        )

    def _check_redirect(self, url: str) -> None:
        """callBackUrl sends the customer away: https, on an expected host (§7.8)."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError):
            parsed = None
        ok = (
            parsed is not None
            and parsed.scheme in ("https", "http")
            and parsed.host in self.redirect_hosts
            and (parsed.scheme == "https" or not self._https_only)
            and not (parsed.scheme == "http" and parsed.host == "api.mynagad.com")
        )
        if not ok:
            raise GatewayError(
                "Nagad callBackUrl points at an unexpected place",
                code="redirect_refused",
                transient=False,
            )

    # -- verify ---------------------------------------------------------------------------------
    def confirm(self, *, provider_ref: str, callback: dict) -> ProviderStatus:
        """The callback's ``status`` is only a hint: verify/payment decides (§2.6, §2.7)."""
        return self._verify(provider_ref)

    def query(self, *, provider_ref: str, our_reference: str) -> ProviderStatus:
        status = self._verify(provider_ref)
        if status.our_reference not in (None, our_reference):
            raise GatewayError(
                "Nagad reports another orderId for this payment",
                code="reference_mismatch",
                transient=False,
            )
        return status

    def _verify(self, provider_ref: str) -> ProviderStatus:
        url = f"{self.base_url}/verify/payment/{provider_ref}"
        body = self._call("GET", url, "verify", headers=self._headers(None))
        status_text = body.get("status")
        if not isinstance(status_text, str):
            raise self._refusal(body, "verify")
        merchant = body.get("merchantId")
        if merchant is not None and str(merchant) != self.merchant_id:
            raise GatewayError(
                "Nagad verify names another merchant", code="merchant_mismatch", transient=False
            )
        state = STATES.get(status_text, ProviderState.UNKNOWN)
        if state is ProviderState.COMPLETED and str(body.get("statusCode")) != "000":
            state = ProviderState.UNKNOWN  # "Success" with a non-success code: ask again later
        amount = None
        if body.get("amount") not in (None, ""):
            try:
                amount = Decimal(str(body["amount"]))
            except InvalidOperation as exc:
                raise GatewayError(
                    "Nagad sent an unreadable amount", code="bad_response", transient=True
                ) from exc
        trx_id = body.get("issuerPaymentRefNo") or None
        if state is ProviderState.COMPLETED and (not trx_id or amount is None):
            raise GatewayError(
                "Nagad Success without trx id or amount", code="bad_response", transient=True
            )
        logger.info("nagad verify ref=%s status=%s", provider_ref, status_text)
        return ProviderStatus(
            state=state,
            provider_ref=str(body.get("paymentRefId") or provider_ref),
            provider_trx_id=str(trx_id) if trx_id and state is ProviderState.COMPLETED else None,
            amount=amount,
            currency="BDT",
            our_reference=str(body["orderId"]) if body.get("orderId") else None,
            failure_reason=None
            if state in (ProviderState.COMPLETED, ProviderState.PENDING)
            else str(
                body.get("message")
                or body.get("reason")
                or f"{status_text} {body.get('statusCode')}"
            ),
            raw=body,
        )

    # -- refunds --------------------------------------------------------------------------------
    def refund(
        self, *, provider_ref, provider_trx_id, amount, reason, refund_reference
    ) -> RefundResult:
        raise GatewayError(
            "Nagad has no documented refund API", code="refund_unsupported", transient=False
        )

    def refund_status(
        self, *, provider_ref, provider_trx_id, refund_reference, provider_refund_id=None
    ) -> RefundResult:
        raise GatewayError(
            "Nagad has no documented refund API", code="refund_unsupported", transient=False
        )

    # -- wire -----------------------------------------------------------------------------------
    def _headers(self, client_ip: str | None) -> dict[str, str]:
        return {
            "Accept": "application/json",
            "X-KM-Api-Version": API_VERSION,
            "X-KM-IP-V4": _client_ip(client_ip),
            "X-KM-Client-Type": self.client_type,
        }

    def _seal(self, obj: dict) -> dict[str, str]:
        plaintext = compact_json(obj)
        return {
            "sensitiveData": encrypt(plaintext, self._nagad_key),
            "signature": sign(plaintext, self._private_key),
        }

    def _open(self, body: dict) -> dict:
        """Decrypt and check an answer's sensitiveData; a refusal carries reason/message."""
        ciphertext, signature = body.get("sensitiveData"), body.get("signature")
        if not isinstance(ciphertext, str) or not isinstance(signature, str):
            raise self._refusal(body, "initialize")
        try:
            plaintext = decrypt(ciphertext, self._private_key)
        except (ValueError, binascii.Error) as exc:
            raise GatewayError(
                "Nagad sensitiveData is unreadable", code="bad_response", transient=True
            ) from exc
        if self.verify_response_signature and not signature_ok(
            plaintext, signature, self._nagad_key
        ):
            logger.warning("nagad answer refused: signature does not verify")
            raise GatewayError(
                "Nagad's signature does not verify", code="bad_signature", transient=False
            )
        try:
            data = json.loads(plaintext)
        except ValueError as exc:
            raise GatewayError(
                "Nagad sensitiveData is not JSON", code="bad_response", transient=True
            ) from exc
        if not isinstance(data, dict):
            raise GatewayError(
                "Nagad sensitiveData is not an object", code="bad_response", transient=True
            )
        return data

    def _call(self, method: str, url: str, step: str, **kwargs: Any) -> dict:
        response = gateway_request(
            provider=PROVIDER,
            step=step,
            method=method,
            url=url,
            timeout=self.timeout,
            transport=self._transport,
            **kwargs,
        )
        status, body = response.status_code, json_object(response)
        if status >= 500 or status == 429:
            logger.warning("nagad %s: HTTP %s", step, status)
            raise GatewayError(
                f"Nagad {step} answered HTTP {status}", code=f"http_{status}", transient=True
            )
        if body is None:
            logger.warning("nagad %s: unreadable answer, HTTP %s", step, status)
            raise GatewayError(
                f"Nagad {step} sent an unreadable answer", code="bad_response", transient=True
            )
        if status >= 400 and not body.get("reason"):
            raise GatewayError(
                f"Nagad {step} answered HTTP {status}", code=f"http_{status}", transient=False
            )
        return body

    def _refusal(self, body: dict, step: str) -> GatewayError:
        reason = body.get("reason")
        if not reason:
            return GatewayError(
                f"Nagad {step} sent an unexpected answer", code="bad_response", transient=True
            )
        logger.info("nagad %s refused: %s", step, reason)
        return GatewayError(
            f"Nagad {step} refused: {body.get('message') or reason}",
            code=str(reason),
            transient=False,
        )
