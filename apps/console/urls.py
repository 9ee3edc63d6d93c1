"""URLs of the staff console under /console/."""

from django.urls import path
from django.views.i18n import set_language

from .views import access, chat, complaints, emergency

app_name = "console"

urlpatterns = [
    path("", complaints.queue, name="queue"),
    path("complaints.csv", complaints.queue_export, name="queue-export"),
    path("complaints/assign/", complaints.bulk_assign, name="bulk-assign"),
    path("login/", access.sign_in, name="login"),
    path("logout/", access.sign_out, name="logout"),
    path("password/", access.password_change, name="password"),
    path("language/", set_language, name="language"),
    path("complaints/<uuid:complaint_id>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<uuid:complaint_id>/status/", complaints.complaint_status, name="status"),
    path("complaints/<uuid:complaint_id>/assign/", complaints.complaint_assign, name="assign"),
    path("complaints/<uuid:complaint_id>/chat/", chat.complaint_chat_start, name="complaint-chat"),
    path("chat/", chat.inbox, name="chat"),
    path("chat/<uuid:room_id>/", chat.room_detail, name="chat-room"),
    path("chat/<uuid:room_id>/messages/", chat.message_send, name="chat-send"),
    path("chat/<uuid:room_id>/assign/", chat.room_assign, name="chat-assign"),
    path("chat/<uuid:room_id>/close/", chat.room_close, name="chat-close"),
    path("emergencies/", emergency.board, name="emergencies"),
    path("emergencies/<uuid:emergency_id>/", emergency.emergency_detail, name="emergency"),
    path(
        "emergencies/<uuid:emergency_id>/assign/",
        emergency.emergency_assign,
        name="emergency-assign",
    ),
    path(
        "emergencies/<uuid:emergency_id>/status/",
        emergency.emergency_status,
        name="emergency-status",
    ),
]
