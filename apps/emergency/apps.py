"""App config of emergency: citizens' calls for help, dispatch to nearby staff, escalation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "apps.emergency"
    label = "emergency"
    verbose_name = _("Emergencies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import pages
        from .models import EmergencyRequest

        # Kept pages of the list are retired by every write of an emergency (pages.py).
        for signal in (post_save, post_delete):
            signal.connect(
                pages.emergency_written, sender=EmergencyRequest, dispatch_uid="emergency.list"
            )
