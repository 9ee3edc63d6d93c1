"""Production settings refuse to start half-configured and pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "p" * 20 + "-production-key-for-the-deploy-check-0123456789abcdef",
    "ALLOWED_HOSTS": "api.cleancare.example",
    "DATABASE_URL": "postgres://cleancare@db.internal:5432/cleancare",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "NUM_PROXIES": "1",
    "SSLWIRELESS_API_TOKEN": "isms-token-for-the-deploy-check",
    "SSLWIRELESS_SID": "CLEANCARE",
    "FCM_SERVICE_ACCOUNT_JSON": '{"project_id": "clean-care-deploy-check"}',
}
# Every variable any test here sets; none of them leaks in from the environment running pytest.
_SCRUBBED = {
    *PRODUCTION_ENV,
    "DJANGO_SETTINGS_MODULE",
    "SMS_BACKEND",
    "BULKSMSBD_API_KEY",
    "BULKSMSBD_SENDER_ID",
    "PUSH_BACKEND",
    "FCM_SERVICE_ACCOUNT_FILE",
    "SANDBOX_ENABLED",
    "WEB_CONCURRENCY",
    "WEB_SERVERS",
    "CELERY_WORKER_CONCURRENCY",
    "DB_MAX_CONNECTIONS",
    "DB_POOL_MIN_SIZE",
    "DB_POOL_MAX_SIZE",
    "DB_STATEMENT_TIMEOUT",
}


def _clean_env(env_overrides: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update(env_overrides)
    return env


def run_check(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--settings=clean_care.settings.production", *args],
        cwd=ROOT,
        env=_clean_env(env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_python(env_overrides: dict, code: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_clean_env(env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_documented_environment():
    result = run_check(PRODUCTION_ENV, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "NUM_PROXIES",
        "SSLWIRELESS_API_TOKEN",
        "SSLWIRELESS_SID",
    ],
)
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_check(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr.strip().splitlines()[-1]


def test_production_refuses_a_short_secret_key():
    result = run_check({**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("backend", ["console", "sandbox", "carrier-pigeon"])
def test_production_refuses_an_sms_backend_that_sends_nothing(backend):
    result = run_check({**PRODUCTION_ENV, "SMS_BACKEND": backend})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert "SMS_BACKEND" in last_line


@pytest.mark.parametrize("missing", ["BULKSMSBD_API_KEY", "BULKSMSBD_SENDER_ID"])
def test_production_with_bulksmsbd_needs_its_credentials(missing):
    bulksmsbd = {"SMS_BACKEND": "bulksmsbd", "BULKSMSBD_API_KEY": "k", "BULKSMSBD_SENDER_ID": "s"}
    complete = {**PRODUCTION_ENV, **bulksmsbd}
    assert run_check(complete).returncode == 0
    result = run_check({k: v for k, v in complete.items() if k != missing})
    assert result.returncode != 0
    assert missing in result.stderr.strip().splitlines()[-1]


def test_health_and_metrics_are_exempt_from_the_https_redirect():
    code = """
import django, json
django.setup()
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
middleware = SecurityMiddleware(lambda request: None)
factory = RequestFactory(HTTP_HOST="api.cleancare.example")
paths = ["/api/health/", "/api/v1/health/", "/api/v1/wards/", "/api/v1/health/x",
         "/api/health/live/", "/api/v1/health/live/", "/metrics"]
print(json.dumps({p: getattr(middleware.process_request(factory.get(p)), "status_code", None)
                  for p in paths}))
"""
    result = run_python(
        {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"}, code
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "/api/health/": None,
        "/api/v1/health/": None,
        "/api/v1/wards/": 301,
        "/api/v1/health/x": 301,
        "/api/health/live/": None,
        "/api/v1/health/live/": None,
        "/metrics": None,
    }


@pytest.mark.parametrize("module", ["clean_care.asgi", "clean_care.wsgi", "clean_care.celery"])
def test_server_entry_points_default_to_production_settings(module):
    code = f"""
import os, django
from django.conf import settings
import {module}
settings.INSTALLED_APPS  # celery.py configures lazily; make every entry point load its settings
print(os.environ["DJANGO_SETTINGS_MODULE"], settings.DEBUG, settings.SANDBOX_ENABLED)
"""
    result = run_python(PRODUCTION_ENV, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["clean_care.settings.production", "False", "False"]

    refused = run_python({}, code)  # no production environment: the entry point will not start
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr


def test_manage_py_puts_the_local_settings_in_the_environment_of_its_children():
    """`make run` spawns uvicorn and Celery from `manage.py serve`; they inherit os.environ."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PRINT_CHILD_SETTINGS],
        cwd=ROOT,
        env=_clean_env({}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clean_care.settings.local"


PRINT_CHILD_SETTINGS = """
import os, subprocess, sys
code = "import os; print(os.environ['DJANGO_SETTINGS_MODULE'])"
print(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
"""


def test_naming_a_bucket_moves_uploads_to_s3():
    probe = (
        "import django; django.setup(); "
        'from django.core.files.storage import storages; s = storages["default"]; '
        "print(type(s).__name__, s.bucket_name, s.querystring_auth)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({"DJANGO_SETTINGS_MODULE": "clean_care.settings.local",
                "AWS_STORAGE_BUCKET_NAME": "cleancare-media"})  # fmt: skip
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    expected = ["S3ReusedLinkStorage", "cleancare-media", "True"]
    assert result.stdout.split() == expected, result.stderr


SANDBOX_WIRING = """
import django, json
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve
try:
    resolve("/sandbox/sms/outbox/")
    routed = True
except Resolver404:
    routed = False
named = json.dumps([settings.SMS_BACKENDS, settings.PUSH_BACKENDS, settings.HTTP_TRANSPORTS])
print(json.dumps({"installed": "apps.sandbox" in settings.INSTALLED_APPS, "routed": routed,
                  "named": "sandbox" in named}))
"""


@pytest.mark.parametrize(
    ("env", "wired"),
    [
        (
            {"DJANGO_SETTINGS_MODULE": "clean_care.settings.local", "SANDBOX_ENABLED": "false"},
            False,
        ),
        ({**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"}, False),
        ({"DJANGO_SETTINGS_MODULE": "clean_care.settings.local"}, True),
    ],
)
def test_the_sandbox_is_installed_only_where_it_is_enabled(env, wired):
    result = run_python(env, SANDBOX_WIRING)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"installed": wired, "routed": wired, "named": wired}


ASK_FOR_HTML = """
import django, json
django.setup()
from django.conf import settings
from django.test import RequestFactory
from django.urls import resolve
factory = RequestFactory(HTTP_HOST="api.cleancare.example")
request = factory.get("/api/v1/auth/me/", HTTP_ACCEPT="text/html")
response = resolve("/api/v1/auth/me/").func(request)
response.render()
print(json.dumps([settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"], response["Content-Type"]]))
"""


def test_production_answers_json_only_no_browsable_api():
    result = run_python(
        {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"},
        ASK_FOR_HTML,
    )
    assert result.returncode == 0, result.stderr
    renderers, content_type = json.loads(result.stdout)
    assert renderers == ["core.renderers.JSONRenderer"]  # orjson, DRF's bytes
    assert content_type == "application/json"  # a browser asking for HTML still gets JSON


SESSION_COOKIE = """
import django, json
django.setup()
from django.conf import settings
print(json.dumps([settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
                  settings.SESSION_COOKIE_SAMESITE, settings.CSRF_COOKIE_SECURE]))
"""


def test_production_session_cookie_is_secure_httponly_and_samesite_lax():
    result = run_python(
        {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"},
        SESSION_COOKIE,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, True, "Lax", True]


_POOL = """
import json, django
from django.conf import settings
options = settings.DATABASES["default"]["OPTIONS"]
print(json.dumps({"pool": options["pool"], "options": options.get("options"),
                  "binding": options["server_side_binding"],
                  "prepare": options["prepare_threshold"]}))
"""


@pytest.mark.parametrize(
    ("overrides", "max_size", "min_size", "timeout"),
    [
        # (100 − 10 reserved) ÷ (2 web + 2 workers + beat) = 18 each; 5 s per statement.
        ({"WEB_CONCURRENCY": "2", "CELERY_WORKER_CONCURRENCY": "2"}, 18, 2, 5000),
        # Compose's two web containers of 2 processes: 90 ÷ (2 × 2 + 2 + 1) = 12 each.
        (
            {"WEB_CONCURRENCY": "2", "WEB_SERVERS": "2", "CELERY_WORKER_CONCURRENCY": "2"},
            12,
            2,
            5000,
        ),
        # A bigger server: (200 − 10) ÷ (8 + 4 + 1) = 14; the worker's longer limit.
        (
            {
                "WEB_CONCURRENCY": "8",
                "CELERY_WORKER_CONCURRENCY": "4",
                "DB_MAX_CONNECTIONS": "200",
                "DB_STATEMENT_TIMEOUT": "120",
            },
            14,
            2,
            120000,
        ),
        # An explicit size wins (the startup check judges it); no limit for migrations.
        ({"DB_POOL_MAX_SIZE": "7", "DB_STATEMENT_TIMEOUT": "0"}, 7, 2, None),
        # A tight budget: one connection each, and the pool's floor follows it down.
        (
            {"WEB_CONCURRENCY": "30", "CELERY_WORKER_CONCURRENCY": "9", "DB_MAX_CONNECTIONS": "50"},
            1,
            1,
            5000,
        ),
    ],
)
def test_production_pools_share_the_connection_budget_and_statements_are_limited(
    overrides, max_size, min_size, timeout
):
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"}
    result = run_python({**env, **overrides}, _POOL)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["pool"]["max_size"], answer["pool"]["min_size"]) == (max_size, min_size)
    wanted = None if timeout is None else f"-c statement_timeout={timeout}"
    assert answer["options"] == wanted


@pytest.mark.parametrize(("setting", "prepare"), [(None, 5), ("2", 2), ("0", None)])
def test_statements_are_bound_on_the_server_and_prepared_unless_turned_off(setting, prepare):
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"}
    if setting is not None:
        env["DB_PREPARE_THRESHOLD"] = setting
    result = run_python(env, _POOL)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["binding"] is True
    assert answer["prepare"] == prepare


def test_a_negative_prepare_threshold_is_refused():
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"}
    result = run_python({**env, "DB_PREPARE_THRESHOLD": "-1"}, _POOL)
    assert result.returncode != 0
    assert "DB_PREPARE_THRESHOLD is a count of runs" in result.stderr


def test_production_refuses_a_budget_that_leaves_no_connection_per_process():
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"}
    result = run_python({**env, "WEB_CONCURRENCY": "50", "DB_MAX_CONNECTIONS": "40"}, _POOL)
    assert result.returncode != 0
    assert "leaves no connection for 53 processes" in result.stderr
