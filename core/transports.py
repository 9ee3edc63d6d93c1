"""Where outgoing HTTP goes: a transport named in settings for a host, else the network.

Provider clients (payment gateways, SMS, push) never know whether they talk to the provider or to
a simulator. ``settings.HTTP_TRANSPORTS`` maps a host name to a dotted ``httpx.BaseTransport``
class; production leaves it empty, and only the development and test settings name the sandbox.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import httpx
from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _transport_class(dotted: str) -> type[httpx.BaseTransport]:
    return import_string(dotted)


def http_transport(base_url: str) -> httpx.BaseTransport | None:
    """The transport settings name for ``base_url``'s host; None means the real network."""
    dotted = settings.HTTP_TRANSPORTS.get(httpx.URL(base_url).host)
    return _transport_class(dotted)() if dotted else None


def http_client(
    *, base_url: str, timeout: float, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """An httpx client for one provider call: an injected transport wins (tests), then settings."""
    return httpx.Client(transport=transport or http_transport(base_url), timeout=timeout)


def json_or_none(response: httpx.Response) -> Any:
    """The reply's JSON, or None when it is not JSON (a proxy's HTML page, an empty body)."""
    try:
        return response.json()
    except ValueError:
        return None


def network_error_code(exc: httpx.TransportError) -> str:
    """Why an httpx call failed, as a code that says whether the provider may have acted on it.

    ``connect_error``: the request never left, so surely nothing was sent. ``timeout``: the
    provider may have acted before we stopped waiting. ``network``: anything else on the wire.
    """
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return "connect_error"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    return "network"
