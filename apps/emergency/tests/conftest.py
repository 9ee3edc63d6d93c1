"""Fixtures of the emergency tests: the permission matrix around one emergency in ward 5."""

import pytest

from apps.users.tests.factories import UserFactory, staff_with_rights

from .factories import EmergencyFactory


def emergency_admin(wards, **flags):
    return staff_with_rights("emergency", wards, resource_type="emergency_request", **flags)


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
