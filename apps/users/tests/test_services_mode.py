"""PostgreSQL-only checks (make test-services): the audit table refuses UPDATE and DELETE."""

import pytest
from django.db import DatabaseError, connection, transaction

from apps.users.models import ActivityAction, ActivityLog
from apps.users.services import activity_record
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.services


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


@pytest.fixture
def row(db):
    return activity_record(action=ActivityAction.LOGIN, actor=UserFactory(), details={"n": 1})


def refused(statement, params) -> str:
    """Run ``statement`` in a savepoint; return PostgreSQL's refusal (the test fails if none)."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cur:
        cur.execute(statement, params)
    return str(caught.value)


def test_sql_update_of_an_audit_row_is_refused(row):
    message = refused("UPDATE activity_logs SET action = %s WHERE id = %s", ["forged", row.pk])

    assert "activity_logs is append-only: UPDATE refused" in message
    assert ActivityLog.objects.get(pk=row.pk).action == "auth.login"


def test_sql_delete_of_an_audit_row_is_refused(row):
    message = refused("DELETE FROM activity_logs WHERE id = %s", [row.pk])

    assert "activity_logs is append-only: DELETE refused" in message
    assert ActivityLog.objects.filter(pk=row.pk).exists()


def test_orm_bulk_update_and_delete_are_refused_too(row):
    """QuerySet.update() and .delete() skip the model's own guards; the trigger does not."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ActivityLog.objects.filter(pk=row.pk).update(details={"n": 2})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ActivityLog.objects.filter(pk=row.pk).delete()

    assert ActivityLog.objects.filter(pk=row.pk).values_list("details", flat=True).get() == {"n": 1}


def test_deleting_a_user_with_an_audit_trail_is_refused(row):
    """Users are deactivated, never deleted: a delete would SET NULL their audit rows' user."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        row.user.delete()

    assert ActivityLog.objects.get(pk=row.pk).user_id == row.user_id


@pytest.mark.django_db(transaction=True)
def test_inserts_still_work_and_truncate_is_allowed():
    """The suite's flush between transactional tests is a TRUNCATE, which the trigger allows."""
    activity_record(action=ActivityAction.LOGIN)
    activity_record(action=ActivityAction.LOGOUT)
    assert ActivityLog.objects.count() == 2

    with connection.cursor() as cur:
        cur.execute("TRUNCATE activity_logs")

    assert not ActivityLog.objects.exists()
