"""Test helpers: an httpx transport that serves requests from our own Django views in-process;
DRF's own representation, to hold the output plans to it; the queries of a list page."""

from __future__ import annotations

import contextlib
from unittest import mock

import httpx
from django.test import Client
from rest_framework import serializers

from .serializers import OutputPlanMixin

# Set by the test client itself from the body it is given.
_BODY_HEADERS = frozenset({"content-type", "content-length", "transfer-encoding"})


class DjangoClientTransport(httpx.BaseTransport):
    """Hands each httpx request to ``django.test.Client``, so our real gateway clients can talk
    to the sandbox simulators' URLs without a network or a running server."""

    def __init__(self, client: Client | None = None):
        self.client = client or Client()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        meta = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in request.headers.items()
            if name.lower() not in _BODY_HEADERS
        }
        response = self.client.generic(
            request.method,
            request.url.raw_path.decode("ascii"),  # path plus query string
            data=body,
            content_type=request.headers.get("content-type", "application/octet-stream"),
            secure=request.url.scheme == "https",
            **meta,
        )
        headers = list(response.items())
        headers += [("set-cookie", morsel.OutputString()) for morsel in response.cookies.values()]
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return httpx.Response(
            status_code=response.status_code, headers=headers, content=content, request=request
        )


def in_threads(count: int, work) -> list:
    """Run ``work()`` in ``count`` threads released at once; returns results or the exceptions.

    For tests of row locks and unique keys under real concurrency (PostgreSQL).
    """
    import threading

    from django.db import connections

    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@contextlib.contextmanager
def drf_representation():
    """Inside: every OutputPlanMixin serializer answers field by field, as DRF does."""
    with mock.patch.object(
        OutputPlanMixin, "to_representation", serializers.Serializer.to_representation
    ):
        yield


def page_queries(client, url: str, page_size: int) -> int:
    """The queries ``client`` makes reading a full page of ``page_size`` rows of the list at
    ``url`` (query-count tests compare two sizes: the count must not grow with the page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    separator = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{url}{separator}page_size={page_size}")
    assert len(response.json()["results"]) == page_size
    return len(captured)
