"""A web process runs at most WEB_REQUESTS_AT_ONCE requests at once; the others wait their turn,
and one that waits too long is told the server is busy (core.middleware.RequestSlotsMiddleware)."""

import threading

import pytest
from django.http import JsonResponse
from django.test import RequestFactory

from core.middleware import RequestSlotsMiddleware


class Held:
    """A view that keeps its slot until released; counts the requests inside at once."""

    def __init__(self):
        self.release = threading.Event()
        self.entered = threading.Semaphore(0)
        self.inside = self.most_inside = 0
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        self.entered.release()
        self.release.wait(5)
        with self.lock:
            self.inside -= 1
        return JsonResponse({"ok": True})


@pytest.fixture
def slots(settings):
    def make(at_once: int, wait: float, view):
        settings.WEB_REQUESTS_AT_ONCE = at_once
        middleware = RequestSlotsMiddleware(view)
        middleware.wait_seconds = wait
        return middleware

    return make


def in_threads(middleware, paths):
    answers = {}

    def ask(path):
        answers[path] = middleware(RequestFactory().get(path))

    threads = [threading.Thread(target=ask, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    return threads, answers


def test_requests_beyond_the_bound_wait_their_turn(slots):
    view = Held()
    middleware = slots(2, 5, view)
    threads, answers = in_threads(middleware, [f"/api/v1/notices/?n={n}" for n in range(5)])
    for _ in range(2):
        assert view.entered.acquire(timeout=5)
    assert not view.entered.acquire(timeout=0.2)  # the third waits
    view.release.set()
    for thread in threads:
        thread.join(5)
    assert view.most_inside == 2
    assert [answer.status_code for answer in answers.values()] == [200] * 5


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/api/v1/complaints/", "application/json", b'"code":"server_busy"'),
        ("/console/", "text/plain", b""),  # a page: the message as plain text
    ],
)
def test_a_request_that_waits_too_long_is_told_the_server_is_busy(slots, path, content_type, body):
    view = Held()
    middleware = slots(1, 0.2, view)
    threads, _ = in_threads(middleware, ["/api/v1/notices/"])
    assert view.entered.acquire(timeout=5)
    response = middleware(RequestFactory().get(path))
    view.release.set()
    threads[0].join(5)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith(content_type)
    assert body in response.content.replace(b" ", b"")


@pytest.mark.parametrize(
    "probe", ["/api/health/live/", "/api/v1/health/live/", "/api/health/", "/metrics"]
)
def test_probes_never_wait(slots, probe):
    view = Held()
    middleware = slots(1, 0.2, view)
    threads, _ = in_threads(middleware, ["/api/v1/notices/"])
    assert view.entered.acquire(timeout=5)
    health = threading.Thread(target=middleware, args=(RequestFactory().get(probe),))
    health.start()
    assert view.entered.acquire(timeout=5)  # inside at once, beside the held request
    view.release.set()
    for thread in (*threads, health):
        thread.join(5)


def test_never_more_than_the_pools_connections(settings, monkeypatch):
    settings.WEB_REQUESTS_AT_ONCE = 50
    options = {**settings.DATABASES["default"].get("OPTIONS", {}), "pool": {"max_size": 6}}
    monkeypatch.setitem(settings.DATABASES["default"], "OPTIONS", options)
    middleware = RequestSlotsMiddleware(lambda request: JsonResponse({}))
    assert middleware.slots._initial_value == 5  # one connection kept for the probes
