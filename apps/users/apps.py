"""App config of users: accounts, wards, staff permissions, activity log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "apps.users"
    label = "users"
    verbose_name = _("Users")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.accounts import account_part_changed

        from .models import AdminPermission

        # A staff member's permissions are kept with their account (policy.permitted_wards):
        # every write of a permission row retires them.
        for signal in (post_save, post_delete):
            signal.connect(
                account_part_changed, sender=AdminPermission, dispatch_uid="users.permissions"
            )
