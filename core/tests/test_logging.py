"""Every log line of every process passes the secret mask, tracebacks included (issue 8.3, 8.7)."""

import io
import logging
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest

from core.logging import SecretMaskingFilter

# A token's shape is what the mask recognises; this one signs nothing.
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoiNDIifQ.c2lnbmF0dXJlLW9mLW5vdGhpbmc"
QUERY_TOKEN = "s3cr3t-query-token"


def masked_handler() -> logging.StreamHandler:
    """The console handler of settings.LOGGING, on the root logger, with the masking filter."""
    return next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, SecretMaskingFilter) for f in handler.filters)
    )


@contextmanager
def masked_handler_output():
    """What the masked console handler writes."""
    handler = masked_handler()
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_message_arguments_and_traceback_are_masked_through_the_configured_handler():
    logger = logging.getLogger("clean_care.tests.logging")
    with masked_handler_output() as output:
        try:
            raise PermissionError(
                f"refused bearer {JWT} for /ws/notifications/?token={QUERY_TOKEN}"
            )
        except PermissionError:
            logger.exception(
                f"socket with {JWT} refused: %s (%s)", f"/ws/?token={QUERY_TOKEN}", JWT
            )
    logged = output.getvalue()
    assert "socket with *** refused: /ws/?token=*** (***)" in logged
    assert "PermissionError: refused bearer *** for /ws/notifications/?token=***" in logged
    assert "Traceback (most recent call last)" in logged  # the traceback is kept, masked
    assert JWT not in logged
    assert QUERY_TOKEN not in logged


def test_a_stack_trace_is_masked_too():
    logger = logging.getLogger("clean_care.tests.logging")
    with masked_handler_output() as output:
        # the stack prints this source line, and with it the token in ``extra``
        logger.warning("where am I", stack_info=True, extra={"url": "/x?token=in-the-source"})
    assert "Stack (most recent call last)" in output.getvalue()
    assert "/x?token=***" in output.getvalue()
    assert "in-the-source" not in output.getvalue()


def test_a_record_with_arguments_that_do_not_fit_does_not_break_the_caller(capsys, monkeypatch):
    # logging reports a malformed call on stderr when it emits the line (message and arguments
    # included); masking must neither raise first nor leave the arguments unmasked for that report.
    # Only the masked handler hears this logger: pytest's own handler fails a test on such a call.
    logger = logging.getLogger("clean_care.tests.malformed")
    with masked_handler_output():
        monkeypatch.setattr(logger, "handlers", [masked_handler()])
        monkeypatch.setattr(logger, "propagate", False)
        logger.info("%s and %s", f"?token={QUERY_TOKEN}")
    reported = capsys.readouterr().err
    assert "--- Logging error ---" in reported
    assert "Arguments: ('?token=***',)" in reported
    assert QUERY_TOKEN not in reported


def run_python(code: str, **environment) -> subprocess.CompletedProcess:
    """Runs ``code`` in a fresh interpreter with the local (`make run`) settings."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clean_care.settings.local", **environment}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


CELERY_SETUP = {
    "worker": "app.log.setup('INFO', None, redirect_stdouts=False, hostname='w@test')",
    "beat": (
        "from celery.apps.beat import Beat; "
        "Beat(app=app, loglevel='INFO', redirect_stdouts=True).setup_logging()"
    ),
}


@pytest.mark.parametrize("process", sorted(CELERY_SETUP))
def test_celery_worker_and_beat_keep_the_masked_logging_of_settings(process):
    """Celery replaces the root logger's handlers unless settings.LOGGING is applied instead."""
    code = (
        "import django, logging; django.setup(); "
        "from clean_care.celery import app; "
        f"{CELERY_SETUP[process]}; "
        "logging.getLogger('celery.beat').warning("
        f"'sending %s with %s', '/api/x/?token={QUERY_TOKEN}', '{JWT}')"
    )
    result = run_python(code)
    # settings.LOGGING's line format (with the request id) and its mask, not Celery's handler
    assert "WARNING celery.beat [-] sending /api/x/?token=*** with ***" in result.stderr, (
        result.stderr
    )
    assert QUERY_TOKEN not in result.stderr
    assert JWT not in result.stderr


def test_django_loggers_write_one_masked_line_with_debug_on():
    """Django's default logging (DEBUG on) adds handlers of its own that bypass the mask."""
    code = (
        "import django, logging; django.setup(); "
        "from django.conf import settings; assert settings.DEBUG; "
        "logging.getLogger('django.request').error("
        f"'Internal Server Error: %s', '/api/x/?token={QUERY_TOKEN}'); "
        "logging.getLogger('django.server').warning("
        f"'\"GET /api/y/?token={QUERY_TOKEN} HTTP/1.1\" 404 0')"
    )
    result = run_python(code, DEBUG="true")
    lines = result.stderr.splitlines()
    assert [line for line in lines if "Internal Server Error" in line] == [
        next(line for line in lines if "ERROR django.request [-]" in line)
    ], result.stderr
    assert "Internal Server Error: /api/x/?token=***" in result.stderr
    assert [line for line in lines if "/api/y/" in line] == [
        next(line for line in lines if "WARNING django.server [-]" in line)
    ], result.stderr
    assert QUERY_TOKEN not in result.stderr


def _json_lines(text: str) -> list[dict]:
    import json

    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_log_format_json_writes_one_masked_json_object_a_line():
    code = (
        "import django, logging; django.setup(); "
        "log = logging.getLogger('clean_care.tests.json')\n"
        "try:\n"
        f"    raise ValueError('bad token {JWT}')\n"
        "except ValueError:\n"
        f"    log.exception('refused %s', '/api/x/?token={QUERY_TOKEN}')\n"
        "log.warning('বর্জ্য সংগ্রহ %d', 3)"
    )
    result = run_python(code, LOG_FORMAT="json")
    lines = _json_lines(result.stderr)
    assert len(lines) == 2, result.stderr
    refused, bengali = lines
    assert set(refused) == {"time", "level", "logger", "request_id", "message", "exception"}
    assert refused["level"] == "ERROR"
    assert refused["logger"] == "clean_care.tests.json"
    assert refused["request_id"] == "-"
    assert refused["message"] == "refused /api/x/?token=***"
    assert refused["exception"].startswith("Traceback (most recent call last)")
    assert refused["exception"].endswith("ValueError: bad token ***")
    assert refused["time"].endswith("+00:00")
    assert bengali["message"] == "বর্জ্য সংগ্রহ 3"
    assert JWT not in result.stderr
    assert QUERY_TOKEN not in result.stderr


def test_text_lines_stay_the_default_outside_production():
    code = "import django, logging; django.setup(); logging.getLogger('x').warning('plain')"
    result = run_python(code)
    assert "WARNING x [-] plain" in result.stderr
    assert _json_lines(result.stderr) == []


def test_production_logs_json_by_default_and_text_on_request():
    from core.tests.test_settings import PRODUCTION_ENV

    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('clean_care.tests').warning('from %s', 'production')"
    )
    production = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"}
    as_json = run_python(code, **production)
    assert [line["message"] for line in _json_lines(as_json.stderr)] == ["from production"], (
        as_json.stderr
    )
    as_text = run_python(code, **production, LOG_FORMAT="text")
    assert "WARNING clean_care.tests [-] from production" in as_text.stderr
    refused = run_python(code, **production, LOG_FORMAT="xml")
    assert "LOG_FORMAT='xml'" in refused.stderr
