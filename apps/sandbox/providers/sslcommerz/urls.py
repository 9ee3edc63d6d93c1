"""HTTP routes of the sslcommerz simulator (mounted at /sandbox/sslcommerz/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("gwprocess/v4/api.php", views.wire_api, name="sandbox-sslcommerz-session-v4"),
    path("gwprocess/v3/api.php", views.wire_api, name="sandbox-sslcommerz-session-v3"),
    path(
        "validator/api/validationserverAPI.php",
        views.wire_api,
        name="sandbox-sslcommerz-validation",
    ),
    path(
        "validator/api/merchantTransIDvalidationAPI.php",
        views.wire_api,
        name="sandbox-sslcommerz-query",
    ),
    path("ipn/<str:sessionkey>/", views.wire_api, name="sandbox-sslcommerz-ipn"),
    path("pay/<str:sessionkey>/", views.hosted_page, name="sandbox-sslcommerz-pay"),
]
