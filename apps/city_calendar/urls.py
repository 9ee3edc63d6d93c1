"""Routes of /calendar/."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.EventListCreateView.as_view(), name="calendar-event-list"),
    path("events/calendar.ics", views.EventFeedView.as_view(), name="calendar-feed"),
    path("events/<uuid:event_id>/", views.EventDetailView.as_view(), name="calendar-event-detail"),
    path("events/<uuid:event_id>/join/", views.EventJoinView.as_view(), name="calendar-event-join"),
]
