"""What the payments app tells the apps that take payments for their own purposes."""

from django.dispatch import Signal

# Sent inside the payment's transaction, under its row lock, each time a payment reaches a final
# state (completed, failed, cancelled, refunded); keywords ``payment`` and ``announce`` (False when
# the payer already knows, e.g. the provider refused to open the payment and the request failed).
# A receiver answers True when it told the payer itself, so the generic notification is skipped.
payment_settled = Signal()
