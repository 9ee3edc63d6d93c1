"""App config of the public pages: complaint tracking and ward scorecards, open to anyone."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "apps.public"
    label = "public"
    verbose_name = _("Public pages")
    default_auto_field = "django.db.models.BigAutoField"
