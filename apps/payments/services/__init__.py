"""Writes of payments, split by concern: opening, settling (callbacks, IPN, verify, reconciler)
and refunds. The public names are re-exported here, so ``from apps.payments.services import …``
and ``services.<name>`` keep working for the views, tasks, admin and other apps."""

from .opening import payment_open, payment_process
from .refunds import (
    refund_ask,
    refund_execute,
    refund_reject,
    refund_request,
    refunds_follow_up,
)
from .settling import (
    payment_callback_handle,
    payment_confirm,
    payment_find_for_callback,
    payment_query,
    payments_reconcile,
)

__all__ = [
    "payment_callback_handle",
    "payment_confirm",
    "payment_find_for_callback",
    "payment_open",
    "payment_process",
    "payment_query",
    "payments_reconcile",
    "refund_ask",
    "refund_execute",
    "refund_reject",
    "refund_request",
    "refunds_follow_up",
]
