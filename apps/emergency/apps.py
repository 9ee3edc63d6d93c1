"""App config of emergency: citizens' calls for help, dispatch to nearby staff, escalation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "apps.emergency"
    label = "emergency"
    verbose_name = _("Emergencies")
    default_auto_field = "django.db.models.BigAutoField"
