"""PostgreSQL-only (make test-services): chat writes racing each other under real row locks."""

import pytest
from django.db import connection

from apps.chat.models import ChatMessage, ChatRoom
from apps.chat.services import message_send, room_open
from apps.users.tests.factories import UserFactory
from core.exceptions import Conflict
from core.testing import in_threads

from .factories import ChatRoomFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


def test_six_opens_at_once_make_one_room():
    citizen = UserFactory(ward_number="5")
    results = in_threads(6, lambda: room_open(citizen=citizen)[0].pk)
    assert len(set(results)) == 1, results
    assert ChatRoom.objects.count() == 1


def test_two_closed_rooms_reopened_at_once_leave_one_open_and_a_409():
    citizen = UserFactory(ward_number="5")
    rooms = [ChatRoomFactory(citizen=citizen, is_closed=True) for _ in range(2)]
    turn = iter(rooms)
    results = in_threads(2, lambda: message_send(room=next(turn), sender=citizen, text="আবার"))
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 1, results
    assert conflicts[0].code == "room_closed"
    assert ChatRoom.objects.filter(is_closed=False).count() == 1
    assert ChatMessage.objects.count() == 1


def test_concurrent_messages_all_land_and_the_last_is_the_rooms_last():
    citizen = UserFactory(ward_number="5")
    room = ChatRoomFactory(citizen=citizen)
    results = in_threads(8, lambda: message_send(room=room, sender=citizen, text="এক সাথে"))
    assert all(isinstance(r, ChatMessage) for r in results), results
    room.refresh_from_db()
    newest = ChatMessage.objects.order_by("-created_at").first()
    assert room.last_message_id == newest.pk
