"""App config of notifications: in-app messages, device tokens, SMS/push/WebSocket delivery."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import pages
        from .models import Notification

        # Kept inbox pages are retired by every write of a notification (pages.py).
        for signal in (post_save, post_delete):
            signal.connect(
                pages.notification_written, sender=Notification, dispatch_uid="notifications.list"
            )
