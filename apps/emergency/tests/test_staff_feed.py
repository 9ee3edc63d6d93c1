"""A new emergency reaches the staff feed of its ward as it is raised."""

import pytest
from channels.db import database_sync_to_async as db_async
from channels.testing import WebsocketCommunicator

from apps.authentication.services import tokens_for_user
from apps.emergency.services import emergency_create
from apps.users.tests.factories import UserFactory
from clean_care.asgi import application

from .conftest import emergency_admin

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_the_wards_emergency_staff_see_it_live(wards):
    duty = await db_async(emergency_admin)(["5"])
    access = (await db_async(tokens_for_user)(duty))["access"]
    socket = WebsocketCommunicator(
        application, f"/ws/staff/?token={access}", headers=[(b"host", b"testserver")]
    )
    assert (await socket.connect())[0]
    await socket.receive_json_from(timeout=3)  # subscribed
    citizen = await db_async(UserFactory)(ward_number="5")
    emergency = await db_async(emergency_create)(
        user=citizen,
        data={"emergency_type": "পুলিশ", "description": "ছিনতাই", "location": "বাসাবো মোড়",
              "ward_number": "5"},
    )  # fmt: skip
    event = await socket.receive_json_from(timeout=3)
    assert (event["type"], event["emergency_id"]) == ("emergency.created", str(emergency.pk))
    assert (event["emergency_type_code"], event["ward_number"]) == ("police", "5")
    await socket.disconnect()
