"""Django admin for chat: rooms and messages are shown, messages cannot be changed, staff may
close a room (through the service, so it is audited)."""

import pytest

from apps.chat.models import ChatMessage
from apps.users.models import ActivityAction, ActivityLog

from .factories import ChatMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, super_admin):
    client.force_login(super_admin)
    return client


def test_pages_render_and_messages_are_read_only(operator, room):
    message = ChatMessageFactory(room=room, message="ড্রেন উপচে পড়ছে")
    assert operator.get("/admin/chat/chatroom/?is_closed__exact=0").status_code == 200
    page = operator.get(f"/admin/chat/chatroom/{room.pk}/change/")
    assert page.status_code == 200
    assert "ড্রেন উপচে পড়ছে" in page.content.decode()
    assert operator.get("/admin/chat/chatmessage/").status_code == 200
    assert operator.get("/admin/chat/chatroom/add/").status_code == 403
    assert operator.get("/admin/chat/chatmessage/add/").status_code == 403
    operator.post(f"/admin/chat/chatmessage/{message.pk}/delete/", {"post": "yes"})
    assert ChatMessage.objects.filter(pk=message.pk).exists()


def test_close_action_goes_through_the_service(operator, room, super_admin):
    response = operator.post(
        "/admin/chat/chatroom/",
        {"action": "close_rooms", "_selected_action": [str(room.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    room.refresh_from_db()
    assert room.is_closed
    log = ActivityLog.objects.get(action=ActivityAction.CHAT_CLOSED)
    assert (log.user, log.resource_id) == (super_admin, room.pk)
