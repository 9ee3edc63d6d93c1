"""Opening a payment: record the intent, then open it with the provider."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.users.models import User
from core.exceptions import UpstreamUnavailable
from core.figures import dashboard_touch

from ..gateways.base import GatewayError, PaymentIntent
from ..gateways.registry import gateway_for_method, gateway_named
from ..models import (
    PayableService,
    Payment,
    PaymentStatus,
)
from ..purposes import purpose_follow
from .common import (
    PAYABLE_METHODS,
    _check_amount,
    _check_limit,
    _invalid,
    _log,
    _new_reference,
)


def payment_process(
    *, user: User, service_type: str, amount: Decimal, payment_method: str, phone_number: str
) -> Payment:
    """Pay a city service from the fee catalogue."""
    service = PayableService.objects.filter(code=service_type, is_active=True).first()
    if service is None:
        raise _invalid("service_type", _("There is no such service to pay for."))
    _check_amount(service, amount)
    return payment_open(
        user=user,
        purpose=service.code,
        description=service.name_en,
        amount=amount,
        payment_method=payment_method,
        phone_number=phone_number,
    )


def payment_open(
    *,
    user: User,
    purpose: str,
    description: str,
    amount: Decimal,
    payment_method: str,
    phone_number: str,
    attach: Callable[[Payment], object] | None = None,
) -> Payment:
    """Record the intent, open it with the provider, return the payment with its redirect URL.

    ``purpose`` is stored as the payment's service_type (a catalogue code, or e.g. "donation");
    ``attach`` runs in the transaction that records the payment, so whatever the purpose keeps
    beside it (a donation) is written together with it or not at all. The provider is called
    outside any transaction (it may be slow); a crash in between leaves a pending payment the
    reconciler settles.
    """
    if payment_method not in PAYABLE_METHODS:
        raise _invalid("payment_method", _("This payment method is not available."))
    _check_limit(amount)
    gateway_name = gateway_for_method(payment_method)
    with transaction.atomic():
        payment = Payment.objects.create(
            user=user,
            service_type=purpose,
            amount=amount,
            payment_method=payment_method,
            phone_number=phone_number,
            transaction_id=_new_reference(),
            gateway=gateway_name,
        )
        _log(payment, "created")
        transaction.on_commit(dashboard_touch)
        if attach is not None:
            attach(payment)
    base = settings.PAYMENT_PUBLIC_BASE_URL.rstrip("/")
    intent = PaymentIntent(
        reference=payment.transaction_id,
        amount=payment.amount,
        payer_phone=phone_number,
        callback_url=f"{base}/api/v1/payments/callback/{gateway_name}/",
        ipn_url=f"{base}/api/v1/payments/ipn/{gateway_name}/",
        description=description,
        method=payment_method,
    )
    try:
        created = gateway_named(gateway_name).create(intent)
    except GatewayError as exc:
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment.pk)
            payment.status = PaymentStatus.FAILED
            payment.failure_reason = f"could not open the payment with {gateway_name} ({exc.code})"
            payment.save(update_fields=["status", "failure_reason", "updated_at"])
            _log(payment, "create_failed", old=PaymentStatus.PENDING, detail={"code": exc.code})
            transaction.on_commit(dashboard_touch)
            # The caller answers 502 at once: whatever rides on the payment follows, silently.
            purpose_follow(payment, announce=False)
        raise UpstreamUnavailable() from exc
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        payment.gateway_transaction_id = created.provider_ref
        payment.status = PaymentStatus.PROCESSING
        payment.gateway_response = {"create": created.raw}
        payment.save(
            update_fields=["gateway_transaction_id", "status", "gateway_response", "updated_at"]
        )
        _log(
            payment,
            "opened",
            old=PaymentStatus.PENDING,
            detail={"provider_ref": created.provider_ref},
        )
    payment.redirect_url = created.redirect_url
    return payment
