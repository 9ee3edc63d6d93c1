"""The startup check of the database connection budget (seed 000 §10.3: 100 connections)."""

import pytest

from core.checks import database_connection_budget

# The pool lives in DATABASES; the checks here only read it, no connection is opened.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def pooled(settings):
    """Services mode's database settings: a pool of DB_POOL_MAX_SIZE per process."""

    def configure(*, max_size, web, workers, budget=100):
        settings.DATABASES = {
            "default": {
                **settings.DATABASES["default"],
                "OPTIONS": {"pool": {"min_size": 2, "max_size": max_size, "timeout": 10}},
            }
        }
        settings.WEB_CONCURRENCY = web
        settings.CELERY_WORKER_CONCURRENCY = workers
        settings.DB_MAX_CONNECTIONS = budget

    return configure


def test_processes_whose_pools_fit_the_budget_pass(pooled):
    pooled(max_size=20, web=2, workers=2)  # (2 + 2 + beat) × 20 = 100
    assert database_connection_budget() == []


def test_processes_whose_pools_exceed_the_budget_are_warned_about(pooled):
    pooled(max_size=20, web=4, workers=2)  # (4 + 2 + beat) × 20 = 140
    [warning] = database_connection_budget()
    assert warning.id == "core.W001"
    assert warning.level == 30  # WARNING: the server still starts
    assert warning.msg == (
        "7 processes × DB_POOL_MAX_SIZE=20 may open 140 database connections, "
        "more than DB_MAX_CONNECTIONS=100."
    )


def test_a_larger_budget_admits_more_processes(pooled):
    pooled(max_size=20, web=4, workers=2, budget=200)
    assert database_connection_budget() == []


def test_embedded_mode_without_a_pool_is_not_checked(settings):
    settings.DATABASES = {
        "default": {**settings.DATABASES["default"], "OPTIONS": {"timeout": 20}}  # SQLite's
    }
    settings.WEB_CONCURRENCY = 1000
    assert database_connection_budget() == []


def test_the_check_runs_with_django_s_system_checks(pooled):
    from django.core import checks

    pooled(max_size=50, web=2, workers=2)
    found = checks.run_checks(tags=[checks.Tags.database], databases=None)
    assert [message.id for message in found] == ["core.W001"]
