"""Background work of payments: the reconciler and the refund follow-up beat jobs."""

from celery import shared_task

from . import services


@shared_task(name="apps.payments.tasks.payments_reconcile")
def payments_reconcile() -> int:
    """Every minute: ask about payments left open; cancel those past the provider's expiry."""
    return services.payments_reconcile()


@shared_task(name="apps.payments.tasks.refunds_follow_up")
def refunds_follow_up() -> int:
    """Every 10 minutes: ask the provider about refunds it left processing; settle them once."""
    return services.refunds_follow_up()
