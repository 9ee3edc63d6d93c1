"""App config of core: cross-cutting pieces (errors, idempotency, health, images, operations)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            rls,  # noqa: F401  (tells each new database connection who is acting)
            timestamps,  # noqa: F401  (PostgreSQL datetimes parsed in C)
        )
        from .accounts import account_changed

        # A cached copy of an account is retired by every write of its row (core/accounts.py).
        for signal in (post_save, post_delete):
            signal.connect(account_changed, sender=get_user_model(), dispatch_uid="core.accounts")

        # Tables that later migrations add are granted to the application's role as well.
        post_migrate.connect(_grant_to_app_role, sender=self, dispatch_uid="core.rls.grant")

        # Every process that loads Django (uvicorn, Celery worker and beat, manage.py) reports
        # its errors once a DSN is set.
        if settings.SENTRY_DSN:
            from .sentry import sentry_init

            sentry_init(
                dsn=settings.SENTRY_DSN,
                environment=settings.SENTRY_ENVIRONMENT,
                release=settings.SENTRY_RELEASE,
                traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
            )


def _grant_to_app_role(using, **kwargs) -> None:
    from django.db import connections

    from .rls import app_role_grant

    app_role_grant(connections[using])
