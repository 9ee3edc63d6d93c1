"""Routes of /notifications/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification-list"),
    path("unread-count/", views.UnreadCountView.as_view(), name="notification-unread-count"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="notification-read-all"),
    path(
        "<uuid:notification_id>/read/",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path("devices/", views.DeviceRegisterView.as_view(), name="notification-device-register"),
    path(
        "devices/<str:token>/",
        views.DeviceUnregisterView.as_view(),
        name="notification-device-unregister",
    ),
]
