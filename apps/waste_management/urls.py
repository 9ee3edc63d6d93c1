"""Routes of /waste/: collection schedules, special collections and transfer stations."""

from django.urls import path

from . import station_views, views

urlpatterns = [
    path("schedules/", views.ScheduleListCreateView.as_view(), name="waste-schedule-list"),
    path(
        "schedules/ward/<str:ward>/",
        views.WardScheduleView.as_view(),
        name="waste-ward-schedules",
    ),
    path(
        "schedules/ward/<str:ward>/calendar.ics",
        views.WardCalendarView.as_view(),
        name="waste-ward-calendar",
    ),
    path(
        "schedules/<uuid:schedule_id>/",
        views.ScheduleDetailView.as_view(),
        name="waste-schedule-detail",
    ),
    path(
        "special-requests/",
        views.SpecialRequestListCreateView.as_view(),
        name="waste-special-list",
    ),
    path("special-requests/fees/", views.FeeListView.as_view(), name="waste-special-fees"),
    path(
        "special-requests/<uuid:request_id>/",
        views.SpecialRequestDetailView.as_view(),
        name="waste-special-detail",
    ),
]

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
