"""Background work of chat: forgetting sockets that died without saying so."""

from celery import shared_task

from . import services


@shared_task(name="apps.chat.tasks.chat_presence_purge")
def chat_presence_purge() -> int:
    """Drop presence rows older than the idle timeout (beat); returns how many went."""
    return services.presence_purge()
