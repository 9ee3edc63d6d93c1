"""Row-level security on users and complaints: raw SQL as each kind of user, refused by PostgreSQL.

The selectors would never hand these rows out; here nothing of the application stands between
the statement and the table, so what comes back is what the database's policies allow.
"""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from apps.complaints.models import Complaint
from apps.complaints.tests.factories import ComplaintFactory
from apps.users.tests.factories import UserFactory, staff_with_rights
from core import rls

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture
def city(db):
    """Two citizens of different wards with a complaint each, the ward admin of one ward, a
    provider working on the other ward's complaint, and a super admin."""
    rahim = UserFactory(ward_number="5")
    karim = UserFactory(ward_number="7")
    provider = UserFactory(user_type="service_provider")
    people = {
        "rahim": rahim,
        "karim": karim,
        "ward_5_admin": staff_with_rights("complaints", ["5"]),
        "provider": provider,
        "super_admin": UserFactory(user_type="super_admin"),
    }
    complaints = {
        "rahim": ComplaintFactory(user=rahim, ward_number="5"),
        "karim": ComplaintFactory(user=karim, ward_number="7", assigned_to=provider),
    }
    return people, complaints


def _rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {str(row[0]) for row in cursor.fetchall()}


def _changed(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _ids(*objects):
    return {str(o.pk) for o in objects}


@pytest.mark.parametrize("who", ["citizen", "system"])
def test_the_suite_talks_to_postgresql_as_a_role_that_owns_and_bypasses_nothing(city, who):
    people, _ = city
    actor = rls.SYSTEM if who == "system" else rls.actor_for(people["rahim"])
    with rls.acting(actor), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, r.rolsuper, r.rolbypassrls FROM pg_roles r"
            " WHERE r.rolname = current_user"
        )
        user, superuser, bypass = cursor.fetchone()
        cursor.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename IN ('users', 'complaints')"
        )
        owners = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname IN ('users', 'complaints')"
            " AND relrowsecurity"
        )
        protected = {row[0] for row in cursor.fetchall()}
    restricted, everything = rls.app_roles()
    assert restricted == settings.DATABASE_APP_ROLE
    assert user == (everything if who == "system" else restricted)
    assert (superuser, bypass) == (False, False)
    assert user not in owners
    assert protected == {"users", "complaints"}


def test_a_citizen_selects_only_their_own_complaint_and_account(city):
    people, complaints = city
    with rls.acting(rls.actor_for(people["rahim"])):
        assert _rows("SELECT id FROM complaints") == _ids(complaints["rahim"])
        assert _rows("SELECT id FROM complaints WHERE id = %s", [complaints["karim"].pk]) == set()
        assert _rows("SELECT id FROM users WHERE id = %s", [people["karim"].pk]) == set()
        seen = _rows("SELECT id FROM users")
    # Their own account and the city's staff (whose names a complaint shows), no other resident.
    assert str(people["rahim"].pk) in seen
    assert str(people["karim"].pk) not in seen
    assert _ids(people["ward_5_admin"], people["provider"], people["super_admin"]) <= seen


def test_a_citizen_cannot_update_or_delete_another_citizens_rows(city):
    people, complaints = city
    karim_complaint, karim = complaints["karim"], people["karim"]
    with rls.acting(rls.actor_for(people["rahim"])):
        assert (
            _changed("UPDATE complaints SET title = 'hijacked' WHERE id = %s", [karim_complaint.pk])
            == 0
        )
        assert _changed("DELETE FROM complaints WHERE id = %s", [karim_complaint.pk]) == 0
        assert _changed("UPDATE users SET name = 'hijacked' WHERE id = %s", [karim.pk]) == 0
        assert _changed("DELETE FROM users WHERE id = %s", [karim.pk]) == 0
        # Nor take over their own complaint's row for someone else.
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            _changed(
                "UPDATE complaints SET user_id = %s WHERE id = %s",
                [karim.pk, complaints["rahim"].pk],
            )
    karim_complaint.refresh_from_db()
    karim.refresh_from_db()
    assert karim_complaint.title != "hijacked"
    assert karim.name != "hijacked"


def test_a_citizen_cannot_file_a_complaint_in_another_citizens_name(city):
    people, _ = city
    with (
        rls.acting(rls.actor_for(people["rahim"])),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
    ):
        ComplaintFactory(user=people["karim"])


def test_an_orm_query_without_any_filter_still_sees_only_the_citizens_own(city):
    people, complaints = city
    with rls.acting(rls.actor_for(people["karim"])):
        assert set(Complaint.objects.values_list("pk", flat=True)) == {complaints["karim"].pk}


def test_a_ward_admin_sees_their_wards_complaints_and_residents_only(city):
    people, complaints = city
    with rls.acting(rls.actor_for(people["ward_5_admin"])):
        assert _rows("SELECT id FROM complaints") == _ids(complaints["rahim"])
        residents = _rows("SELECT id FROM users WHERE user_type = 'citizen'")
        assert (
            _changed("UPDATE complaints SET title = 'x' WHERE id = %s", [complaints["karim"].pk])
            == 0
        )
    assert residents == _ids(people["rahim"])


def test_a_provider_sees_the_work_assigned_to_them_and_its_citizen(city):
    people, complaints = city
    with rls.acting(rls.actor_for(people["provider"])):
        assert _rows("SELECT id FROM complaints") == _ids(complaints["karim"])
        residents = _rows("SELECT id FROM users WHERE user_type = 'citizen'")
    assert residents == _ids(people["karim"])


def test_only_staff_see_work_assigned_to_them_and_only_ward_admins_see_wards(city):
    """The policies ask the role inside app_actor_staff_id() and app_actor_wards() (core
    migration 0007, so the planner can estimate them): someone no longer staff sees neither the
    work still assigned to them nor the wards their leftover permission rows name."""
    people, complaints = city
    former = people["ward_5_admin"]
    Complaint.objects.filter(pk=complaints["karim"].pk).update(assigned_to=former)
    former.user_type = "citizen"
    former.save(update_fields=["user_type"])
    with rls.acting(rls.actor_for(former)):
        assert _rows("SELECT id FROM complaints") == set()
        assert _rows("SELECT id FROM users WHERE user_type = 'citizen'") == _ids(former)


@pytest.mark.parametrize("who", ["super_admin", "system"])
def test_super_admins_and_system_jobs_see_everything(city, who):
    people, complaints = city
    actor = rls.SYSTEM if who == "system" else rls.actor_for(people["super_admin"])
    with rls.acting(actor):
        assert _rows("SELECT id FROM complaints") == _ids(*complaints.values())
        assert _ids(*people.values()) <= _rows("SELECT id FROM users")


def test_a_request_nobody_signed_sees_no_complaint_and_no_resident(city):
    with rls.acting(rls.ANONYMOUS):
        assert _rows("SELECT id FROM complaints") == set()
        assert _rows("SELECT id FROM users WHERE user_type = 'citizen'") == set()


def test_public_pages_read_every_complaint_and_change_none(city):
    _, complaints = city
    with rls.acting(rls.ANONYMOUS), rls.public_reads():
        assert _rows("SELECT id FROM complaints") == _ids(*complaints.values())
        assert _changed("UPDATE complaints SET title = 'x'") == 0
        assert _changed("DELETE FROM complaints") == 0


def test_a_connection_handed_out_later_learns_the_current_actor(city):
    """A pooled connection is told who acts when it is handed out, not only when the actor
    changes: the previous request's user never carries over."""
    people, _ = city
    with rls.acting(rls.actor_for(people["rahim"])), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.actor_id')")
        assert cursor.fetchone()[0] == str(people["rahim"].pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.actor_role')")
        assert cursor.fetchone()[0] == "system"


def test_a_request_acts_as_its_user_and_ends_as_the_system(city, api_as, monkeypatch):
    """Through the API: the JWT's user is who PostgreSQL sees during the request; afterwards
    the code outside requests (tasks, commands) is the system again."""
    people, complaints = city
    seen = {}
    from apps.complaints import selectors

    real = selectors.complaints_visible_to

    def spy(viewer, **kwargs):
        seen["actor"] = rls.actor_current()
        seen["rows"] = _rows("SELECT id FROM complaints")
        return real(viewer, **kwargs)

    monkeypatch.setattr(selectors, "complaints_visible_to", spy)
    response = api_as(people["rahim"]).get("/api/v1/complaints/")
    assert response.status_code == 200
    assert seen["actor"] == rls.Actor("citizen", str(people["rahim"].pk))
    assert seen["rows"] == _ids(complaints["rahim"])
    assert rls.actor_current() == rls.SYSTEM
