"""Routes of /chat/."""

from django.urls import path

from . import views

urlpatterns = [
    path("rooms/", views.RoomListCreateView.as_view(), name="chat-room-list"),
    path("rooms/<uuid:room_id>/", views.RoomDetailView.as_view(), name="chat-room-detail"),
    path(
        "rooms/<uuid:room_id>/messages/",
        views.RoomMessagesView.as_view(),
        name="chat-room-messages",
    ),
    path("rooms/<uuid:room_id>/read/", views.RoomReadView.as_view(), name="chat-room-read"),
    path("rooms/<uuid:room_id>/assign/", views.RoomAssignView.as_view(), name="chat-room-assign"),
    path("rooms/<uuid:room_id>/close/", views.RoomCloseView.as_view(), name="chat-room-close"),
    path(
        "messages/<uuid:message_id>/file/",
        views.MessageFileView.as_view(),
        name="chat-message-file",
    ),
]
