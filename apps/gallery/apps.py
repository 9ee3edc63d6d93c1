"""App config of the gallery: photos of the city's work that anyone may browse."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GalleryConfig(AppConfig):
    name = "apps.gallery"
    label = "gallery"
    verbose_name = _("Gallery")
    default_auto_field = "django.db.models.BigAutoField"
