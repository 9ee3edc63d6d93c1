"""What an attack on chat found, kept closed: stale sessions on open sockets, characters the
database refuses, floods of typing frames, odd frames on every socket, hand-overs outside the
ward, notifications for rooms nobody holds or nobody reads."""

import io
import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async as db_async
from channels.testing import WebsocketCommunicator

from apps.authentication.services import tokens_for_user
from apps.chat.models import ChatMessage, ChatPresence
from apps.chat.services import message_notify_offline, message_send
from apps.notifications.models import Notification
from apps.users.models import AdminPermission
from apps.users.tests.factories import UserFactory
from clean_care.asgi import application
from conftest import Api
from core.websocket import session_user

from .conftest import chat_admin
from .factories import ChatMessageFactory, ChatRoomFactory
from .test_websocket import closed_with, open_socket

HOST = (b"host", b"testserver")
ROOMS = "/api/v1/chat/rooms/"


@pytest.fixture
def scene(db):
    citizen = UserFactory(ward_number="5", language="en")
    admin = chat_admin(["5"])
    return ChatRoomFactory(citizen=citizen, ward_number="5"), citizen, admin


# ---------------------------------------------------------------------------------------------
# Sessions that end while a socket is open
# ---------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
class TestStaleSessions:
    async def test_a_deactivated_citizen_cannot_write_and_is_closed(self, scene):
        room, citizen, _ = scene
        socket, _ = await open_socket(room, citizen)
        await db_async(type(citizen).objects.filter(pk=citizen.pk).update)(is_active=False)
        await socket.send_json_to({"type": "message", "message": "still me?"})
        assert await closed_with(socket) == 4401
        assert await db_async(ChatMessage.objects.count)() == 0

    async def test_an_admin_who_loses_the_right_is_closed_at_the_next_check(self, scene, settings):
        settings.SOCKET_RECHECK_SECONDS = 0.2
        room, _, admin = scene
        socket, _ = await open_socket(room, admin)
        await db_async(AdminPermission.objects.filter(admin=admin).delete)()
        assert await closed_with(socket) == 4403

    async def test_a_signed_out_token_is_closed_at_the_next_check(self, scene, settings):
        from rest_framework_simplejwt.tokens import AccessToken

        from core.authentication import access_token_revoke

        settings.SOCKET_RECHECK_SECONDS = 0.2
        room, citizen, _ = scene
        access = (await db_async(tokens_for_user)(citizen))["access"]
        socket, _ = await open_socket(room, access=access)
        await db_async(access_token_revoke)(AccessToken(access))
        assert await closed_with(socket) == 4401

    async def test_the_staff_feed_closes_for_a_signed_out_token(self, settings):
        from rest_framework_simplejwt.tokens import AccessToken

        from core.authentication import access_token_revoke

        settings.SOCKET_RECHECK_SECONDS = 0.2
        admin = await db_async(chat_admin)(["5"])
        access = (await db_async(tokens_for_user)(admin))["access"]
        socket = WebsocketCommunicator(application, f"/ws/staff/?token={access}", headers=[HOST])
        assert (await socket.connect())[0]
        assert (await socket.receive_json_from(timeout=3))["type"] == "subscribed"
        await db_async(access_token_revoke)(AccessToken(access))
        output = await socket.receive_output(timeout=3)
        assert (output["type"], output["code"]) == ("websocket.close", 4401)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
class TestChecksOnRequest:
    """Sign-out, deactivation and changed rights ask open sockets to check at once (the
    periodic check is only a safety net: it is set far away here)."""

    @pytest.fixture(autouse=True)
    def _rare_periodic_checks(self, settings):
        settings.SOCKET_RECHECK_SECONDS = 3600

    async def test_signing_out_closes_the_chat_socket_at_once(self, scene):
        room, citizen, _ = scene
        tokens = await db_async(tokens_for_user)(citizen)
        socket, _ = await open_socket(room, access=tokens["access"])
        client = Api()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
        response = await db_async(client.post)(
            "/api/v1/auth/logout/", {"refresh_token": tokens["refresh"]}, format="json"
        )
        assert response.status_code == 200
        assert await closed_with(socket) == 4401

    async def test_changed_rights_close_the_chat_socket_and_move_the_staff_feed(self, scene, wards):
        from apps.users.admin_services import admin_permissions_replace

        room, _, admin = scene
        chat_socket, _ = await open_socket(room, admin)
        access = (await db_async(tokens_for_user)(admin))["access"]
        feed = WebsocketCommunicator(application, f"/ws/staff/?token={access}", headers=[HOST])
        assert (await feed.connect())[0]
        assert (await feed.receive_json_from(timeout=3))["groups"] == ["staff_ward_5"]
        boss = await db_async(UserFactory)(user_type="super_admin")

        def move_to_ward_12():
            from django.test import TestCase

            with TestCase.captureOnCommitCallbacks(execute=True):
                admin_permissions_replace(
                    actor=boss,
                    account=admin,
                    permissions=[
                        {"permission_type": "chat", "ward_numbers": ["12"], "can_read": True,
                         "can_update": True}
                    ],
                )  # fmt: skip

        await db_async(move_to_ward_12)()
        assert await closed_with(chat_socket) == 4403
        assert (await feed.receive_json_from(timeout=3))["groups"] == ["staff_ward_12"]
        await feed.disconnect()


def test_session_user_reads_the_account_again(db):
    from rest_framework_simplejwt.tokens import AccessToken

    user = UserFactory()
    token = AccessToken(tokens_for_user(user)["access"])
    assert session_user(token) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert session_user(token) is None


# ---------------------------------------------------------------------------------------------
# Characters and frames
# ---------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize(
    "frame",
    [
        '{"type": "message", "message": "a\\u0000b"}',
        '{"type": "message", "message": "x\\ud800y"}',
        '{"type": "\\ud800"}',
    ],
)
async def test_nul_and_broken_characters_get_an_error_frame_not_a_crash(scene, frame):
    room, citizen, _ = scene
    socket, _ = await open_socket(room, citizen)
    await socket.send_to(text_data=frame)
    error = await socket.receive_json_from(timeout=3)
    assert error["type"] == "error"
    await socket.send_json_to({"type": "message", "message": "ok"})
    assert (await socket.receive_json_from(timeout=3))["message"] == "ok"
    await socket.disconnect()
    assert await db_async(ChatPresence.objects.count)() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_flood_of_typing_frames_reaches_the_other_side_once(scene):
    room, citizen, admin = scene
    citizen_socket, _ = await open_socket(room, citizen)
    admin_socket, _ = await open_socket(room, admin)
    for _ in range(50):
        await citizen_socket.send_json_to({"type": "typing"})
    assert (await admin_socket.receive_json_from(timeout=3))["type"] == "typing"
    assert await admin_socket.receive_nothing(timeout=0.3)
    for socket in (citizen_socket, admin_socket):
        await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/ws/notifications/", "/ws/staff/"])
async def test_binary_and_malformed_frames_do_not_end_the_other_sockets(path):
    admin = await db_async(chat_admin)(["5"])
    access = (await db_async(tokens_for_user)(admin))["access"]
    socket = WebsocketCommunicator(application, f"{path}?token={access}", headers=[HOST])
    assert (await socket.connect())[0]
    if path == "/ws/staff/":
        await socket.receive_json_from(timeout=3)  # subscribed
    await socket.send_to(bytes_data=b"\x00\x01")
    await socket.send_to(text_data="not json")
    await socket.send_to(text_data="[" * 5000)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=3) == {"type": "pong"}
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/ws/chat/not-a-room/", "/ws/nothing/", "/ws/"])
async def test_unknown_socket_paths_are_closed_with_4404(path):
    socket = WebsocketCommunicator(application, path, headers=[HOST])
    connected, _ = await socket.connect()
    assert connected
    assert await closed_with(socket) == 4404


def test_rest_refuses_nul_and_deep_json(api_as, scene):
    room, citizen, _ = scene
    client = api_as(citizen)
    nul = client.post(f"{ROOMS}{room.pk}/messages/", {"message": "a\x00b"}, format="json")
    assert nul.status_code == 400
    deep = client.generic(
        "POST",
        f"{ROOMS}{room.pk}/messages/",
        json.dumps({"message": "x", "extra": [[[[[[[[]]]]]]]] * 1}).replace(
            "[]", "[" * 200 + "]" * 200
        ),
        content_type="application/json",
    )
    assert deep.status_code == 400
    assert ChatMessage.objects.count() == 0


def test_a_pdf_header_on_something_else_is_415(api_as, scene):
    room, citizen, _ = scene
    fake = io.BytesIO(b"%PDF-1.7\n" + b"MZ" * 500)
    fake.name = "bill.pdf"
    response = api_as(citizen).post(
        f"{ROOMS}{room.pk}/messages/", {"message_type": "file", "file": fake}, format="multipart"
    )
    assert response.status_code == 415
    assert ChatMessage.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Hand-overs and who is told
# ---------------------------------------------------------------------------------------------
def test_a_room_cannot_go_to_an_admin_of_another_ward(api_as, scene):
    room, _, admin = scene
    elsewhere = chat_admin(["12"])
    response = api_as(admin).post(
        f"{ROOMS}{room.pk}/assign/", {"assigned_to": str(elsewhere.pk)}, format="json"
    )
    assert response.status_code == 400
    assert api_as(elsewhere).get(f"{ROOMS}{room.pk}/messages/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_wards_chat_staff_hear_once_of_a_citizen_waiting_in_a_room_nobody_holds(scene):
    room, citizen, admin = scene
    reader = chat_admin(["5"], can_update=False)  # may read, not answer: not told
    for text in ("কেউ আছেন?", "জরুরি দরকার"):
        message_send(room=room, sender=citizen, text=text)
    waiting = Notification.objects.filter(kind="chat.waiting")
    assert list(waiting.values_list("user_id", flat=True)) == [admin.pk]
    assert waiting.get().body == "কেউ আছেন?"
    assert not Notification.objects.filter(user=reader).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_in_app_copy_reaches_the_notifications_socket(scene):
    room, citizen, admin = scene
    access = (await db_async(tokens_for_user)(citizen))["access"]
    socket = WebsocketCommunicator(
        application, f"/ws/notifications/?token={access}", headers=[HOST]
    )
    assert (await socket.connect())[0]
    await db_async(message_send)(room=room, sender=admin, text="আমরা আসছি")
    event = await socket.receive_json_from(timeout=3)
    assert (event["type"], event["kind"]) == ("notification", "chat.message")
    await socket.disconnect()


def test_someone_who_never_reads_is_told_again_after_the_coalescing_window(scene, settings):
    room, citizen, admin = scene
    first = ChatMessageFactory(room=room, sender=admin, message="১")
    later = ChatMessageFactory(room=room, sender=admin, message="২")
    ChatMessage.objects.filter(pk=later.pk).update(
        created_at=first.created_at + timedelta(seconds=settings.CHAT_NOTIFY_COALESCE_SECONDS)
    )
    told = Notification.objects.filter(user=citizen, kind="chat.message")
    message_notify_offline(message_id=first.pk)
    message_notify_offline(message_id=first.pk)  # the same stretch: nothing new
    assert told.count() == 1
    message_notify_offline(message_id=later.pk)
    assert told.count() == 2
