"""Django admin behind the console's door: staff sign in once, at /console/login/ (throttled,
audited, with the SMS second factor), and the admin has no password form of its own."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


class StaffAdminSite(admin.AdminSite):
    site_header = "Clean Care Bangladesh"
    site_title = "Clean Care admin"
    index_title = "Operations"

    def login(self, request, extra_context=None):
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index", current_app=self.name),
            reverse("console:login"),
        )

    def logout(self, request, extra_context=None):
        from .views.access import sign_out  # the console's sign-out: audited, sockets told

        return sign_out(request)
