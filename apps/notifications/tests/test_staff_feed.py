"""`/ws/staff/`: the live feed of a staff member's wards, filtered by their rights per resource."""

import pytest
from channels.db import database_sync_to_async as db_async
from channels.testing import WebsocketCommunicator

from apps.authentication.services import tokens_for_user
from apps.chat.services import message_send, room_open
from apps.complaints.enums import Category, Priority
from apps.complaints.services import complaint_create
from apps.users.tests.factories import AdminPermissionFactory, UserFactory
from clean_care.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def staff(resource_wards: dict, user_type="admin"):
    user = UserFactory(user_type=user_type)
    for resource, wards in resource_wards.items():
        AdminPermissionFactory(admin=user, permission_type=resource, ward_numbers=wards)
    return user


async def feed(user):
    access = (await db_async(tokens_for_user)(user))["access"]
    socket = WebsocketCommunicator(
        application, f"/ws/staff/?token={access}", headers=[(b"host", b"testserver")]
    )
    connected, _ = await socket.connect()
    assert connected
    return socket


def file_complaint(citizen, ward):
    return complaint_create(
        user=citizen,
        data={
            "title": "ময়লার স্তূপ",
            "description": "তিন দিন ধরে ময়লা পড়ে আছে",
            "category": Category.WASTE,
            "priority": Priority.HIGH,
            "location": "Road 4",
            "ward_number": ward,
        },
    )


async def test_a_new_complaint_reaches_the_wards_staff_and_super_admins_only(wards):
    ward5 = await db_async(staff)({"complaints": ["5"]})
    ward12 = await db_async(staff)({"complaints": ["12"]})
    boss = await db_async(UserFactory)(user_type="super_admin")
    sockets = {
        name: await feed(user) for name, user in [("5", ward5), ("12", ward12), ("all", boss)]
    }
    subscribed = {name: await s.receive_json_from(timeout=3) for name, s in sockets.items()}
    assert subscribed["5"] == {"type": "subscribed", "groups": ["staff_ward_5"]}
    assert subscribed["all"] == {"type": "subscribed", "groups": ["staff_all"]}

    citizen = await db_async(UserFactory)(ward_number="5")
    complaint = await db_async(file_complaint)(citizen, "5")

    for name in ("5", "all"):
        event = await sockets[name].receive_json_from(timeout=3)
        assert event["type"] == "complaint.created"
        assert event["tracking_number"] == complaint.tracking_number
        assert event["ward_number"] == "5"
    assert await sockets["12"].receive_nothing(timeout=0.2)
    for socket in sockets.values():
        await socket.disconnect()


async def test_a_waiting_chat_reaches_only_staff_with_chat_rights_once(wards):
    chat_staff = await db_async(staff)({"chat": ["5"]})
    complaints_only = await db_async(staff)({"complaints": ["5"]})
    chat_socket, other_socket = await feed(chat_staff), await feed(complaints_only)
    for socket in (chat_socket, other_socket):
        await socket.receive_json_from(timeout=3)  # subscribed

    citizen = await db_async(UserFactory)(ward_number="5", name="রহিম উদ্দিন")
    room, _ = await db_async(room_open)(citizen=citizen)
    await db_async(message_send)(room=room, sender=citizen, text="কেউ আছেন?")
    await db_async(message_send)(room=room, sender=citizen, text="জরুরি")  # still waiting

    event = await chat_socket.receive_json_from(timeout=3)
    assert event["type"] == "chat.waiting"
    assert event["room_id"] == str(room.pk)
    assert event["citizen_name"] == "রহিম উদ্দিন"
    assert event["preview"] == "কেউ আছেন?"
    assert await chat_socket.receive_nothing(timeout=0.2)  # one event per waiting stretch
    assert await other_socket.receive_nothing(timeout=0.2)

    await db_async(message_send)(room=room, sender=chat_staff, text="বলুন")
    await db_async(message_send)(room=room, sender=citizen, text="ধন্যবাদ, আরেকটা প্রশ্ন")
    assert (await chat_socket.receive_json_from(timeout=3))["type"] == "chat.waiting"
    for socket in (chat_socket, other_socket):
        await socket.disconnect()


async def test_citizens_and_bad_tokens_are_closed():
    citizen = await db_async(UserFactory)()
    access = (await db_async(tokens_for_user)(citizen))["access"]
    for token, code in ((access, 4403), ("garbage", 4401)):
        socket = WebsocketCommunicator(
            application, f"/ws/staff/?token={token}", headers=[(b"host", b"testserver")]
        )
        connected, _ = await socket.connect()
        assert connected
        output = await socket.receive_output(timeout=3)
        assert (output["type"], output["code"]) == ("websocket.close", code)


async def test_a_malformed_frame_is_ignored(wards):
    socket = await feed(await db_async(staff)({"complaints": ["5"]}))
    await socket.receive_json_from(timeout=3)
    await socket.send_to(text_data="{not json")
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=3) == {"type": "pong"}
    await socket.disconnect()
