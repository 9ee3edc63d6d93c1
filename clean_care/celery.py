"""The Celery application: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery
from celery.signals import setup_logging

# Servers and workers are production unless told otherwise; manage.py (and so `make run`, whose
# child processes inherit its environment) sets clean_care.settings.local.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.production")

app = Celery("clean_care")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _log_as_settings_say(**kwargs) -> None:
    """Worker and beat keep settings.LOGGING (its masking filter and line format) instead of the
    root handlers Celery installs when nobody answers this signal. LOG_LEVEL decides the level;
    the command line's ``--loglevel`` no longer does."""
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
