"""Root URLs: the API under /api/v1/ (and /api/ for the existing mobile client), docs, admin,
and the public pages (/track/, /wards/)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from apps.users.views import WardListView
from core import metrics as core_metrics
from core import views as core_views

api_patterns = [
    path("health/", core_views.health, name="health"),
    path("health/live/", core_views.health_live, name="health-live"),
    path("auth/", include("apps.authentication.urls")),
    path("users/", include("apps.users.urls")),
    path("admin-users/", include("apps.users.admin_urls")),
    path("complaints/", include("apps.complaints.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("payments/", include("apps.payments.urls")),
    path("donations/", include("apps.donations.urls")),
    path("dashboard/", include("apps.dashboard.urls")),
    path("emergency/", include("apps.emergency.urls")),
    path("chat/", include("apps.chat.urls")),
    path("notices/", include("apps.notices.urls")),
    path("waste/", include("apps.waste_management.urls")),
    path("gallery/", include("apps.gallery.urls")),
    path("calendar/", include("apps.city_calendar.urls")),
    path("wards/", WardListView.as_view(), name="ward-list"),
]

urlpatterns = [
    # Nothing is served at the root yet; a person who opens it (or admin's "View site") gets the
    # API documentation rather than a bare 404.
    path("", RedirectView.as_view(pattern_name="swagger-ui"), name="home"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start script as a file: no inline script, so the page
    # keeps to the Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/v1/", include((api_patterns, "api"), namespace="v1")),
    path("api/", include((api_patterns, "api"), namespace="api")),
    path("open311/v2/", include("apps.open311.urls")),
    path("admin/", admin.site.urls),
    # Pages for people without an account: complaint tracking and ward scorecards.
    path("", include("apps.public.urls")),
    path("console/", include("apps.console.urls")),
    # Prometheus scrapes here (allowed networks or METRICS_TOKEN only; core/metrics.py).
    path("metrics", core_metrics.metrics, name="metrics"),
]

# Development tools mounted by settings (the simulators' settings add /sandbox/); production
# names none, and this module names no development app itself.
for _prefix, _urlconf in settings.EXTRA_URLCONFS:
    urlpatterns.append(path(_prefix, include(_urlconf)))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
