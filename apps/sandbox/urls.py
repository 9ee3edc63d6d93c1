"""Sandbox simulator URLs, mounted under /sandbox/ only when settings.SANDBOX_ENABLED."""

from django.urls import include, path

from . import views

urlpatterns = [
    # SMS
    path(
        "sms/sslwireless/api/v3/send-sms",
        views.sslwireless_send_sms,
        name="sandbox-sms-sslwireless-send-sms",
    ),
    path("sms/bulksmsbd/api/smsapi", views.bulksmsbd_smsapi, name="sandbox-sms-bulksmsbd-smsapi"),
    path("sms/outbox/", views.sms_outbox, name="sandbox-sms-outbox"),
    # Push: FCM HTTP v1 and Google's OAuth2 token endpoint
    path("fcm/token", views.fcm_oauth_token, name="sandbox-fcm-token"),
    path(
        "fcm/v1/projects/<str:project_id>/messages:send",
        views.fcm_messages_send,
        name="sandbox-fcm-messages-send",
    ),
    path("push/outbox/", views.push_outbox, name="sandbox-push-outbox"),
    # Payments: each provider's wire contract plus a hosted page to approve or decline
    path("bkash/", include("apps.sandbox.providers.bkash.urls")),
    path("nagad/", include("apps.sandbox.providers.nagad.urls")),
    path("sslcommerz/", include("apps.sandbox.providers.sslcommerz.urls")),
]
