"""WebSockets usable by the app, and tokens out of logs (issue 8.7)."""

import io
import logging
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest
from channels.testing import WebsocketCommunicator
from uvicorn.protocols.utils import get_path_with_query_string

from apps.authentication.services import tokens_for_user
from apps.notifications.services import device_register
from apps.users.tests.factories import UserFactory
from clean_care.asgi import application
from core.logging import mask_secrets

HOST = (b"host", b"testserver")


async def handshake(path, headers=(), subprotocols=None):
    communicator = WebsocketCommunicator(
        application, path, headers=[HOST, *headers], subprotocols=subprotocols
    )
    connected, detail = await communicator.connect()
    # A refused token is accepted and closed at once (with 4401): that counts as not let in.
    admitted = connected and await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()
    return admitted, detail


@pytest.fixture
def access():
    return tokens_for_user(UserFactory())["access"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
class TestOrigins:
    async def test_a_native_client_without_origin_connects(self, access):
        connected, _ = await handshake(f"/ws/notifications/?token={access}")
        assert connected

    async def test_a_foreign_browser_origin_is_refused(self, access):
        origin = [(b"origin", b"https://evil.example")]
        connected, _ = await handshake(f"/ws/notifications/?token={access}", origin)
        assert not connected

    async def test_the_sites_own_origin_and_cors_origins_connect(self, access, settings):
        settings.CORS_ALLOWED_ORIGINS = ["https://console.cleancare.example"]
        for origin in (b"http://testserver", b"https://console.cleancare.example"):
            connected, _ = await handshake(
                f"/ws/notifications/?token={access}", [(b"origin", origin)]
            )
            assert connected, origin

    async def test_a_same_origin_handshake_on_a_host_not_allowed_is_refused(self, access):
        """DNS rebinding: a page of rebind.example, its name now resolving to this server, is
        "same-origin" with a Host of its own name, which ALLOWED_HOSTS does not list."""
        communicator = WebsocketCommunicator(
            application,
            f"/ws/notifications/?token={access}",
            headers=[(b"host", b"rebind.example:8000"), (b"origin", b"http://rebind.example:8000")],
        )
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        assert not connected

    async def test_a_same_origin_handshake_on_an_allowed_host_with_a_port_connects(
        self, access, settings
    ):
        settings.ALLOWED_HOSTS = [".cleancare.example"]
        communicator = WebsocketCommunicator(
            application,
            f"/ws/notifications/?token={access}",
            headers=[
                (b"host", b"api.cleancare.example:8443"),
                (b"origin", b"https://api.cleancare.example:8443"),
            ],
        )
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        assert connected

    async def test_no_origin_still_needs_a_valid_token(self):
        connected, _ = await handshake("/ws/notifications/?token=garbage")
        assert not connected

    async def test_the_token_may_come_as_a_bearer_subprotocol(self, access):
        protocol = f"bearer.{access}"
        connected, subprotocol = await handshake("/ws/notifications/", subprotocols=[protocol])
        assert connected
        assert subprotocol == protocol  # echoed, as browsers require

    async def test_a_bad_bearer_subprotocol_is_refused(self):
        connected, _ = await handshake("/ws/notifications/", subprotocols=["bearer.nope"])
        assert not connected


@contextmanager
def console_output(logger_name):
    """What the configured console handler (settings.LOGGING) writes for ``logger_name``."""
    logger = logging.getLogger(logger_name)
    handler = next(h for h in logger.handlers or logging.getLogger().handlers)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_uvicorns_websocket_line_carries_no_token(access):
    scope = {"path": "/ws/notifications/", "query_string": f"token={access}".encode()}
    with console_output("uvicorn.error") as output:
        logging.getLogger("uvicorn.error").info(  # the line uvicorn writes for every handshake
            '%s - "WebSocket %s" [accepted]', "127.0.0.1:50000", get_path_with_query_string(scope)
        )
    assert "WebSocket /ws/notifications/?token=***" in output.getvalue()
    assert access not in output.getvalue()


@pytest.mark.django_db
def test_the_access_log_carries_no_token(api, access):
    user = UserFactory()
    api.as_user(user)
    device = "fcm-device-token-" + "x" * 100
    device_register(user=user, token=device, platform="android")
    with console_output("clean_care.access") as output:
        api.get(f"/api/v1/auth/me/?token={access}&access_token={access}")
        api.delete(f"/api/v1/notifications/devices/{device}/")
    logged = output.getvalue()
    assert "/api/v1/notifications/devices/***/" in logged
    assert access not in logged
    assert device not in logged


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("GET /x?token=abc&page=2", "GET /x?token=***&page=2"),
        ("GET /x?api_key=k1&refresh_token=r1", "GET /x?api_key=***&refresh_token=***"),
        ("subprotocol bearer.eyJhbGciOi.eyJzdWIi.c2ln", "subprotocol bearer.***"),
        ("DELETE /open311/v2/tokens/abc123.json", "DELETE /open311/v2/tokens/***"),
        ("GET /api/v1/complaints/?page_token=1", "GET /api/v1/complaints/?page_token=1"),
        ("push sent token=tok_1a2b3c", "push sent token=tok_1a2b3c"),  # a reference, not a token
    ],
)
def test_mask_secrets(line, masked):
    assert mask_secrets(line) == masked


def test_uvicorn_writes_no_access_lines_of_its_own():
    """uvicorn logs access only where its logger has handlers; ours is clean_care.access.

    Checked in a fresh process, as uvicorn loads the app (pytest adds capture handlers here).
    """
    code = (
        "import django, logging; django.setup(); "
        "print(logging.getLogger('uvicorn.access').hasHandlers())"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clean_care.settings.local"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "False", result.stderr
