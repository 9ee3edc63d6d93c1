"""Fixtures of the chat tests: the people of the permission matrix around one room in ward 5."""

import pytest

from apps.users.tests.factories import UserFactory, staff_with_rights

from .factories import ChatRoomFactory


def chat_admin(wards, **flags):
    return staff_with_rights("chat", wards, resource_type="chat_room", **flags)


@pytest.fixture
def ward_admin(db):
    """Holds chat rights for ward 5, the room's ward."""
    return chat_admin(["5"])


@pytest.fixture
def other_admin(db):
    """Holds chat rights for ward 12 only."""
    return chat_admin(["12"])


@pytest.fixture
def provider(db):
    return UserFactory(user_type="service_provider")


@pytest.fixture
def other_citizen(db):
    return UserFactory(ward_number="5")


@pytest.fixture
def room(citizen):
    return ChatRoomFactory(citizen=citizen, ward_number="5")
