"""The interface every payment provider client implements, and the types it speaks.

Clients are thin: no Django models, base URL and credentials injected (defaults from settings),
an injectable httpx transport, a timeout on every call, Decimal amounts, secrets never logged.
Nothing a browser sends is trusted: ``confirm`` and ``query`` ask the provider server-to-server.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol


def money_text(amount: Decimal) -> str:
    """An amount the way every provider wants it on the wire: a string with two decimals."""
    return str(Decimal(amount).quantize(Decimal("0.01")))


class ProviderState(enum.StrEnum):
    """What the provider says about a payment, mapped onto our vocabulary."""

    PENDING = "pending"  # created/initiated, the customer has not finished
    COMPLETED = "completed"  # money moved; provider_trx_id is set
    FAILED = "failed"  # the provider says it did not and will not complete
    CANCELLED = "cancelled"  # the customer cancelled, or it expired unpaid
    UNKNOWN = "unknown"  # no trustworthy answer (timeout, 5xx, garbage): ask again later


@dataclass(frozen=True)
class PaymentIntent:
    """What we ask a provider to collect. ``reference`` is our own unique transaction id."""

    reference: str
    amount: Decimal
    payer_phone: str  # E.164
    callback_url: str  # where the provider sends the browser back (absolute URL)
    description: str
    method: str  # bkash | nagad | rocket | upay
    currency: str = "BDT"
    ipn_url: str | None = None  # server-to-server notification URL, where the provider has one


@dataclass(frozen=True)
class CreatedPayment:
    provider_ref: str  # bKash paymentID, Nagad paymentReferenceId, SSLCommerz sessionkey
    redirect_url: str  # the provider's hosted page; checked to be https on the expected host
    raw: dict = field(default_factory=dict)  # the provider's answer, secrets removed


@dataclass(frozen=True)
class ProviderStatus:
    state: ProviderState
    provider_ref: str | None = None
    provider_trx_id: str | None = None  # the provider's final transaction id (UNIQUE in our DB)
    amount: Decimal | None = None
    currency: str | None = None
    our_reference: str | None = None  # the invoice/tran_id the provider echoes back
    failure_reason: str | None = None
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    state: ProviderState  # COMPLETED, PENDING, FAILED or UNKNOWN
    refund_id: str | None = None
    amount: Decimal | None = None
    failure_reason: str | None = None
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CallbackReference:
    """Which payment a callback or notification names: by our reference (``tran_id``) or by
    the provider's (``paymentID``, ``payment_ref_id``). Empty when it names none."""

    ours: str = ""
    provider_ref: str = ""


class GatewayError(Exception):
    """A call that did not give a usable answer. ``transient``: the same call may work later;
    an error on a money-moving call means the outcome is UNKNOWN, never failed."""

    def __init__(self, message: str, *, code: str, transient: bool):
        super().__init__(message)
        self.code = code
        self.transient = transient


class Gateway(Protocol):
    name: str  # bkash | nagad | sslcommerz

    def create(self, intent: PaymentIntent) -> CreatedPayment: ...

    def callback_reference(self, params: dict) -> CallbackReference:
        """The payment a browser callback or notification names (its field names are the
        provider's business, never the views')."""

    def notification_valid(self, params: dict) -> bool:
        """Whether a server-to-server notification is authentic enough to act on (SSLCommerz's
        verify_sign); a provider that sends none answers False. Acting still means asking."""

    def confirm(self, *, provider_ref: str, callback: dict) -> ProviderStatus:
        """Finish or verify after the browser came back (bKash execute with query fallback,
        Nagad verify, SSLCommerz validation by val_id). ``callback`` is only a hint."""

    def query(self, *, provider_ref: str, our_reference: str) -> ProviderStatus:
        """Ask the provider for the payment's state (reconciler, verify/)."""

    def refund(
        self,
        *,
        provider_ref: str,
        provider_trx_id: str,
        amount: Decimal,
        reason: str,
        refund_reference: str,
    ) -> RefundResult: ...

    def refund_status(
        self,
        *,
        provider_ref: str,
        provider_trx_id: str,
        refund_reference: str,
        provider_refund_id: str | None = None,
    ) -> RefundResult:
        """Ask where a refund stands. ``refund_reference`` is ours (what ``refund`` sent);
        ``provider_refund_id`` is the provider's own id (``refund``'s ``refund_id``), None when
        the answer to ``refund`` was lost: a provider that can only be asked by its own id
        answers UNKNOWN then."""
