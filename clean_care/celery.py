"""The Celery application: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery

# Servers and workers are production unless told otherwise; manage.py (and so `make run`, whose
# child processes inherit its environment) sets clean_care.settings.local.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.production")

app = Celery("clean_care")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
