"""Fixtures of the calendar tests: the people of the permission matrix around ward 5's events."""

from contextlib import contextmanager
from unittest import mock

import pytest

from apps.users.tests.factories import UserFactory, staff_with_rights


def calendar_admin(wards, **rights):
    """A ward admin holding every `calendar` right for ``wards`` unless ``rights`` says not."""
    flags = {"can_create": True, "can_read": True, "can_update": True, "can_delete": True}
    return staff_with_rights("calendar", wards, resource_type="event", **{**flags, **rights})


@contextmanager
def frozen(moment):
    """Every ``timezone.now()`` (the selectors', the services', auto_now's) answers ``moment``."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def other_citizen(db):
    """Lives in ward 12."""
    return UserFactory(ward_number="12")


@pytest.fixture
def ward_admin(db):
    """Holds every calendar right for ward 5 (the citizen's)."""
    return calendar_admin(["5"])


@pytest.fixture
def other_admin(db):
    """Holds every calendar right for ward 12 only."""
    return calendar_admin(["12"])


@pytest.fixture
def provider(db):
    return UserFactory(user_type="service_provider", ward_number="5")


ROLES = ["anonymous", "citizen", "other_citizen", "ward_admin", "other_admin", "provider",
         "super_admin"]  # fmt: skip
