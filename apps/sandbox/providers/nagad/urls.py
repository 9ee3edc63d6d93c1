"""HTTP routes of the nagad simulator (wire contract in api.py and GATEWAYS.md §2)."""

from django.urls import path

from . import views

urlpatterns = [
    path("check-out/<path:rest>", views.wire, name="sandbox-nagad-checkout"),
    path("verify/<path:rest>", views.wire, name="sandbox-nagad-verify"),
    path("pay/<str:payment_ref>/", views.hosted_page, name="sandbox-nagad-pay"),
]
