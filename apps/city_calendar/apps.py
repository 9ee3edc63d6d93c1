"""App config of the city calendar: holidays, cleanup drives and vaccination days citizens join."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityCalendarConfig(AppConfig):
    name = "apps.city_calendar"
    label = "city_calendar"
    verbose_name = _("City calendar")
    default_auto_field = "django.db.models.BigAutoField"
