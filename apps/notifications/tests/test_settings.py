"""Production refuses push backends that reach no phone, and FCM without its service account."""

import pytest

from core.tests.test_settings import PRODUCTION_ENV, run_check


def without(name: str) -> dict:
    return {k: v for k, v in PRODUCTION_ENV.items() if k != name}


@pytest.mark.parametrize("backend", ["console", "sandbox", "carrier-pigeon"])
def test_production_refuses_a_push_backend_that_pushes_nothing(backend):
    result = run_check({**PRODUCTION_ENV, "PUSH_BACKEND": backend})

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert "PUSH_BACKEND" in last_line


def test_production_needs_the_fcm_service_account():
    result = run_check(without("FCM_SERVICE_ACCOUNT_JSON"))

    assert result.returncode != 0
    assert "FCM_SERVICE_ACCOUNT_FILE or FCM_SERVICE_ACCOUNT_JSON" in result.stderr


def test_a_service_account_file_is_enough():
    env = {
        **without("FCM_SERVICE_ACCOUNT_JSON"),
        "FCM_SERVICE_ACCOUNT_FILE": "/run/secrets/fcm.json",
    }

    result = run_check(env)

    assert result.returncode == 0, result.stderr
