"""App config of waste management: collection schedules, special collections, transfer stations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WasteManagementConfig(AppConfig):
    name = "apps.waste_management"
    label = "waste_management"
    verbose_name = _("Waste management")
    default_auto_field = "django.db.models.BigAutoField"
