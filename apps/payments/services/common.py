"""What the payment services share: the open states, the log, input checks, our reference."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import ValidationFailed

from ..models import (
    PayableService,
    Payment,
    PaymentLog,
    PaymentMethod,
    PaymentStatus,
)

# One logger for the whole package, under the name it always had.
logger = logging.getLogger("apps.payments.services")

OPEN = (PaymentStatus.PENDING, PaymentStatus.PROCESSING)
PAYABLE_METHODS = (
    PaymentMethod.BKASH,
    PaymentMethod.NAGAD,
    PaymentMethod.ROCKET,
    PaymentMethod.UPAY,
)


def _log(payment: Payment, event: str, *, old: str | None = None, detail: dict | None = None):
    PaymentLog.objects.create(
        payment=payment,
        event=event,
        from_status=old,
        to_status=payment.status,
        detail=detail or {},
    )


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


def _check_limit(amount: Decimal) -> None:
    if amount <= 0 or amount > settings.PAYMENT_MAX_AMOUNT:
        raise _invalid(
            "amount",
            _("The amount must be more than 0 and at most %(max)s BDT.")
            % {"max": settings.PAYMENT_MAX_AMOUNT},
        )


def _check_amount(service: PayableService, amount: Decimal) -> None:
    if service.fixed_fee is not None and amount != service.fixed_fee:
        raise _invalid("amount", _("This service costs %(fee)s BDT.") % {"fee": service.fixed_fee})
    if (service.min_amount is not None and amount < service.min_amount) or (
        service.max_amount is not None and amount > service.max_amount
    ):
        raise _invalid(
            "amount",
            _("For this service the amount must be between %(low)s and %(high)s BDT.")
            % {"low": service.min_amount, "high": service.max_amount},
        )


def _new_reference() -> str:
    """Our transaction id: letters and digits only (Nagad refuses others), unique."""
    return f"CCP{timezone.localdate():%Y%m%d}{uuid.uuid4().hex[:12].upper()}"
