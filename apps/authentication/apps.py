"""App config of authentication: OTP, SMS backends and the sign-in flows."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthenticationConfig(AppConfig):
    name = "apps.authentication"
    label = "authentication"
    verbose_name = _("Authentication")
    default_auto_field = "django.db.models.BigAutoField"
