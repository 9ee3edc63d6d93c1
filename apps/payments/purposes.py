"""Payments taken for another app's purpose (a donation) and how that app follows them.

``settings.PAYMENT_PURPOSES`` maps a payment's ``service_type`` to the dotted path of a function
``follow(payment, *, announce) -> bool``. The payments services call it directly, inside the
payment's transaction and under its row lock, each time the payment reaches a final state
(completed, failed, cancelled, refunded). ``announce`` is False when the payer already knows (the
request failed, or a refund message went out). The function answers True when it told the payer
itself, so the generic payment notification is not sent as well.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Payment


@functools.cache
def _follower(purpose: str) -> Callable[..., bool] | None:
    path = settings.PAYMENT_PURPOSES.get(purpose)
    return import_string(path) if path else None


def purpose_follow(payment: Payment, *, announce: bool) -> bool:
    """Let the app the payment was for follow it; True when that app told the payer."""
    follow = _follower(payment.service_type)
    return bool(follow and follow(payment, announce=announce))
