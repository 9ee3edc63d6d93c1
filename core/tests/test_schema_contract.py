"""Schemathesis over every documented operation, as a citizen and as a super admin.

Fails on a 5xx, an undocumented status code, a body that breaks its schema, or a wrong
content type. Runs in-process against the WSGI app inside the test transaction, with a bounded
example count per operation and mode so the whole run stays within a few minutes.

Schemathesis' pytest integration (``from_fixture``) does not run on pytest 9, so the operations
are driven here with plain Hypothesis and every failure is collected before the test fails.
"""

import time

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.authentication.services import tokens_for_user
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.services

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 6

# Excluded, each because running it would make the rest of the run meaningless:
# logout revokes the fixture's own token, so every later case would test only the 401 path;
# change-password rotates the password and signs the fixture user out the same way.
EXCLUDED = {("POST", "/api/v1/auth/logout/"), ("POST", "/api/v1/auth/change-password/")}


@pytest.fixture
def _wsgi_in_transaction(db):
    """Keep Django from closing the test transaction's connection at the end of each request.

    Django's own test client does the same; schemathesis calls the real WSGI handler.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(_wsgi_in_transaction):
    from clean_care.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def _bearer(**fields) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens_for_user(UserFactory(**fields))['access']}"}


def _run(api_schema, headers) -> tuple[int, int, list[str]]:
    """Every operation, positive then negative data; returns (operations, cases, failures)."""
    operations, cases, failures = 0, [0], []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in EXCLUDED:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                # Throttle counters would otherwise turn the later cases into 429s.
                cache.clear()
                cases[0] += 1
                # Each case in a savepoint, as each real request is its own transaction: one
                # case's database error must not fail every case after it.
                with transaction.atomic():
                    case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # No invalid input exists (no parameters, no body): nothing to try negatively.
                continue
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure
                failures.append(f"{operation.label} [{mode}]: {exc}")
    return operations, cases[0], failures


@pytest.mark.parametrize(
    "user",
    [
        pytest.param({"ward_number": "5"}, id="citizen"),
        pytest.param(
            {"user_type": "super_admin", "is_staff": True, "is_superuser": True}, id="super_admin"
        ),
    ],
)
def test_every_operation_keeps_its_contract(api_schema, user, capsys):
    started = time.monotonic()
    operations, cases, failures = _run(api_schema, _bearer(**user))
    with capsys.disabled():
        print(
            f"\nschemathesis: {operations} operations, {cases} cases, "
            f"{len(failures)} failing, {time.monotonic() - started:.0f}s"
        )
    assert operations > 50
    assert not failures, "\n\n".join(failures)
