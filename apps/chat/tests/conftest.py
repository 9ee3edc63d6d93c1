"""Fixtures of the chat tests: the people of the permission matrix around one room in ward 5."""

import pytest

from apps.users.tests.factories import AdminPermissionFactory, UserFactory

from .factories import ChatRoomFactory


def chat_admin(wards, **permission):
    admin = UserFactory(user_type="admin")
    AdminPermissionFactory(
        admin=admin, permission_type="chat", resource_type="chat", ward_numbers=wards, **permission
    )
    return admin


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


@pytest.fixture
def people(citizen, other_citizen, ward_admin, other_admin, provider, super_admin):
    """Every role of the matrix by name (anonymous is ``None``)."""
    return {
        "anonymous": None,
        "citizen": citizen,
        "other_citizen": other_citizen,
        "ward_admin": ward_admin,
        "other_admin": other_admin,
        "provider": provider,
        "super_admin": super_admin,
    }
