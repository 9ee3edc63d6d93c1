"""The signed-in account is read from the cache (core/accounts.py), and never a stale copy of it:
every write of the row retires the copy before the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.authentication.services import tokens_for_user
from apps.users.models import User
from apps.users.services import user_deactivate, user_revoke_tokens
from apps.users.tests.factories import UserFactory
from core.accounts import account_forget, account_get

pytestmark = pytest.mark.django_db


def signed_in(api, user):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for_user(user)['access']}")
    return api


def account_queries(api) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/auth/me/").status_code == 200
    return sum('FROM "users"' in query["sql"] for query in queries.captured_queries)


def test_the_account_is_read_from_the_database_once_then_from_the_cache(api):
    signed_in(api, UserFactory())
    account_queries(api)  # the account's generation starts
    account_queries(api)  # the row is stored under it
    assert account_queries(api) == 0


def test_a_deactivated_account_is_refused_on_its_next_request(api, super_admin):
    user = UserFactory()
    signed_in(api, user)
    for _ in range(3):
        assert api.get("/api/v1/auth/me/").status_code == 200
    user_deactivate(actor=super_admin, user=user)
    assert api.get("/api/v1/auth/me/").status_code == 401


def test_a_changed_password_refuses_the_old_token_at_once(api):
    user = UserFactory()
    signed_in(api, user)
    for _ in range(3):
        assert api.get("/api/v1/auth/me/").status_code == 200
    user.set_password("a new passphrase 2026")
    user.save()
    assert api.get("/api/v1/auth/me/").status_code == 401


def test_a_demoted_admin_is_a_citizen_on_the_next_request(api):
    admin = UserFactory(user_type="admin")
    signed_in(api, admin)
    for _ in range(3):
        assert api.get("/api/v1/auth/me/").json()["user_type"] == "admin"
    admin.user_type = "citizen"
    admin.save(update_fields=["user_type"])
    assert api.get("/api/v1/auth/me/").json()["user_type"] == "citizen"


def test_a_queryset_update_is_seen_through_account_forget(api):
    user = UserFactory()
    signed_in(api, user)
    for _ in range(3):
        api.get("/api/v1/auth/me/")
    user_revoke_tokens(user=user)  # writes sessions_ended_at with update()
    assert account_get(user.pk).sessions_ended_at is not None


def test_a_copy_stored_under_an_older_generation_is_not_trusted():
    """A copy loaded while a write was committing carries the generation from before the
    write, so the write's new generation makes it worthless."""
    user = UserFactory(name="Before")
    account_get(user.pk)
    account_get(user.pk)  # stored
    User.objects.filter(pk=user.pk).update(name="After")  # a write the signals never saw…
    assert account_get(user.pk).name == "Before"  # …is not seen until it is announced
    account_forget(user.pk)
    assert account_get(user.pk).name == "After"


def test_without_a_generation_nothing_cached_is_trusted():
    user = UserFactory(name="Before")
    account_get(user.pk)
    account_get(user.pk)
    User.objects.filter(pk=user.pk).update(name="After")
    cache.clear()  # a restart, or Redis evicting keys
    assert account_get(user.pk).name == "After"


def test_a_deleted_account_is_not_found():
    user = UserFactory()
    account_get(user.pk)
    account_get(user.pk)
    pk = user.pk
    user.delete()
    assert account_get(pk) is None
