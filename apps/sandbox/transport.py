"""In-process transport to the payment simulators, for embedded mode.

A Django view must not call its own server over HTTP (the sync worker thread it would wait on is
itself), and running the simulator through Django's request handler in-process would close the
caller's database connection mid-transaction. So each simulator exposes one wire-level function,
``api(request: httpx.Request) -> httpx.Response``, which its HTTP views and this transport share:
the real client code builds and parses real requests either way.

The simulators' settings (clean_care/settings/simulators.py) name this transport for
``SANDBOX_HOST`` in HTTP_TRANSPORTS; the clients only ever ask core.transports.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

import httpx

SANDBOX_HOST = "sandbox.invalid"
PROVIDERS = {
    "bkash": "apps.sandbox.providers.bkash.api",
    "nagad": "apps.sandbox.providers.nagad.api",
    "sslcommerz": "apps.sandbox.providers.sslcommerz.api",
}


def _api_for(provider: str) -> Callable[[httpx.Request], httpx.Response]:
    module = import_module(PROVIDERS[provider])
    return module.api


class SandboxTransport(httpx.BaseTransport):
    """Routes http://sandbox.invalid/sandbox/<provider>/... to that simulator's ``api``."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")
        if len(parts) < 2 or parts[0] != "sandbox" or parts[1] not in PROVIDERS:
            return httpx.Response(404, json={"error": "no such simulator"}, request=request)
        request.read()
        response = _api_for(parts[1])(request)
        response.request = request
        return response
