"""Routes of /waste/: collection schedules, special collections and transfer stations."""

from django.urls import path

from . import station_views

urlpatterns: list = []

# Transfer stations (STS) and their readings
urlpatterns += [
    path("sts/", station_views.StationListCreateView.as_view(), name="sts-list"),
    path("sts/<uuid:station_id>/", station_views.StationDetailView.as_view(), name="sts-detail"),
    path(
        "sts/<uuid:station_id>/readings/",
        station_views.StationReadingsView.as_view(),
        name="sts-readings",
    ),
]
