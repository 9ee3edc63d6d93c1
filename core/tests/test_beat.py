"""Periodic work cannot die silently: serve watches beat, health reports a stale heartbeat (8.3)."""

from datetime import timedelta
from unittest import mock

import pytest
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


@pytest.fixture
def beat_required(settings):
    settings.HEALTH_REQUIRES_BEAT = True
    return settings


def health(api):
    response = api.get("/api/health/")
    return response.status_code, response.json()["services"]["beat"]


def test_a_fresh_heartbeat_is_healthy(api, beat_required):
    beat_heartbeat()
    assert health(api) == (200, "healthy")


def test_a_heartbeat_older_than_twice_its_interval_is_unhealthy(api, beat_required, monkeypatch):
    monkeypatch.setattr(views, "_STARTED", views._STARTED - 3600)  # long past the start grace
    stale = timezone.now() - 2 * beat_required.BEAT_HEARTBEAT_INTERVAL - timedelta(seconds=1)
    Heartbeat.objects.create(name="beat", beat_at=stale)
    assert health(api) == (503, "unhealthy")


def test_no_heartbeat_at_all_is_unhealthy_after_the_start_grace(api, beat_required, monkeypatch):
    monkeypatch.setattr(views, "_STARTED", views._STARTED - 3600)
    assert health(api) == (503, "unhealthy")


def test_a_server_just_started_is_given_time_for_its_first_beat(api, beat_required):
    with mock.patch.object(views.time, "monotonic", return_value=views._STARTED + 5):
        assert health(api) == (200, "healthy")


def test_the_heartbeat_is_scheduled_by_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert entry == {
        "task": "core.tasks.beat_heartbeat",
        "schedule": settings.BEAT_HEARTBEAT_INTERVAL,
    }
