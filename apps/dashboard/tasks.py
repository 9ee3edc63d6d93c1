"""Background work of the dashboard: rendering a requested report."""

from celery import shared_task
from django.db import OperationalError

from .reports import services


@shared_task(
    name="apps.dashboard.tasks.report_generate",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def report_generate(*, report_id: str) -> str | None:
    """Render report ``report_id`` and store its file (does nothing once done or failed)."""
    report = services.report_generate(report_id=report_id)
    return report.status if report is not None else None
