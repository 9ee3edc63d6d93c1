"""HTTP routes of the bkash simulator (mounted at /sandbox/bkash/)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "v1.2.0-beta/tokenized/checkout/<path:op>",
        views.api_view,
        name="sandbox-bkash-api",
    ),
    path("pay/<str:payment_id>/", views.pay_page, name="sandbox-bkash-pay"),
    path("tokens/expire", views.tokens_expire, name="sandbox-bkash-tokens-expire"),
]
