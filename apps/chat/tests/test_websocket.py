"""`/ws/chat/<room>/` against the real ASGI application (Channels' WebsocketCommunicator)."""

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async as db_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from apps.authentication.services import tokens_for_user
from apps.chat.models import ChatMessage, ChatPresence
from apps.chat.services import message_send
from apps.notifications.models import Notification
from apps.users.tests.factories import UserFactory
from clean_care.asgi import application

from .conftest import chat_admin
from .factories import ChatRoomFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

HOST = (b"host", b"testserver")


async def token(user) -> str:
    return (await db_async(tokens_for_user)(user))["access"]


async def open_socket(room, user=None, *, access=None, headers=(), subprotocols=None):
    access = access if access is not None else await token(user)
    socket = WebsocketCommunicator(
        application,
        f"/ws/chat/{room.pk}/?token={access}" if access else f"/ws/chat/{room.pk}/",
        headers=[HOST, *headers],
        subprotocols=subprotocols,
    )
    connected, _ = await socket.connect()
    return socket, connected


async def closed_with(socket) -> int:
    output = await socket.receive_output(timeout=3)
    assert output["type"] == "websocket.close"
    return output.get("code")


@pytest.fixture
def scene(db):
    citizen = UserFactory(ward_number="5", language="en")
    admin = chat_admin(["5"])
    room = ChatRoomFactory(citizen=citizen, ward_number="5")
    return room, citizen, admin


async def both_sides(scene):
    room, citizen, admin = scene
    citizen_socket, ok1 = await open_socket(room, citizen)
    admin_socket, ok2 = await open_socket(room, admin)
    assert ok1
    assert ok2
    return citizen_socket, admin_socket


# ---------------------------------------------------------------------------------------------
# Who gets in
# ---------------------------------------------------------------------------------------------
async def test_a_native_client_without_origin_is_accepted(scene):
    room, citizen, _ = scene
    socket, connected = await open_socket(room, citizen)
    assert connected
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=3) == {"type": "pong"}
    await socket.disconnect()


async def test_a_foreign_browser_origin_is_refused(scene):
    room, citizen, _ = scene
    _, connected = await open_socket(room, citizen, headers=[(b"origin", b"https://evil.example")])
    assert not connected


async def test_the_token_may_come_as_the_bearer_subprotocol(scene):
    room, citizen, _ = scene
    access = await token(citizen)
    socket, connected = await open_socket(room, access="", subprotocols=[f"bearer.{access}"])
    assert connected
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=3) == {"type": "pong"}
    await socket.disconnect()


@pytest.mark.parametrize("access", ["garbage", ""])
async def test_a_bad_or_missing_token_is_closed_with_4401(scene, access):
    room, _, _ = scene
    socket, connected = await open_socket(room, access=access)
    assert connected  # accepted so the client can read the code
    assert await closed_with(socket) == 4401


async def test_an_expired_token_is_closed_with_4401(scene, settings):
    from rest_framework_simplejwt.tokens import AccessToken

    room, citizen, _ = scene
    expired = await db_async(AccessToken.for_user)(citizen)
    expired.set_exp(lifetime=-timedelta(minutes=1))
    socket, _ = await open_socket(room, access=str(expired))
    assert await closed_with(socket) == 4401


@pytest.mark.parametrize("who", ["other_citizen", "other_admin", "provider"])
async def test_a_non_participant_is_closed_with_4403(scene, who):
    room, _, _ = scene
    person = await db_async(
        {
            "other_citizen": lambda: UserFactory(ward_number="5"),
            "other_admin": lambda: chat_admin(["12"]),
            "provider": lambda: UserFactory(user_type="service_provider"),
        }[who]
    )()
    socket, _ = await open_socket(room, person)
    assert await closed_with(socket) == 4403
    assert await db_async(ChatPresence.objects.count)() == 0


# ---------------------------------------------------------------------------------------------
# Frames
# ---------------------------------------------------------------------------------------------
async def test_a_message_is_stored_then_reaches_both_sides_with_its_id(scene):
    room, citizen, _ = scene
    citizen_socket, admin_socket = await both_sides(scene)
    await citizen_socket.send_json_to(
        {"type": "message", "message": "ড্রেন উপচে পড়ছে", "message_type": "text"}
    )
    to_citizen = await citizen_socket.receive_json_from(timeout=3)
    to_admin = await admin_socket.receive_json_from(timeout=3)
    stored = await db_async(ChatMessage.objects.get)()
    assert to_citizen == to_admin
    assert to_admin == {
        "type": "message",
        "id": str(stored.pk),
        "room_id": str(room.pk),
        "sender_id": str(citizen.pk),
        "sender_name": citizen.name,
        "message": "ড্রেন উপচে পড়ছে",
        "message_type": "text",
        "file_url": None,
        "created_at": timezone.localtime(stored.created_at).isoformat(),
    }
    for socket in (citizen_socket, admin_socket):
        await socket.disconnect()


async def test_a_spoofed_sender_is_ignored(scene):
    _room, citizen, admin = scene
    citizen_socket, admin_socket = await both_sides(scene)
    await citizen_socket.send_json_to(
        {"type": "message", "message": "আমি অ্যাডমিন", "sender_id": str(admin.pk)}
    )
    frame = await admin_socket.receive_json_from(timeout=3)
    assert frame["sender_id"] == str(citizen.pk)
    assert (await db_async(ChatMessage.objects.get)()).sender_id == citizen.pk
    for socket in (citizen_socket, admin_socket):
        await socket.disconnect()


async def test_typing_reaches_the_other_side_only(scene):
    _room, citizen, _ = scene
    citizen_socket, admin_socket = await both_sides(scene)
    await citizen_socket.send_json_to({"type": "typing"})
    assert await admin_socket.receive_json_from(timeout=3) == {
        "type": "typing",
        "user_id": str(citizen.pk),
    }
    assert await citizen_socket.receive_nothing(timeout=0.2)
    for socket in (citizen_socket, admin_socket):
        await socket.disconnect()


async def test_read_marks_and_tells_the_other_side(scene):
    room, citizen, admin = scene
    await db_async(message_send)(room=room, sender=citizen, text="কেউ আছেন?")
    citizen_socket, admin_socket = await both_sides(scene)
    await admin_socket.send_json_to({"type": "read"})
    for socket in (citizen_socket, admin_socket):
        frame = await socket.receive_json_from(timeout=3)
        assert frame["type"] == "read"
        assert frame["user_id"] == str(admin.pk)
        assert frame["up_to"]
    assert await db_async(ChatMessage.objects.filter(is_read=True).count)() == 1
    for socket in (citizen_socket, admin_socket):
        await socket.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json {", "invalid_frame"),
        ("[1, 2]", "invalid_frame"),
        (json.dumps({"type": "dance"}), "invalid_frame"),
        (json.dumps({"type": "message", "message": "x" * 4001}), "validation_error"),
        (json.dumps({"type": "message", "message": "   "}), "validation_error"),
        (json.dumps({"type": "message", "message": 42}), "invalid_frame"),
        (json.dumps({"type": "message", "message": "x", "message_type": "file"}),
         "validation_error"),
        ("[" * 5000 + "]" * 5000, "invalid_frame"),
    ],
)  # fmt: skip
async def test_bad_frames_get_an_error_frame_and_the_socket_stays_usable(scene, frame, code):
    room, citizen, _ = scene
    socket, _ = await open_socket(room, citizen)
    await socket.send_to(text_data=frame)
    error = await socket.receive_json_from(timeout=3)
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["error"].endswith(".")  # a sentence for a person (English here), not a code
    await socket.send_json_to({"type": "message", "message": "still here"})
    assert (await socket.receive_json_from(timeout=3))["message"] == "still here"
    assert await db_async(ChatMessage.objects.count)() == 1
    await socket.disconnect()


async def test_errors_speak_the_users_language(scene):
    room, citizen, _ = scene
    await db_async(type(citizen).objects.filter(pk=citizen.pk).update)(language="bn")
    socket, _ = await open_socket(room, citizen)
    await socket.send_json_to({"type": "message", "message": ""})
    error = await socket.receive_json_from(timeout=3)
    assert any("\u0980" <= ch <= "\u09ff" for ch in error["error"])  # Bengali script
    await socket.disconnect()


async def test_too_many_messages_get_an_error_frame(scene, settings):
    settings.CHAT_RATE_MESSAGES = 2
    room, citizen, _ = scene
    socket, _ = await open_socket(room, citizen)
    for n in range(3):
        await socket.send_json_to({"type": "message", "message": f"{n}"})
    frames = [await socket.receive_json_from(timeout=3) for _ in range(3)]
    # The refusal is written to the socket at once; the two messages come back through the
    # channel layer (Redis pub/sub in services mode), so they may arrive after it.
    [error] = [f for f in frames if f["type"] == "error"]
    assert error["code"] == "throttled"
    assert sorted(f["message"] for f in frames if f["type"] == "message") == ["0", "1"]
    await socket.disconnect()


async def test_an_idle_socket_is_closed_with_4408(scene, settings):
    settings.CHAT_IDLE_TIMEOUT_SECONDS = 0.3
    room, citizen, _ = scene
    socket, _ = await open_socket(room, citizen)
    assert await closed_with(socket) == 4408


async def test_a_message_sent_over_rest_reaches_the_socket_with_an_absolute_file_url(scene):
    import io

    from apps.complaints.tests.factories import photo_bytes

    room, citizen, admin = scene
    socket, _ = await open_socket(room, citizen)
    photo = io.BytesIO(photo_bytes())
    photo.name = "p.jpg"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.jpg", photo.getvalue(), content_type="image/jpeg")
    await db_async(message_send)(
        room=room, sender=admin, text="", message_type="image", file=upload
    )
    frame = await socket.receive_json_from(timeout=3)
    assert frame["message_type"] == "image"
    assert frame["file_url"].startswith("http://testserver/api/v1/chat/messages/")
    await socket.disconnect()


# ---------------------------------------------------------------------------------------------
# Offline participants
# ---------------------------------------------------------------------------------------------
async def test_an_offline_citizen_gets_one_notification_for_a_burst(scene):
    room, citizen, admin = scene
    for n in range(10):
        await db_async(message_send)(room=room, sender=admin, text=f"উত্তর {n}")
    notes = await db_async(list)(Notification.objects.filter(user=citizen, kind="chat.message"))
    assert len(notes) == 1
    assert notes[0].title == f"New message from {admin.name}"
    assert notes[0].data["room_id"] == str(room.pk)


async def test_after_reading_the_next_message_notifies_again(scene):
    from apps.chat.services import room_mark_read

    room, citizen, admin = scene
    await db_async(message_send)(room=room, sender=admin, text="১")
    await db_async(room_mark_read)(room=room, reader=citizen)
    await db_async(message_send)(room=room, sender=admin, text="২")
    count = await db_async(Notification.objects.filter(user=citizen, kind="chat.message").count)()
    assert count == 2


async def test_an_online_citizen_gets_no_notification(scene):
    room, citizen, admin = scene
    socket, _ = await open_socket(room, citizen)
    for n in range(3):
        await db_async(message_send)(room=room, sender=admin, text=f"উত্তর {n}")
    for _ in range(3):
        await socket.receive_json_from(timeout=3)
    count = await db_async(Notification.objects.filter(user=citizen, kind="chat.message").count)()
    assert count == 0
    await socket.disconnect()
    assert await db_async(ChatPresence.objects.count)() == 0
