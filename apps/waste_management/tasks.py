"""Background work of waste collection: telling a ward's citizens that its schedule changed."""

from celery import shared_task
from django.db import DatabaseError

from . import services


@shared_task(
    name="apps.waste_management.tasks.schedule_change_announce",
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=10,
)
def schedule_change_announce(*, ward_number: str, change_id: str, change: str, schedule: dict):
    """Queue the batches of the ward's citizens. Safe to repeat: nobody is told twice."""
    return services.schedule_change_announce(
        ward_number=ward_number, change_id=change_id, change=change, schedule=schedule
    )


@shared_task(
    name="apps.waste_management.tasks.schedule_change_notify",
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=10,
)
def schedule_change_notify(
    *, ward_number: str, change_id: str, change: str, schedule: dict, user_ids: list[str]
) -> int:
    """Tell one batch of citizens. Safe to retry: whoever was told already is not told again."""
    return services.schedule_change_notify(
        ward_number=ward_number,
        change_id=change_id,
        change=change,
        schedule=schedule,
        user_ids=user_ids,
    )
