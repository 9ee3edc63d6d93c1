"""The Celery application: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery, Task
from celery.signals import beat_init, setup_logging, worker_process_init

# Servers and workers are production unless told otherwise; manage.py (and so `make run`, whose
# child processes inherit its environment) sets clean_care.settings.local.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.production")


class SystemTask(Task):
    """Every task is a system job: PostgreSQL's row-level security lets it see every row
    (core/rls.py), whoever's request queued it, in the worker and when run eagerly alike."""

    def __call__(self, *args, **kwargs):
        from core.rls import as_system

        with as_system():
            return super().__call__(*args, **kwargs)


app = Celery("clean_care", task_cls=SystemTask)
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


@worker_process_init.connect
@beat_init.connect
def _connect_as_the_app_role(**kwargs) -> None:
    """Worker and beat processes use the application's database role, as the web does."""
    from core.rls import use_app_role

    use_app_role()
