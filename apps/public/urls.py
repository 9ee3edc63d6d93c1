"""Public pages (no sign-in): /track/, /track/<tracking_number>/, /wards/<number>/."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("track/", views.track_form, name="track"),
    path("track/<str:tracking_number>/", views.track_status, name="track-status"),
    path("wards/<str:number>/", views.ward_scorecard, name="ward-scorecard"),
]
