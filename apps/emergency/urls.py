"""Routes of /emergency/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.EmergencyListCreateView.as_view(), name="emergency-list"),
    path("<uuid:emergency_id>/", views.EmergencyDetailView.as_view(), name="emergency-detail"),
    path(
        "<uuid:emergency_id>/assign/",
        views.EmergencyAssignView.as_view(),
        name="emergency-assign",
    ),
    path(
        "<uuid:emergency_id>/status/",
        views.EmergencyStatusView.as_view(),
        name="emergency-status",
    ),
]
