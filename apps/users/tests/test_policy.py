"""Tests of permitted_wards(): which wards a person's permission rows open for a resource."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.users.admin_services import admin_permissions_replace
from apps.users.policy import ALL_WARDS, permitted_wards
from apps.users.services import admin_permission_grant
from apps.users.tests.factories import AdminPermissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    """A ward admin with overlapping rows on two resources (one with integer ward numbers)."""
    admin = UserFactory(user_type="admin")
    AdminPermissionFactory(admin=admin, ward_numbers=["1", "2"], can_update=True)
    AdminPermissionFactory(admin=admin, ward_numbers=["2", "3"], can_update=False)
    AdminPermissionFactory(
        admin=admin,
        permission_type="payments",
        resource_type="payment",
        ward_numbers=[4, "5"],
        can_update=False,
        can_delete=True,
    )
    AdminPermissionFactory(admin=admin, permission_type="notices", ward_numbers=[])
    return admin


def test_super_admin_may_act_in_every_ward(super_admin):
    for action in ("create", "read", "update", "delete"):
        wards = permitted_wards(super_admin, resource="complaints", action=action)
        assert wards is ALL_WARDS
        assert "1" in wards
        assert "anything" in wards
    assert permitted_wards(super_admin, resource=None) is ALL_WARDS


def test_admin_reads_the_union_of_their_rows_for_the_resource(admin):
    assert permitted_wards(admin, resource="complaints") == {"1", "2", "3"}
    assert permitted_wards(admin, resource="payments") == {"4", "5"}
    assert permitted_wards(admin, resource="notices") == set()


def test_admin_update_leaves_out_rows_without_can_update(admin):
    assert permitted_wards(admin, resource="complaints", action="update") == {"1", "2"}
    assert permitted_wards(admin, resource="payments", action="update") == set()


def test_admin_other_actions_follow_their_own_flag(admin):
    assert permitted_wards(admin, resource="complaints", action="create") == set()
    assert permitted_wards(admin, resource="complaints", action="delete") == set()
    assert permitted_wards(admin, resource="payments", action="delete") == {"4", "5"}


def test_admin_rows_without_can_read_open_nothing_to_read(admin):
    AdminPermissionFactory(admin=admin, ward_numbers=["9"], can_read=False, can_update=True)

    assert permitted_wards(admin, resource="complaints") == {"1", "2", "3"}
    assert permitted_wards(admin, resource="complaints", action="update") == {"1", "2", "9"}


def test_any_resource_is_the_union_of_every_readable_row(admin):
    assert permitted_wards(admin, resource=None) == {"1", "2", "3", "4", "5"}
    assert permitted_wards(admin, resource=None, action="update") == {"1", "2"}


def test_another_admins_rows_do_not_count(admin):
    AdminPermissionFactory(ward_numbers=["40", "41"])

    assert permitted_wards(admin, resource="complaints") == {"1", "2", "3"}


def test_admin_without_rows_has_no_wards(db):
    assert permitted_wards(UserFactory(user_type="admin"), resource="complaints") == set()


@pytest.mark.parametrize("user_type", ["citizen", "service_provider"])
def test_citizens_and_providers_have_no_wards_even_with_rows(db, user_type):
    person = UserFactory(user_type=user_type, ward_number="1")
    AdminPermissionFactory(admin=person, ward_numbers=["1", "2"])

    for resource in ("complaints", None):
        wards = permitted_wards(person, resource=resource)
        assert wards == set()
        assert wards is not ALL_WARDS


def test_inactive_admin_has_no_wards(admin):
    admin.is_active = False
    admin.save(update_fields=["is_active"])

    assert permitted_wards(admin, resource="complaints") == set()
    assert permitted_wards(admin, resource=None) == set()


def test_inactive_super_admin_has_no_wards(super_admin):
    super_admin.is_active = False
    super_admin.save(update_fields=["is_active"])

    wards = permitted_wards(super_admin, resource="complaints")
    assert wards == set()
    assert wards is not ALL_WARDS


def test_anonymous_has_no_wards(db):
    assert permitted_wards(AnonymousUser(), resource="complaints") == set()


# The rows are kept with the account (core.accounts.account_fact): read once, then from the
# cache, and retired by every write the services make (save, delete, bulk_create).
def permission_queries(admin) -> int:
    with CaptureQueriesContext(connection) as queries:
        permitted_wards(admin, resource="complaints")
    return sum("admin_permissions" in query["sql"] for query in queries.captured_queries)


def test_the_rows_are_read_once_then_kept_with_the_account(admin):
    permission_queries(admin)  # the account's generation starts
    permission_queries(admin)  # the rows are stored under it
    assert permission_queries(admin) == 0
    assert permitted_wards(admin, resource="complaints") == {"1", "2", "3"}


def kept(admin) -> None:
    for _ in range(3):
        permitted_wards(admin, resource=None)


def test_a_granted_row_counts_on_the_next_read(admin):
    kept(admin)
    admin_permission_grant(admin=admin, permission_type="notices", ward_numbers=["9"])
    assert permitted_wards(admin, resource="notices") == {"9"}


def test_a_deleted_row_stops_counting_at_once(admin):
    kept(admin)
    admin.admin_permissions.filter(ward_numbers=["1", "2"]).get().delete()
    assert permitted_wards(admin, resource="complaints") == {"2", "3"}


def test_a_replaced_set_counts_at_once_even_from_no_rows(super_admin):
    """admin_permissions_replace deletes the rows (none here) and bulk-creates the new ones,
    which sends no post_save."""
    admin = UserFactory(user_type="admin")
    kept(admin)
    assert permitted_wards(admin, resource="complaints") == set()
    admin_permissions_replace(
        actor=super_admin,
        account=admin,
        permissions=[{"permission_type": "complaints", "ward_numbers": ["7"], "can_read": True}],
    )
    assert permitted_wards(admin, resource="complaints") == {"7"}


def test_fresh_reads_a_write_around_the_orm_that_the_kept_rows_miss(admin):
    """A queryset update() sends no signal: the kept rows stand until they expire, and a
    socket's periodic recheck (fresh) sees the change at once."""
    kept(admin)
    admin.admin_permissions.filter(permission_type="payments").update(ward_numbers=["8"])
    assert permitted_wards(admin, resource="payments") == {"4", "5"}
    assert permitted_wards(admin, resource="payments", fresh=True) == {"8"}
