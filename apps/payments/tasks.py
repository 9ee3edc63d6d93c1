"""Background work of payments: the reconciler beat job."""

from celery import shared_task

from . import services


@shared_task(name="apps.payments.tasks.payments_reconcile")
def payments_reconcile() -> int:
    """Every minute: ask about payments left open; cancel those past the provider's expiry."""
    return services.payments_reconcile()
