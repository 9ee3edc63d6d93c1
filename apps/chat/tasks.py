"""Background work of chat: telling an offline participant, forgetting sockets that died."""

from celery import shared_task

from . import services


@shared_task(name="apps.chat.tasks.chat_message_notify", max_retries=3, default_retry_delay=10)
def chat_message_notify(*, message_id: str) -> int:
    """Notify the other side of a message if they watch no socket of the room. Safe to retry:
    the notification's dedupe key makes a repeat send nothing."""
    return len(services.message_notify_offline(message_id=message_id))


@shared_task(name="apps.chat.tasks.chat_presence_purge")
def chat_presence_purge() -> int:
    return services.presence_purge()
