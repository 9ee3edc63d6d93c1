"""Background work of authentication: purging old codes (texts are sent by notifications)."""

from celery import shared_task

from . import services


@shared_task(name="apps.authentication.tasks.otp_purge_expired")
def otp_purge_expired() -> int:
    return services.otp_purge_expired()
