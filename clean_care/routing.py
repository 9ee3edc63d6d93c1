"""WebSocket routes of every app (each app adds its consumers here)."""

from django.urls import path

from core.websocket import UserEventsConsumer

websocket_urlpatterns = [
    path("ws/notifications/", UserEventsConsumer.as_asgi()),
]
