"""What the three gateway clients share: their HTTP client, reply decoding, error mapping, and
the hosts their hosted pages may live on.

The client always comes from :func:`core.transports.http_client`, so a gateway never knows
whether it talks to the provider or to a simulator (settings.HTTP_TRANSPORTS decides). Log lines
name the provider, the step and the outcome only: URLs may carry credentials (SSLCommerz sends
``store_passwd`` in query strings), so none is ever logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import httpx
from django.conf import settings

from core.transports import http_client

from .base import GatewayError

logger = logging.getLogger("clean_care.payments")


def gateway_request(
    *,
    provider: str,
    step: str,
    method: str,
    url: str,
    timeout: float,
    transport: httpx.BaseTransport | None,
    **kwargs: Any,
) -> httpx.Response:
    """One HTTP call; a network failure becomes a transient GatewayError."""
    try:
        with http_client(base_url=url, timeout=timeout, transport=transport) as client:
            return client.request(method, url, **kwargs)
    except httpx.TransportError as exc:
        error = network_error(exc, provider=provider, step=step)
        logger.warning("%s %s unreachable: %s", provider, step, type(exc).__name__)
        raise error from exc


def network_error(exc: httpx.TransportError, *, provider: str, step: str) -> GatewayError:
    """The code says whether the request may have reached the provider."""
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        code = "connect_error"  # the request never left
    elif isinstance(exc, httpx.TimeoutException):
        code = "timeout"  # the provider may have acted before we stopped waiting
    else:
        code = "network"
    return GatewayError(f"{provider} {step}: {type(exc).__name__}", code=code, transient=True)


def json_object(response: httpx.Response) -> dict | None:
    """The body as a JSON object, or None for anything else (garbage, a list, HTML)."""
    try:
        parsed = response.json()
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def redirect_hosts(base_url: str, configured: Iterable[str]) -> frozenset[str]:
    """The hosts a provider's hosted page may be on: ``configured`` (a setting), plus our own
    public host when ``base_url`` is answered by a simulator (settings.PAYMENT_SIMULATOR_HOSTS),
    whose pages our server renders."""
    hosts = set(configured)
    if httpx.URL(base_url).host in settings.PAYMENT_SIMULATOR_HOSTS:
        hosts.add(httpx.URL(settings.PAYMENT_PUBLIC_BASE_URL).host)
    return frozenset(host.lower() for host in hosts if host)
