"""Background work of the dashboard: rendering a requested report, upkeep of the complaint tally."""

from celery import shared_task
from django.db import OperationalError

from . import services as tally
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


@shared_task(name="apps.dashboard.tasks.complaint_tally_compact")
def complaint_tally_compact() -> int:
    """Fold the complaint tally's appended rows (every few minutes; safe to run any time)."""
    return tally.complaint_tally_compact()


@shared_task(name="apps.dashboard.tasks.complaint_tally_reconcile")
def complaint_tally_reconcile() -> int:
    """Recount the complaints against the tally and correct it (nightly)."""
    return tally.complaint_tally_reconcile()
