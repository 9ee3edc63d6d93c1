"""Routes of /complaints/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ComplaintListCreateView.as_view(), name="complaint-list"),
    path("statistics/", views.ComplaintStatisticsView.as_view(), name="complaint-statistics"),
    path(
        "track/<str:tracking_number>/", views.ComplaintTrackView.as_view(), name="complaint-track"
    ),
    path("<uuid:complaint_id>/", views.ComplaintDetailView.as_view(), name="complaint-detail"),
    path(
        "<uuid:complaint_id>/images/",
        views.ComplaintImagesView.as_view(),
        name="complaint-images",
    ),
    path(
        "<uuid:complaint_id>/updates/",
        views.ComplaintUpdatesView.as_view(),
        name="complaint-updates",
    ),
    path(
        "<uuid:complaint_id>/assign/", views.ComplaintAssignView.as_view(), name="complaint-assign"
    ),
    path("<uuid:complaint_id>/rate/", views.ComplaintRateView.as_view(), name="complaint-rate"),
]
