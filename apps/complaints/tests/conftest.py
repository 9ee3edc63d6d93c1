"""The cast of the complaints tests: every role of the permission matrix."""

from types import SimpleNamespace

import pytest

from apps.users.tests.factories import AdminPermissionFactory, UserFactory

from .factories import ComplaintFactory


@pytest.fixture
def cast(db):
    owner = UserFactory(name="Owner Citizen", ward_number="5")
    ward_admin = UserFactory(user_type="admin", name="Ward Five Admin")
    AdminPermissionFactory(admin=ward_admin, ward_numbers=["5", "6"], can_update=True)
    other_admin = UserFactory(user_type="admin", name="Ward Nine Admin")
    AdminPermissionFactory(admin=other_admin, ward_numbers=["9"], can_update=True)
    provider = UserFactory(user_type="service_provider", name="Assigned Provider")
    return SimpleNamespace(
        owner=owner,
        other_citizen=UserFactory(name="Other Citizen"),
        ward_admin=ward_admin,
        other_admin=other_admin,
        provider=provider,
        other_provider=UserFactory(user_type="service_provider", name="Other Provider"),
        super_admin=UserFactory(user_type="super_admin", is_staff=True, is_superuser=True),
    )


@pytest.fixture
def complaint(cast):
    return ComplaintFactory(user=cast.owner, ward_number="5", assigned_to=cast.provider)
