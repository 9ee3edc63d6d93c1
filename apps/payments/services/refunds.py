"""Refunds: asked by the payer or a super admin, carried out through the provider, followed up."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import notification_send
from apps.users.models import ActivityAction, User
from apps.users.services import activity_record
from core.exceptions import Conflict, ErrorCode, NotFound
from core.figures import dashboard_touch

from ..gateways.base import GatewayError, ProviderState
from ..gateways.registry import gateway_named
from ..models import (
    Payment,
    PaymentLog,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from ..purposes import purpose_follow
from .common import (
    _invalid,
    _log,
    logger,
)


def _refundable(payment: Payment) -> Decimal:
    """What can still be asked for: paid, minus refunded, minus refunds already under way."""
    under_way = payment.refunds.filter(
        status__in=(RefundStatus.REQUESTED, RefundStatus.PROCESSING)
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return payment.amount - payment.refunded_amount - under_way


@transaction.atomic
def refund_request(
    *, payment: Payment, actor: User, reason: str, amount: Decimal | None = None
) -> Refund:
    """The payer (or a super admin) asks for money back; the whole rest unless ``amount``."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.COMPLETED:
        raise Conflict(
            _("Only a completed payment can be refunded."), code=ErrorCode.NOT_REFUNDABLE
        )
    refundable = _refundable(payment)
    amount = refundable if amount is None else amount
    if amount <= 0 or amount > refundable:
        raise _invalid(
            "amount",
            _("At most %(max)s BDT of this payment can still be refunded.") % {"max": refundable},
        )
    refund = Refund.objects.create(
        payment=payment, requested_by=actor, amount=amount, reason=reason
    )
    _log(
        payment,
        "refund_requested",
        old=payment.status,
        detail={"refund": str(refund.pk), "amount": str(amount)},
    )
    return refund


def refund_ask(
    *, payment: Payment, actor: User, reason: str, amount: Decimal | None = None
) -> Refund:
    """The payer asks; a super admin's request is carried out at once. Staff who may read a
    payment may not ask to refund it (404, like anything else they may not touch)."""
    is_super = actor.user_type == "super_admin"
    if payment.user_id != actor.pk and not is_super:
        raise NotFound()
    refund = refund_request(payment=payment, actor=actor, reason=reason, amount=amount)
    return refund_execute(refund=refund, actor=actor) if is_super else refund


@transaction.atomic
def refund_reject(*, refund: Refund, actor: User, reason: str) -> Refund:
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status != RefundStatus.REQUESTED:
        raise Conflict(_("This refund has already been decided."), code=ErrorCode.REFUND_DECIDED)
    refund.status = RefundStatus.REJECTED
    refund.decided_by = actor
    refund.failure_reason = reason[:500]
    refund.save(update_fields=["status", "decided_by", "failure_reason", "updated_at"])
    activity_record(
        action=ActivityAction.REFUND_REJECTED,
        actor=actor,
        resource=refund,
        details={"payment": str(refund.payment_id), "amount": str(refund.amount)},
    )
    _refund_notify(refund, refund.payment)
    return refund


def refund_execute(*, refund: Refund, actor: User) -> Refund:
    """A super admin approves: the provider refunds under the payment's row lock (no double
    refund); an unsure answer leaves the refund processing, for ``refunds_follow_up``."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
        if refund.status != RefundStatus.REQUESTED:
            raise Conflict(
                _("This refund has already been decided."), code=ErrorCode.REFUND_DECIDED
            )
        if (
            payment.status != PaymentStatus.COMPLETED
            or refund.amount > payment.amount - payment.refunded_amount
        ):
            raise Conflict(
                _("Only a completed payment can be refunded."), code=ErrorCode.NOT_REFUNDABLE
            )
        refund.decided_by = actor
        activity_record(
            action=ActivityAction.REFUND_APPROVED,
            actor=actor,
            resource=refund,
            details={"payment": str(payment.pk), "amount": str(refund.amount)},
        )
        try:
            result = gateway_named(payment.gateway).refund(
                provider_ref=payment.gateway_transaction_id,
                provider_trx_id=payment.gateway_trx_id,
                amount=refund.amount,
                reason=refund.reason[:100],
                refund_reference=_refund_reference(refund),
            )
        except GatewayError as exc:
            if exc.transient:
                refund.status = RefundStatus.PROCESSING
                refund.failure_reason = exc.code
            else:
                refund.status = RefundStatus.FAILED
                refund.failure_reason = exc.code
            refund.save()
            _log(
                payment,
                "refund_error",
                old=payment.status,
                detail={"refund": str(refund.pk), "code": exc.code},
            )
            if refund.status == RefundStatus.FAILED:
                _refund_notify(refund, payment)
            return refund
        refund.provider_refund_id = result.refund_id
        if result.state == ProviderState.COMPLETED:
            _refund_complete(refund, payment, source="execute")
        elif result.state == ProviderState.FAILED:
            _refund_fail(refund, payment, reason=result.failure_reason, source="execute")
        else:
            refund.status = RefundStatus.PROCESSING
            refund.save()
            _log(payment, "refund_pending", old=payment.status, detail={"refund": str(refund.pk)})
        return refund


def _refund_reference(refund: Refund) -> str:
    """Our id of a refund at the provider (bKash ``sku``, SSLCommerz ``refund_trans_id``)."""
    return refund.pk.hex[:20]


def _refund_complete(refund: Refund, payment: Payment, *, source: str) -> None:
    """The provider paid ``refund`` back: count it on the payment, once. The caller holds both
    rows' locks and has checked that the refund was under way."""
    refund.status = RefundStatus.COMPLETED
    refund.completed_at = timezone.now()
    refund.failure_reason = None  # a transient error on the way there is no longer the story
    refund.save()
    old = payment.status
    payment.refunded_amount += refund.amount
    if payment.refunded_amount == payment.amount:
        payment.status = PaymentStatus.REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    detail = {"refund": str(refund.pk), "amount": str(refund.amount), "source": source}
    _log(payment, "refunded", old=old, detail=detail)
    _refund_notify(refund, payment)
    if payment.status == PaymentStatus.REFUNDED:  # the refund message above told the payer
        purpose_follow(payment, announce=False)
    transaction.on_commit(dashboard_touch)


def _refund_fail(refund: Refund, payment: Payment, *, reason: str | None, source: str) -> None:
    """The provider refused ``refund``: nothing moved, the payment stays as it is."""
    refund.status = RefundStatus.FAILED
    refund.failure_reason = (reason or "refused by the provider")[:500]
    refund.save()
    detail = {"refund": str(refund.pk), "source": source}
    _log(payment, "refund_refused", old=payment.status, detail=detail)
    _refund_notify(refund, payment)


REFUND_MESSAGES = {
    RefundStatus.COMPLETED: (
        _("Refund made"),
        _("We refunded %(amount)s BDT of your payment. Ref: %(ref)s"),
    ),
    RefundStatus.FAILED: (
        _("Refund not made"),
        _("Your refund of %(amount)s BDT could not be made. Ref: %(ref)s"),
    ),
    RefundStatus.REJECTED: (
        _("Refund declined"),
        _("Your refund request for %(amount)s BDT was declined. Ref: %(ref)s"),
    ),
}


def _refund_notify(refund: Refund, payment: Payment) -> None:
    """Tell the payer how their refund ended (once per refund and outcome; sent after commit)."""
    title, body = REFUND_MESSAGES[refund.status]
    notification_send(
        user=payment.user,
        kind=f"refund.{refund.status}",
        title=title,
        body=body,
        params={"amount": refund.amount, "ref": payment.transaction_id},
        data={"payment_id": str(payment.pk), "refund_id": str(refund.pk), "status": refund.status},
        dedupe_key=f"refund:{refund.pk}:{refund.status}",
    )


# A refund's trail of unsure answers gets at most one row this often, so one that never settles
# does not flood the payment log; past REFUND_STUCK_SECONDS processing, operations are told once.
REFUND_TRAIL_SECONDS = 24 * 3600
REFUND_STUCK_SECONDS = 3 * 24 * 3600


def refunds_follow_up(*, now=None, batch: int = 200) -> int:
    """Ask the provider about refunds it left processing and settle each once; returns how many
    completed or failed. A refund is asked once REFUND_FOLLOW_UP_AFTER has passed since it went
    processing or was last asked, least recently asked first: refunds that never settle go to
    the back of the queue and cannot crowd out newer ones. An unsure answer (pending, unknown,
    unreachable) leaves the refund processing, to be asked again (``_refund_unsure``).

    Each refund is taken with SKIP LOCKED, then its payment's row lock (the order refund_execute
    takes them in), so two workers running this never ask about, or count, one refund twice.
    """
    now = now or timezone.now()
    ids = list(
        Refund.objects.filter(
            status=RefundStatus.PROCESSING,
            updated_at__lte=now - settings.REFUND_FOLLOW_UP_AFTER,
        )
        .order_by("updated_at")
        .values_list("pk", flat=True)[:batch]
    )
    decided = 0
    for refund_id in ids:
        with transaction.atomic():
            refund = (
                Refund.objects.select_for_update(skip_locked=True)
                .filter(pk=refund_id, status=RefundStatus.PROCESSING)
                .first()
            )
            if refund is None:
                continue  # another worker has it, or it was settled meanwhile
            payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
            decided += _refund_follow_up(refund, payment, now=now)
    return decided


def _refund_follow_up(refund: Refund, payment: Payment, *, now) -> bool:
    """Ask about one locked, processing refund; True when the answer decided it."""
    try:
        answer = gateway_named(payment.gateway).refund_status(
            provider_ref=payment.gateway_transaction_id,
            provider_trx_id=payment.gateway_trx_id,
            refund_reference=_refund_reference(refund),
            provider_refund_id=refund.provider_refund_id,
        )
    except GatewayError as exc:
        logger.info("refund %s follow-up: provider unreachable (%s)", refund.pk, exc.code)
        _refund_unsure(refund, payment, now=now, answer={"code": exc.code})
        return False
    if answer.state == ProviderState.COMPLETED:
        if answer.amount is not None and answer.amount != refund.amount:
            logger.warning(
                "refund %s follow-up: the provider refunded %s, we asked for %s; left for a human",
                refund.pk,
                answer.amount,
                refund.amount,
            )
            mismatch = {"code": "amount_mismatch", "amount": str(answer.amount)}
            _refund_unsure(refund, payment, now=now, answer=mismatch)
            return False
        refund.provider_refund_id = refund.provider_refund_id or answer.refund_id
        _refund_complete(refund, payment, source="follow_up")
        return True
    if answer.state == ProviderState.FAILED:
        _refund_fail(refund, payment, reason=answer.failure_reason, source="follow_up")
        return True
    said = {"state": str(answer.state)}
    if answer.failure_reason:
        said["reason"] = answer.failure_reason[:200]
    _refund_unsure(refund, payment, now=now, answer=said)
    return False


def _refund_unsure(refund: Refund, payment: Payment, *, now, answer: dict) -> None:
    """The provider's answer decided nothing; the refund stays processing (unknown is not
    failed, GATEWAYS.md §7.4). Touch it so the next run asks the others first; log the answer
    (the payment log records every provider call) at most once a day per refund; and tell
    operations, once, when it has been processing for days: a human must settle it."""
    refund.save(update_fields=["updated_at"])
    trail = PaymentLog.objects.filter(payment=payment, detail__refund=str(refund.pk))
    last = (
        trail.filter(event="refund_still_processing")
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None or (now - last).total_seconds() > REFUND_TRAIL_SECONDS:
        detail = {"refund": str(refund.pk), **answer, "source": "follow_up"}
        _log(payment, "refund_still_processing", old=payment.status, detail=detail)
    # Processing since refund_execute left it so (a request may wait days for its approval).
    since = (
        trail.filter(event__in=("refund_pending", "refund_error"))
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    ) or refund.created_at
    stuck = (now - since).total_seconds() > REFUND_STUCK_SECONDS
    if stuck and not trail.filter(event="refund_stuck").exists():
        _log(payment, "refund_stuck", old=payment.status, detail={"refund": str(refund.pk)})
        logger.error(
            "refund %s has been processing since %s; settle it with the provider by hand",
            refund.pk,
            since.isoformat(),
        )
