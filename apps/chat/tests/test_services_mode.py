"""PostgreSQL/Redis-only checks (make test-services): sockets on two real uvicorn processes.

Two uvicorn children serve the test database over the channels-redis layer; a frame that enters
one process must come out of a socket held by the other, which in-process tests cannot show.
"""

import asyncio
import json
import os

import httpx
import pytest
from django.conf import settings
from django.db import connection
from websockets.asyncio.client import connect

from apps.authentication.services import tokens_for_user
from apps.chat.models import ChatMessage
from apps.complaints.models import Complaint
from apps.users.tests.factories import AdminPermissionFactory, UserFactory
from core.testing_servers import database_url, uvicorn_processes

from .conftest import chat_admin
from .factories import ChatRoomFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

FRAME_TIMEOUT = 10  # seconds for one frame to cross Redis to the other process
SCENE_TIMEOUT = 60


@pytest.fixture(autouse=True)
def _needs_services():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"
    assert settings.REDIS_URL, "make test-services sets REDIS_URL (the channels-redis layer)"


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    """Two uvicorn processes (A, B) on the test database and the same Redis, with the test
    settings (so the same SECRET_KEY signs and checks the tokens)."""
    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clean_care.settings.test",
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
    }
    with uvicorn_processes(2, env=env) as pair:
        yield pair


def access(user) -> str:
    return tokens_for_user(user)["access"]


async def frame(socket) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), FRAME_TIMEOUT))


def play(scene, servers):
    """Run the sockets' side of a test (bounded); on failure show what the servers said."""
    try:
        return asyncio.run(asyncio.wait_for(scene(), SCENE_TIMEOUT))
    except BaseException:
        for server in servers:
            print(f"--- uvicorn on port {server.port} ---\n{server.log_tail()}")
        raise


def test_a_message_sent_through_one_process_reaches_the_participant_on_the_other(servers):
    a, b = servers
    citizen = UserFactory(ward_number="5", name="Rahim Uddin")
    admin = chat_admin(["5"])
    room = ChatRoomFactory(citizen=citizen, ward_number="5")
    citizen_url = f"{a.ws_url}/ws/chat/{room.pk}/?token={access(citizen)}"
    admin_url = f"{b.ws_url}/ws/chat/{room.pk}/?token={access(admin)}"

    async def scene():
        async with (
            connect(citizen_url, open_timeout=FRAME_TIMEOUT) as on_a,
            connect(admin_url, open_timeout=FRAME_TIMEOUT) as on_b,
        ):
            # Both handshakes are done, so both sockets have joined the room's group.
            await on_a.send(
                json.dumps({"type": "message", "message": "ড্রেন উপচে পড়ছে", "message_type": "text"})
            )
            return await frame(on_b), await frame(on_a)

    on_b, on_a = play(scene, servers)

    stored = ChatMessage.objects.get(room=room)
    assert on_b == {
        "type": "message",
        "id": str(stored.pk),
        "room_id": str(room.pk),
        "sender_id": str(citizen.pk),
        "sender_name": "Rahim Uddin",
        "message": "ড্রেন উপচে পড়ছে",
        "message_type": "text",
        "file_url": None,
        "created_at": on_a["created_at"],
    }
    assert on_a == on_b  # the sender's own socket hears the same stored message
    assert stored.sender_id == citizen.pk


def test_a_complaint_filed_through_one_process_reaches_the_staff_feed_on_the_other(servers, wards):
    a, b = servers
    citizen = UserFactory(ward_number="5")
    staff = UserFactory(user_type="admin")
    AdminPermissionFactory(admin=staff, permission_type="complaints", ward_numbers=["5"])
    feed_url = f"{b.ws_url}/ws/staff/?token={access(staff)}"
    citizen_token = access(citizen)

    async def scene():
        async with connect(feed_url, open_timeout=FRAME_TIMEOUT) as feed:
            subscribed = await frame(feed)
            async with httpx.AsyncClient(base_url=a.http_url, timeout=30) as http:
                response = await http.post(
                    "/api/v1/complaints/",
                    json={
                        "title": "ময়লার স্তূপ",
                        "description": "তিন দিন ধরে ময়লা পড়ে আছে",
                        "category": "waste",
                        "priority": "high",
                        "location": "Road 4",
                        "ward_number": "5",
                    },
                    headers={"Authorization": f"Bearer {citizen_token}"},
                )
            return subscribed, response, await frame(feed)

    subscribed, response, event = play(scene, servers)

    assert subscribed == {"type": "subscribed", "groups": ["staff_ward_5"]}
    assert response.status_code == 201, response.text
    complaint = Complaint.objects.get(user=citizen)
    assert response.json()["tracking_number"] == complaint.tracking_number
    assert event["type"] == "complaint.created"
    assert event["complaint_id"] == str(complaint.pk)
    assert event["tracking_number"] == complaint.tracking_number
    assert event["ward_number"] == "5"
