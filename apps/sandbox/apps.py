"""App config of sandbox: local simulators of the SMS, push and payment providers (dev, tests)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    name = "apps.sandbox"
    label = "sandbox"
    verbose_name = _("Sandbox simulators")
    default_auto_field = "django.db.models.BigAutoField"
