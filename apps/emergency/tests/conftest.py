"""Fixtures of the emergency tests: the permission matrix around one emergency in ward 5."""

import pytest

from apps.users.tests.factories import AdminPermissionFactory, UserFactory

from .factories import EmergencyFactory


def emergency_admin(wards, **permission):
    admin = UserFactory(user_type="admin")
    AdminPermissionFactory(
        admin=admin,
        permission_type="emergency",
        resource_type="emergency_request",
        ward_numbers=wards,
        **permission,
    )
    return admin


@pytest.fixture
def ward_admin(db):
    """Emergency duty for ward 5, the emergency's ward."""
    return emergency_admin(["5"])


@pytest.fixture
def other_admin(db):
    """Emergency duty for ward 58 only, about 7 km from ward 5."""
    return emergency_admin(["58"])


@pytest.fixture
def provider(db):
    return UserFactory(user_type="service_provider")


@pytest.fixture
def other_citizen(db):
    return UserFactory(ward_number="5")


@pytest.fixture
def emergency(citizen):
    return EmergencyFactory(user=citizen, ward_number="5")


@pytest.fixture
def people(citizen, other_citizen, ward_admin, other_admin, provider, super_admin):
    return {
        "anonymous": None,
        "citizen": citizen,
        "other_citizen": other_citizen,
        "ward_admin": ward_admin,
        "other_admin": other_admin,
        "provider": provider,
        "super_admin": super_admin,
    }
