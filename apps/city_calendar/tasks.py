"""Background work of the city calendar: the day-before reminder of each event's participants."""

from celery import shared_task
from django.db import DatabaseError

from . import services


@shared_task(
    name="apps.city_calendar.tasks.events_remind_sweep",
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=10,
)
def events_remind_sweep() -> int:
    """Remind whoever joined an event that starts tomorrow (Asia/Dhaka) and was not reminded.
    Safe to retry and to overlap: each person is told once per event."""
    return services.events_remind()
