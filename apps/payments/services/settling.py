"""Settling a payment from the provider's own word: callbacks, IPNs, verify/, the reconciler.

Rules (GATEWAYS.md §7): a browser callback is only a prompt to ask the provider; the answer must
match what we stored (amount, currency, our reference) exactly; a payment completes at most once
(row lock + state check + the provider's transaction id unique); an unsure answer leaves it as
it was, never failed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import notification_send
from apps.users.models import ActivityAction, User
from apps.users.services import activity_record
from core.exceptions import ErrorCode, NotFound, ValidationFailed
from core.figures import dashboard_touch

from ..gateways.base import Gateway, GatewayError, ProviderState, ProviderStatus
from ..gateways.registry import gateway_named
from ..models import (
    Payment,
    PaymentStatus,
)
from ..purposes import purpose_follow
from ..selectors import payment_service_name
from .common import (
    OPEN,
    _log,
)


def _matches(payment: Payment, answer: ProviderStatus) -> bool:
    return (
        answer.amount is not None
        and Decimal(answer.amount) == payment.amount
        and (answer.currency or "BDT").upper() == "BDT"
        and answer.our_reference == payment.transaction_id
    )


def _notify(payment: Payment) -> None:
    if payment.status == PaymentStatus.COMPLETED:
        title, body = (
            _("Payment received"),
            _("We received %(amount)s BDT for %(service)s. Ref: %(ref)s"),
        )
    else:
        title, body = (
            _("Payment not completed"),
            _("Your payment of %(amount)s BDT did not go through. Ref: %(ref)s"),
        )
    notification_send(
        user=payment.user,
        kind=f"payment.{payment.status}",
        title=title,
        body=body,
        params={
            "amount": payment.amount,
            "service": payment_service_name(payment.service_type),
            "ref": payment.transaction_id,
        },
        data={"payment_id": str(payment.pk), "status": payment.status},
        dedupe_key=f"payment:{payment.pk}:{payment.status}",
    )


def _apply(payment: Payment, answer: ProviderStatus, *, source: str) -> None:
    old = payment.status
    detail = {"source": source, "state": str(answer.state)}
    if answer.state == ProviderState.COMPLETED:
        if not _matches(payment, answer):
            seen = {"amount": str(answer.amount), "reference": answer.our_reference}
            _log(payment, "mismatch", old=old, detail={**detail, **seen})
            return
        payment.status = PaymentStatus.COMPLETED
        payment.gateway_trx_id = answer.provider_trx_id
        payment.completed_at = timezone.now()
        payment.failure_reason = None
    elif answer.state in (ProviderState.FAILED, ProviderState.CANCELLED):
        payment.status = (
            PaymentStatus.FAILED
            if answer.state == ProviderState.FAILED
            else PaymentStatus.CANCELLED
        )
        payment.failure_reason = (answer.failure_reason or str(answer.state))[:500]
    else:
        _log(payment, "still_open", old=old, detail=detail)
        return
    payment.gateway_response = {**payment.gateway_response, source: answer.raw}
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:  # that provider transaction already completed another payment
        payment.refresh_from_db()
        _log(payment, "duplicate_provider_transaction", old=old, detail=detail)
        return
    _log(payment, "settled", old=old, detail=detail)
    transaction.on_commit(dashboard_touch)
    # The purpose a payment was for (a donation) may take over telling the payer.
    if not purpose_follow(payment, announce=True):
        _notify(payment)


def _settle(payment: Payment, ask: Callable[[Gateway, Payment], ProviderStatus], *, source: str):
    """Ask the provider about ``payment`` under its row lock and apply the answer once."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status not in OPEN or not payment.gateway_transaction_id:
            return payment  # settled already: a replay changes nothing
        try:
            answer = ask(gateway_named(payment.gateway), payment)
        except GatewayError as exc:
            _log(payment, "provider_unreachable", old=payment.status, detail={"code": exc.code})
            return payment
        _apply(payment, answer, source=source)
        return payment


def payment_find_for_callback(*, gateway: str, params: dict) -> Payment:
    """Our payment named by a provider callback; anything we never created is 404."""
    if gateway not in settings.PAYMENT_GATEWAYS:
        raise NotFound()
    reference = gateway_named(gateway).callback_reference(params)
    if reference.ours:
        lookup = {"transaction_id": reference.ours}
    elif reference.provider_ref:
        lookup = {"gateway_transaction_id": reference.provider_ref}
    else:
        raise NotFound()
    payment = (
        Payment.objects.filter(gateway=gateway, **lookup)
        .exclude(gateway_transaction_id=None)
        .first()
    )
    if payment is None:
        raise NotFound()
    return payment


def payment_callback_handle(*, gateway: str, params: dict, notification: bool) -> Payment:
    """A browser redirect back from the provider, or (``notification``) its server-to-server
    notification: find our payment, then confirm it server-to-server. A notification that the
    gateway cannot authenticate is refused before anything is looked up; nothing either says
    about the outcome is trusted. NotFound when it names no payment of ours."""
    if gateway not in settings.PAYMENT_GATEWAYS:
        raise NotFound()
    if notification and not gateway_named(gateway).notification_valid(params):
        raise ValidationFailed("invalid signature", code=ErrorCode.INVALID_SIGNATURE)
    payment = payment_find_for_callback(gateway=gateway, params=params)
    return payment_confirm(payment=payment, callback=params)


def payment_confirm(*, payment: Payment, callback: dict) -> Payment:
    """After the browser came back: confirm server-to-server (bKash executes here)."""
    return _settle(
        payment,
        lambda gateway, p: gateway.confirm(
            provider_ref=p.gateway_transaction_id, callback=callback
        ),
        source="confirm",
    )


def payment_query(
    *, payment: Payment, source: str = "query", actor: User | None = None, request=None
) -> Payment:
    """Ask the provider for the state (verify/, IPN, reconciler). A staff member asking about
    someone else's payment is in the audit trail."""
    before = payment.status
    payment = _settle(
        payment,
        lambda gateway, p: gateway.query(
            provider_ref=p.gateway_transaction_id, our_reference=p.transaction_id
        ),
        source=source,
    )
    if actor is not None and actor.pk != payment.user_id:
        activity_record(
            action=ActivityAction.PAYMENT_VERIFIED,
            actor=actor,
            request=request,
            resource=payment,
            details={"from": before, "to": payment.status},
        )
    return payment


def payments_reconcile(*, now=None) -> int:
    """Settle payments left open: ask after PAYMENT_RECONCILE_AFTER, cancel past PAYMENT_EXPIRY.

    Each payment is taken with SKIP LOCKED, so two workers running this never fight over one.
    """
    now = now or timezone.now()
    ids = list(
        Payment.objects.filter(
            status__in=OPEN, created_at__lt=now - settings.PAYMENT_RECONCILE_AFTER
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:200]
    )
    settled = 0
    for payment_id in ids:
        with transaction.atomic():
            payment = (
                Payment.objects.select_for_update(skip_locked=True)
                .filter(pk=payment_id, status__in=OPEN)
                .first()
            )
            if payment is None:
                continue
            if payment.gateway_transaction_id:
                payment = payment_query(payment=payment, source="reconcile")
            if payment.status in OPEN and payment.created_at < now - settings.PAYMENT_EXPIRY:
                old = payment.status
                payment.status = PaymentStatus.CANCELLED
                payment.failure_reason = "expired unpaid"
                payment.save(update_fields=["status", "failure_reason", "updated_at"])
                _log(payment, "expired", old=old)
                transaction.on_commit(dashboard_touch)
                # Silently: the provider may not have answered, so "did not go through" could be
                # wrong (GATEWAYS.md §7); what rides on the payment still follows it.
                purpose_follow(payment, announce=False)
            settled += payment.status not in OPEN
    return settled


# ---------------------------------------------------------------------------------------------
