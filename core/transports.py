"""Where outgoing HTTP goes: a transport named in settings for a host, else the network.

Provider clients (payment gateways, SMS, push) never know whether they talk to the provider or to
a simulator. ``settings.HTTP_TRANSPORTS`` maps a host name to a dotted ``httpx.BaseTransport``
class; production leaves it empty, and only the development and test settings name the sandbox.
"""

from __future__ import annotations

from functools import cache

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
