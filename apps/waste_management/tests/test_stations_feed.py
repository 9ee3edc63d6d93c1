"""A station crossing 80 % reaches the staff feed of its ward as it is weighed; staff of the ward
without waste rights do not see it."""

import pytest
from channels.db import database_sync_to_async as db_async
from channels.testing import WebsocketCommunicator

from apps.authentication.services import tokens_for_user
from apps.users.tests.factories import staff_with_rights
from apps.waste_management.station_services import station_reading_record
from clean_care.asgi import application

from .station_fixtures import station_make, waste_admin

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def _socket(user):
    access = (await db_async(tokens_for_user)(user))["access"]
    socket = WebsocketCommunicator(
        application, f"/ws/staff/?token={access}", headers=[(b"host", b"testserver")]
    )
    assert (await socket.connect())[0]
    await socket.receive_json_from(timeout=3)  # subscribed
    return socket


async def test_the_wards_waste_staff_see_the_alert_live(wards):
    duty = await db_async(waste_admin)(["5"])
    complaints_only = await db_async(staff_with_rights)("complaints", ["5"])
    station = await db_async(station_make)()
    watching, blind = await _socket(duty), await _socket(complaints_only)
    await db_async(station_reading_record)(station=station, load_tons="41", actor=duty)
    event = await watching.receive_json_from(timeout=3)
    assert event == {
        "type": "sts.alert",
        "station_id": str(station.pk),
        "name": "Matuail STS",
        "ward_number": "5",
        "level": 80,
        "capacity_tons": "50.00",
        "current_load_tons": "41.00",
        "utilization_percent": "82.00",
        "at": event["at"],
    }
    assert await blind.receive_nothing(timeout=0.5)
    await watching.disconnect()
    await blind.disconnect()
