"""PostgreSQL-only: statements are prepared, and a prepared list still reads its indexes.

Services mode binds parameters on the server and prepares a statement the fifth time a
connection runs it (settings, DB_PREPARE_THRESHOLD). A prepared statement may be given a generic
plan, made without the parameters' values: the complaint list writes its ranks and its enum
filters as literals (core.indexes.Inlined), so that plan still walks the list's indexes.
"""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from apps.complaints.enums import Priority, Status
from apps.complaints.tests.factories import ComplaintFactory
from apps.complaints.views import ComplaintListCreateView

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


def listed(viewer, query: str):
    """The complaint list's queryset for ``query``, as its view filters and orders it."""
    request = Request(APIRequestFactory().get("/api/v1/complaints/", QueryDict(query)))
    request.user = viewer
    view = ComplaintListCreateView(request=request, format_kwarg=None, kwargs={}, args=())
    return view.filter_queryset(view.get_queryset())


def generic_plan(queryset) -> str:
    """PostgreSQL's generic plan of ``queryset``'s page 1, the plan a prepared statement may
    keep; sorting is priced out, so a plan that cannot walk an index in list order sorts."""
    sql, params = queryset[:21].query.sql_with_params()
    numbers = iter(range(1, len(params) + 1))
    prepared = re.sub(r"%s", lambda _: f"${next(numbers)}", sql).replace("%%", "%")
    values = ", ".join(connection.ops.compose_sql("%s", [value]) for value in params)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"PREPARE listed AS {prepared}")
        try:
            cursor.execute(
                f"EXPLAIN EXECUTE listed({values})" if values else "EXPLAIN EXECUTE listed"
            )
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE listed")


def test_services_mode_binds_on_the_server_and_prepares():
    options = connection.settings_dict["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] >= 1  # 5 unless DB_PREPARE_THRESHOLD says otherwise
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("SELECT count(*) FROM complaints WHERE ward_number = %s", ["5"])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("FROM complaints WHERE ward_number = $1" in text for text in prepared)


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("ordering=priority", "idx_complaints_list_prio_rank"),
        ("ordering=-status", "idx_complaints_list_st_rank"),
        ("status=resolved&ordering=priority", "idx_complaints_list_st_prio"),
        ("ward_number=5&ordering=priority", "idx_complaints_list_ward_prio"),
        ("ward_number=5&status=resolved&ordering=-priority", "idx_complaints_list_ward_prio"),
        ("ward_number=5&ordering=status", "idx_complaints_list_ward_st"),
    ],
)
def test_a_generic_plan_still_walks_the_ranked_index(query, index, super_admin):
    ComplaintFactory(priority=Priority.HIGH, status=Status.RESOLVED, resolved_at=timezone.now())
    plan = generic_plan(listed(super_admin, query))
    assert index in plan
    assert "Sort" not in plan


def test_enum_filters_and_ranks_are_literals_and_the_rest_stay_parameters(super_admin):
    resolved = ComplaintFactory(
        status=Status.RESOLVED, resolved_at=timezone.now(), priority=Priority.HIGH, ward_number="5"
    )
    ComplaintFactory(status=Status.SUBMITTED, priority=Priority.HIGH, ward_number="5")
    queryset = listed(super_admin, "status=resolved&priority=high&ward_number=5&ordering=priority")
    sql, params = queryset.query.sql_with_params()
    assert f"'{Status.RESOLVED}'" in sql
    assert f"'{Priority.HIGH}'" in sql
    assert Status.RESOLVED not in params
    assert "5" in params  # a ward is what the caller typed: a parameter
    assert [complaint.pk for complaint in queryset] == [resolved.pk]
