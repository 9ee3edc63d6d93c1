"""WebSockets authenticate with the same JWT as the API and receive the user's events."""

import pytest
from channels.db import database_sync_to_async as db_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from apps.authentication.services import tokens_for_user
from apps.users.tests.factories import UserFactory
from clean_care.asgi import application
from core.websocket import CLOSE_UNAUTHENTICATED, user_group

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

HEADERS = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


async def connect(path: str):
    communicator = WebsocketCommunicator(application, path, headers=HEADERS)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def closed_with(communicator) -> int:
    """A refused socket is accepted and then closed, so the app can read the code."""
    output = await communicator.receive_output(timeout=3)
    assert output["type"] == "websocket.close"
    return output["code"]


async def test_a_valid_token_connects_and_receives_the_users_events():
    user = await db_async(UserFactory)()
    tokens = await db_async(tokens_for_user)(user)
    communicator, connected, _ = await connect(f"/ws/notifications/?token={tokens['access']}")
    assert connected

    await get_channel_layer().group_send(
        user_group(user.pk), {"type": "user.event", "payload": {"kind": "test", "n": 1}}
    )
    assert await communicator.receive_json_from(timeout=2) == {"kind": "test", "n": 1}

    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(timeout=2) == {"type": "pong"}
    await communicator.disconnect()


@pytest.mark.parametrize("query", ["", "?token=", "?token=garbage", "?token=a.b.c"])
async def test_missing_or_bad_tokens_are_closed(query):
    communicator, _connected, _ = await connect(f"/ws/notifications/{query}")
    assert await closed_with(communicator) == CLOSE_UNAUTHENTICATED


async def test_a_signed_out_access_token_is_refused():
    from rest_framework_simplejwt.tokens import AccessToken

    from core.authentication import access_token_revoke

    user = await db_async(UserFactory)()
    raw = (await db_async(tokens_for_user)(user))["access"]
    await db_async(access_token_revoke)(AccessToken(raw))
    communicator, _connected, _ = await connect(f"/ws/notifications/?token={raw}")
    assert await closed_with(communicator) == CLOSE_UNAUTHENTICATED
