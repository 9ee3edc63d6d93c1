"""Clean Care Bangladesh project package; loads Celery so shared tasks bind to it."""

from .celery import app as celery_app

__all__ = ("celery_app",)
