"""Fixtures of the waste tests: the people of the permission matrix around ward 5."""

from datetime import time

import pytest

from apps.users.tests.factories import UserFactory, staff_with_rights
from apps.waste_management.models import CollectionSchedule


def waste_admin(wards, **rights):
    """A ward admin holding every `waste` right for ``wards`` unless ``rights`` says not."""
    flags = {"can_create": True, "can_read": True, "can_update": True, "can_delete": True}
    return staff_with_rights("waste", wards, resource_type="waste", **{**flags, **rights})


def schedule_in(ward="5", **fields):
    values = {"day_of_week": 0, "start_time": time(7), "end_time": time(9),
              "waste_type": "household", **fields}  # fmt: skip
    return CollectionSchedule.objects.create(ward_number=ward, **values)


@pytest.fixture
def other_citizen(db):
    """Lives in ward 12."""
    return UserFactory(ward_number="12")


@pytest.fixture
def ward_admin(db):
    """Holds every waste right for ward 5 (the citizen's)."""
    return waste_admin(["5"])


@pytest.fixture
def other_admin(db):
    """Holds every waste right for ward 12 only."""
    return waste_admin(["12"])


@pytest.fixture
def provider(db):
    return UserFactory(user_type="service_provider", ward_number="5")


ROLES = ["anonymous", "citizen", "other_citizen", "ward_admin", "other_admin", "provider",
         "super_admin"]  # fmt: skip


@pytest.fixture
def client_of(api, api_as, people):
    """``client_of(role)`` → an API client signed in as that role (anonymous: none)."""

    def make(role):
        person = people[role]
        return api if person is None else api_as(person)

    return make
