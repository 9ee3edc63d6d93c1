"""The ASGI handler runs the middleware chain synchronously, entered once per request
(core/handlers.py), and answers as Django's own handler does."""

import asyncio
import threading

from asgiref.testing import ApplicationCommunicator

from core.handlers import SyncChainASGIHandler


def asgi_get(handler, path: str, headers=()) -> tuple[int, dict, bytes]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip

    async def run():
        communicator = ApplicationCommunicator(handler, scope)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(5)
        body = b""
        while True:
            message = await communicator.receive_output(5)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await communicator.wait(5)
        return start["status"], dict(start["headers"]), body

    return asyncio.run(run())


def test_the_chain_is_synchronous():
    handler = SyncChainASGIHandler()
    assert not asyncio.iscoroutinefunction(handler._middleware_chain)


def test_a_request_is_answered_through_every_middleware():
    status, headers, body = asgi_get(SyncChainASGIHandler(), "/api/health/live/")
    assert status == 200
    names = {name.lower() for name in headers}
    assert b"x-request-id" in names  # core.middleware.RequestIdMiddleware, outermost
    assert b"x-frame-options" in names  # Django's XFrameOptionsMiddleware, innermost
    assert body


def test_an_error_keeps_the_documented_shape():
    status, _, body = asgi_get(SyncChainASGIHandler(), "/api/v1/complaints/")
    assert status == 401
    assert b'"code":"not_authenticated"' in body


MIDDLEWARE_THREADS: list[int] = []


class ThreadProbe:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        MIDDLEWARE_THREADS.append(threading.get_ident())
        response = self.get_response(request)
        MIDDLEWARE_THREADS.append(threading.get_ident())
        return response


def test_middleware_and_view_share_one_thread(settings):
    probe = f"{__name__}.ThreadProbe"
    settings.MIDDLEWARE = [probe, *settings.MIDDLEWARE, probe]
    MIDDLEWARE_THREADS.clear()
    status, _, _ = asgi_get(SyncChainASGIHandler(), "/api/health/live/")
    assert status == 200
    assert len(MIDDLEWARE_THREADS) == 4
    assert len(set(MIDDLEWARE_THREADS)) == 1
    assert MIDDLEWARE_THREADS[0] != threading.get_ident()  # not the event loop's thread
