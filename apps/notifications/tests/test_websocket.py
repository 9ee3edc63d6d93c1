"""End to end: a notification sent after commit arrives on the user's /ws/notifications/ socket."""

import pytest
from channels.db import database_sync_to_async as db_async
from channels.testing import WebsocketCommunicator

from apps.authentication.services import tokens_for_user
from apps.notifications.services import notification_event, notification_send_test
from apps.users.tests.factories import UserFactory
from clean_care.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

HEADERS = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


async def test_the_users_socket_receives_the_notification_and_nobody_elses_does():
    user, other = await db_async(UserFactory)(language="en"), await db_async(UserFactory)()
    sockets = []
    for person in (user, other):
        access = (await db_async(tokens_for_user)(person))["access"]
        socket = WebsocketCommunicator(
            application, f"/ws/notifications/?token={access}", headers=HEADERS
        )
        assert (await socket.connect())[0]
        sockets.append(socket)

    notification = await db_async(notification_send_test)(user=user)  # autocommit: sent at once

    assert await sockets[0].receive_json_from(timeout=5) == notification_event(notification)
    assert await sockets[1].receive_nothing(timeout=0.2)
    for socket in sockets:
        await socket.disconnect()
