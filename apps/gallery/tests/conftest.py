"""Fixtures of the gallery tests: the people of the permission matrix around ward 5's photos,
and the four categories."""

import pytest

from apps.gallery.demo import demo_categories_load
from apps.users.tests.factories import UserFactory, staff_with_rights


def gallery_admin(wards, **rights):
    """A ward admin holding every `gallery` right for ``wards`` unless ``rights`` says not."""
    flags = {"can_create": True, "can_read": True, "can_update": True, "can_delete": True}
    return staff_with_rights("gallery", wards, resource_type="gallery", **{**flags, **rights})


@pytest.fixture(autouse=True)
def categories(db):
    return {category.slug: category for category in demo_categories_load()}


@pytest.fixture
def other_citizen(db):
    return UserFactory(ward_number="12")


@pytest.fixture
def ward_admin(db):
    """Holds every gallery right for ward 5."""
    return gallery_admin(["5"])


@pytest.fixture
def other_admin(db):
    """Holds every gallery right for ward 12 only."""
    return gallery_admin(["12"])


@pytest.fixture
def provider(db):
    return UserFactory(user_type="service_provider", ward_number="5")


ROLES = ["anonymous", "citizen", "other_citizen", "ward_admin", "other_admin", "provider",
         "super_admin"]  # fmt: skip
