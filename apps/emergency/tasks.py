"""Background work of emergencies: the escalation countdown and the beat sweep behind it."""

from celery import shared_task

from . import services


@shared_task(name="apps.emergency.tasks.emergency_escalate", max_retries=3, default_retry_delay=5)
def emergency_escalate(*, emergency_id: str) -> bool:
    """Escalate one emergency once its window has passed, if nobody took it. Safe to retry and
    to run beside the sweep: the service lets exactly one run escalate."""
    return services.emergency_escalate(emergency_id=emergency_id)


@shared_task(name="apps.emergency.tasks.emergencies_escalate_overdue")
def emergencies_escalate_overdue() -> int:
    """Safety net (beat, every 30 s): escalates what a lost countdown task left behind."""
    return services.emergencies_escalate_overdue()
