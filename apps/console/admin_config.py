"""Django admin's app config, on the site whose sign-in is the console's (admin_site.py)."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "apps.console.admin_site.StaffAdminSite"
