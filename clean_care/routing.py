"""WebSocket routes of every app (each app adds its consumers here)."""

from django.urls import path, re_path

from apps.chat.consumers import ChatConsumer
from apps.notifications.consumers import StaffFeedConsumer
from core.websocket import NoSuchSocket, UserEventsConsumer

websocket_urlpatterns = [
    path("ws/notifications/", UserEventsConsumer.as_asgi()),
    path("ws/staff/", StaffFeedConsumer.as_asgi()),
    path("ws/chat/<uuid:room_id>/", ChatConsumer.as_asgi()),
    re_path(r"", NoSuchSocket.as_asgi()),  # anything else: closed with 4404, not an error
]
