"""Periodic work cannot die silently: serve watches beat, health reports a stale heartbeat (8.3)."""

import time
from datetime import datetime, timedelta
from unittest import mock

import pytest
from celery.signals import after_task_publish
from django.core.management import call_command
from django.utils import timezone

from core import views
from core.management.commands import serve
from core.models import Heartbeat
from core.tasks import beat_heartbeat

pytestmark = pytest.mark.django_db


class FakeProcess:
    """A child process that exits (with ``code``) after being polled ``alive_for`` times."""

    def __init__(self, argv, alive_for=None, code=1):
        self.argv, self.alive_for, self.code = argv, alive_for, code
        self.pid, self.returncode, self.signals = 999_999, None, []

    def poll(self):
        if self.alive_for is not None:
            if self.alive_for <= 0:
                self.returncode = self.code
            self.alive_for -= 1
        return self.returncode

    def send_signal(self, signum):
        self.signals.append(signum)
        self.returncode = -signum

    def wait(self, timeout=None):
        return self.returncode

    def kill(self):
        self.returncode = -9


def test_supervise_stops_when_any_process_exits_and_names_it():
    reports = []
    processes = {"web": FakeProcess(["web"]), "beat": FakeProcess(["beat"], alive_for=2, code=3)}
    code = serve.supervise(processes, lambda: False, reports.append, interval=0)
    assert code == 3
    assert reports == ["beat exited with 3; stopping every process."]


def test_supervise_returns_zero_on_a_requested_stop():
    assert serve.supervise({"web": FakeProcess(["web"])}, lambda: True, print, interval=0) == 0


def test_serve_runs_beat_as_its_own_process_and_stops_everything_when_it_dies(monkeypatch):
    started = {}

    def popen(argv, **kwargs):
        name = "beat" if "beat" in argv else "worker" if "worker" in argv else "web"
        started[name] = FakeProcess(argv, alive_for=1 if name == "beat" else None)
        return started[name]

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve.os, "killpg", lambda pid, signum: None)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    monkeypatch.setattr(serve.time, "sleep", lambda seconds: None)
    with pytest.raises(SystemExit) as exited:
        call_command("serve", port=8999)

    assert exited.value.code == 1
    assert set(started) == {"web", "worker", "beat"}
    assert "--beat" not in started["worker"].argv  # beat is no longer hidden inside the worker
    assert started["web"].signals
    assert started["worker"].signals  # the survivors were told to stop


def serve_started(monkeypatch, **options):
    """Runs ``serve`` with fake children (the web process exits at once); returns them by name."""
    started = {}

    def popen(argv, **kwargs):
        name = "beat" if "beat" in argv else "worker" if "worker" in argv else "web"
        started[name] = FakeProcess(argv, alive_for=0 if name == "web" else None)
        started[name].env = kwargs.get("env")
        return started[name]

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve.os, "killpg", lambda pid, signum: None)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    monkeypatch.setattr(serve.time, "sleep", lambda seconds: None)
    with pytest.raises(SystemExit):
        call_command("serve", port=8999, **options)
    return started


def test_serve_without_worker_tells_its_web_process_that_no_beat_runs(monkeypatch):
    monkeypatch.delenv("HEALTH_REQUIRES_BEAT", raising=False)
    started = serve_started(monkeypatch, no_worker=True)
    assert set(started) == {"web"}
    assert started["web"].env["HEALTH_REQUIRES_BEAT"] == "false"


def test_serve_with_worker_and_beat_leaves_the_periodic_checks_on(monkeypatch):
    monkeypatch.delenv("HEALTH_REQUIRES_BEAT", raising=False)
    started = serve_started(monkeypatch)
    assert set(started) == {"web", "worker", "beat"}
    assert "HEALTH_REQUIRES_BEAT" not in (started["web"].env or {})


def test_serve_without_worker_keeps_an_explicit_health_requires_beat(monkeypatch):
    """Whoever runs worker and beat elsewhere says so, and the web process checks them."""
    monkeypatch.setenv("HEALTH_REQUIRES_BEAT", "true")
    started = serve_started(monkeypatch, no_worker=True)
    assert started["web"].env["HEALTH_REQUIRES_BEAT"] == "true"


@pytest.fixture
def beat_required(settings, monkeypatch):
    settings.HEALTH_REQUIRES_BEAT = True
    monkeypatch.setattr(views, "_STARTED", views._STARTED - 3600)  # long past the start grace
    return settings


def health(api):
    response = api.get("/api/health/")
    services = response.json()["services"]
    return response.status_code, services["beat"], services["periodic_jobs"]


def ago(intervals, settings):
    return timezone.now() - intervals * settings.BEAT_HEARTBEAT_INTERVAL


def beat_sends_the_heartbeat(monkeypatch):
    """What beat does every interval: the schedule entry, read back from django_celery_beat's
    tables, published to the broker (not run here: no worker runs under pytest)."""
    from django.conf import settings
    from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

    from clean_care.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    published = []

    def record(sender=None, headers=None, **kwargs):
        published.append(headers)

    after_task_publish.connect(record, sender="core.tasks.beat_heartbeat", weak=False)
    try:
        entry = ModelEntry.from_entry(
            "beat-heartbeat", app=app, **settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
        )
        scheduler = DatabaseScheduler(app=app, lazy=True)
        # Beat also saves its run counts after sending; that part closes the test's database
        # connection (close_old_connections) and is not what these tests are about.
        monkeypatch.setattr(scheduler, "sync", lambda: None)
        scheduler.apply_async(entry, advance=False)
    finally:
        after_task_publish.disconnect(record, sender="core.tasks.beat_heartbeat")
    (headers,) = published
    return headers


def test_beat_sends_the_heartbeat_with_an_expiry_of_one_interval(monkeypatch, settings):
    """A heartbeat run late proves nothing about now: a queue backed up longer drops it."""
    before = timezone.now()
    headers = beat_sends_the_heartbeat(monkeypatch)
    expires = datetime.fromisoformat(headers["expires"])
    interval = settings.BEAT_HEARTBEAT_INTERVAL
    assert before + interval <= expires <= timezone.now() + interval
    # beat's send is recorded by beat itself, so a dead worker cannot make beat look dead
    assert Heartbeat.objects.get(name="beat").beat_at >= before
    assert not Heartbeat.objects.filter(name="worker").exists()


def test_the_worker_records_when_it_ran_the_heartbeat():
    before = timezone.now()
    beat_heartbeat()
    assert Heartbeat.objects.get(name="worker").beat_at >= before


def test_beat_sending_and_a_worker_running_the_heartbeat_is_healthy(api, beat_required):
    Heartbeat.objects.create(name="beat", beat_at=timezone.now())
    beat_heartbeat()
    assert health(api) == (200, "healthy", "healthy")


def test_a_dead_worker_leaves_beat_healthy_and_periodic_jobs_not(api, beat_required):
    Heartbeat.objects.create(name="beat", beat_at=timezone.now())  # beat sends on time
    Heartbeat.objects.create(name="worker", beat_at=ago(5, beat_required))  # nobody runs it
    assert health(api) == (503, "healthy", "unhealthy")


def test_a_dead_beat_is_unhealthy_and_so_are_periodic_jobs(api, beat_required):
    stale = ago(2, beat_required) - timedelta(seconds=1)
    Heartbeat.objects.create(name="beat", beat_at=stale)
    Heartbeat.objects.create(name="worker", beat_at=stale)
    assert health(api) == (503, "unhealthy", "unhealthy")


def test_no_heartbeat_at_all_is_unhealthy_after_the_start_grace(api, beat_required):
    assert health(api) == (503, "unhealthy", "unhealthy")


def test_a_server_just_started_is_given_time_for_its_first_beat(api, settings):
    settings.HEALTH_REQUIRES_BEAT = True
    # Started 5 s ago (the clock itself keeps running: the channel layer's check waits on it).
    with mock.patch.object(views, "_STARTED", time.monotonic() - 5):
        assert health(api) == (200, "healthy", "healthy")


def test_where_no_beat_is_meant_to_run_neither_check_requires_it(api, settings, monkeypatch):
    settings.HEALTH_REQUIRES_BEAT = False
    monkeypatch.setattr(views, "_STARTED", views._STARTED - 3600)
    assert health(api) == (200, "healthy", "healthy")


def test_the_heartbeat_is_scheduled_by_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert entry == {
        "task": "core.tasks.beat_heartbeat",
        "schedule": settings.BEAT_HEARTBEAT_INTERVAL,
        # django_celery_beat's name for a task's expiry (it drops "expires")
        "options": {"expire_seconds": 60},
    }
