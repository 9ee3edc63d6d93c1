"""Shared pytest fixtures: factories, API clients that behave like real requests, SMS outbox."""

import re

import pytest
from django.core.cache import cache
from django.test import TestCase
from rest_framework.test import APIClient

from apps.users.tests.factories import UserFactory


class Api(APIClient):
    """An API client whose requests run their on-commit callbacks, as a real request does."""

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)

    def as_user(self, user):
        from apps.authentication.services import tokens_for_user

        self.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for_user(user)['access']}")
        return self


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """Run every test as the application runs (row-level security on PostgreSQL), and close
    pooled connections before the test database is dropped."""
    from core.rls import app_role_after_tests, app_role_for_tests

    with django_db_blocker.unblock():
        app_role_for_tests()
    yield
    from django.db import connections

    app_role_after_tests()
    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            connection.close()
            if hasattr(connection, "close_pool"):
                connection.close_pool()


@pytest.fixture
def wards(transactional_db):
    """Transactional tests flush every table, the migration-seeded wards included: reload them."""
    from apps.users.wards import wards_load

    wards_load()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def api():
    return Api()


@pytest.fixture
def api_as(db):
    """``api_as(user)`` → a client signed in as ``user``."""

    def make(user):
        return Api().as_user(user)

    return make


@pytest.fixture
def citizen(db):
    return UserFactory(ward_number="5")


@pytest.fixture
def super_admin(db):
    return UserFactory(user_type="super_admin", is_staff=True, is_superuser=True)


@pytest.fixture
def people(citizen, other_citizen, ward_admin, other_admin, provider, super_admin):
    """Every role of an app's permission matrix by name (anonymous is ``None``); each app's
    tests say who its ward admin, other admin, other citizen and provider are."""
    return {
        "anonymous": None,
        "citizen": citizen,
        "other_citizen": other_citizen,
        "ward_admin": ward_admin,
        "other_admin": other_admin,
        "provider": provider,
        "super_admin": super_admin,
    }


def sms_codes(phone: str) -> list[str]:
    """Every 6-digit code texted to ``phone``, newest first (read from the sandbox outbox)."""
    from apps.sandbox.models import SandboxSms

    texts = (
        SandboxSms.objects.filter(phone=phone)
        .order_by("-created_at")
        .values_list("text", flat=True)
    )
    return [m.group(0) for m in (re.search(r"(?<!\d)\d{6}(?!\d)", t) for t in texts) if m]


@pytest.fixture
def latest_code():
    def read(phone: str) -> str:
        codes = sms_codes(phone)
        assert codes, f"no SMS with a code was sent to {phone}"
        return codes[0]

    return read


@pytest.fixture
def s3_server(monkeypatch):
    """The endpoint of a local S3-compatible server (moto's), started for this test, with
    throwaway credentials in the environment where boto3 looks for them."""
    from core.testing_servers import s3_server

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    with s3_server() as endpoint:
        yield endpoint


def pytest_collection_modifyitems(config, items):
    """Without DATABASE_URL the services tests cannot run: deselect them (as make test does)."""
    import os

    if os.environ.get("DATABASE_URL"):
        return
    kept = [item for item in items if item.get_closest_marker("services") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
