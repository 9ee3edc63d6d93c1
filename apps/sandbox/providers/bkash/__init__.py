"""Sandbox simulator of bKash Tokenized Checkout (GATEWAYS.md §1; the knobs are in api.py).

``apps.sandbox.transport`` imports the module ``apps.sandbox.providers.bkash.api`` and calls its
``api(request)``.
"""

from .api import api, customer_action, expire_payment, expire_tokens

__all__ = ["api", "customer_action", "expire_payment", "expire_tokens"]
