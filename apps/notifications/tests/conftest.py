"""Fixtures of the notification tests: a listener on a user's WebSocket group."""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from core.websocket import user_group

SENTINEL = "test.sentinel"


def run_and_listen(user, action):
    """Run ``action()`` while a channel listens on ``user``'s group.

    Returns ``(result, events)``: every event the group got, up to a sentinel sent afterwards, so
    "nothing was published" is an exact assertion rather than a wait for a timeout.
    """

    async def scenario():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        group = user_group(user.pk)
        await layer.group_add(group, channel)
        try:
            result = await sync_to_async(action)()
            await layer.group_send(group, {"type": SENTINEL})
            events = []
            while (message := await asyncio.wait_for(layer.receive(channel), 10))["type"] != (
                SENTINEL
            ):
                events.append(message)
        finally:
            await layer.group_discard(group, channel)
        return result, events

    return async_to_sync(scenario)()


@pytest.fixture
def listen():
    return run_and_listen
