"""The console's cast: every role of the permission matrix, and complaints in two wards."""

from types import SimpleNamespace

import pytest
from django.test import Client, TestCase

from apps.complaints.tests.factories import ComplaintFactory
from apps.users.tests.factories import AdminPermissionFactory, UserFactory


class Console(Client):
    """A browser-like client (asking for English, so tests read the source texts) whose requests
    run their on-commit callbacks, as real ones do."""

    def __init__(self, **defaults):
        defaults.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        super().__init__(**defaults)

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)


@pytest.fixture
def cast(db):
    ward_admin = UserFactory(user_type="admin", name="Ward Five Admin")
    AdminPermissionFactory(admin=ward_admin, ward_numbers=["5", "6"], can_update=True)
    other_admin = UserFactory(user_type="admin", name="Ward Nine Admin")
    AdminPermissionFactory(admin=other_admin, ward_numbers=["9"], can_update=True)
    return SimpleNamespace(
        citizen=UserFactory(name="Owner Citizen", ward_number="5"),
        ward_admin=ward_admin,
        other_admin=other_admin,
        provider=UserFactory(user_type="service_provider", name="Assigned Provider"),
        super_admin=UserFactory(user_type="super_admin", is_staff=True, is_superuser=True),
    )


@pytest.fixture
def complaint(cast):
    """Ward 5, assigned to the provider."""
    return ComplaintFactory(
        user=cast.citizen, ward_number="5", assigned_to=cast.provider, title="Bin at Road 4"
    )


@pytest.fixture
def far_complaint(cast):
    """Ward 9: only its own admin and the super admin may see it."""
    return ComplaintFactory(user=cast.citizen, ward_number="9", title="Drain in ward nine")


@pytest.fixture
def console():
    return Console()


@pytest.fixture
def console_as():
    def make(user):
        client = Console()
        if user is not None:
            client.force_login(user)
        return client

    return make
