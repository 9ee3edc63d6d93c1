"""App config of complaints: filing with photos, tracking, triage, ratings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "apps.complaints"
    label = "complaints"
    verbose_name = _("Complaints")
    default_auto_field = "django.db.models.BigAutoField"
