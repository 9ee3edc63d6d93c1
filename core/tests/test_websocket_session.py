"""Sockets opened from the console: the Django session cookie, only with the site's own Origin."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from apps.users.tests.factories import AdminPermissionFactory, UserFactory
from clean_care.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

OWN = (b"origin", b"http://testserver")
CLOSED_4401 = {"type": "websocket.close", "code": 4401}


@pytest.fixture
def signed_in():
    """(admin, console client) of a ward admin with emergency rights in ward 5, signed in."""
    admin = UserFactory(user_type="admin")
    AdminPermissionFactory(admin=admin, permission_type="emergency", ward_numbers=["5"])
    client = Client()
    client.force_login(admin)
    return admin, client


def cookie(client) -> tuple[bytes, bytes]:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"csrftoken=x; {settings.SESSION_COOKIE_NAME}={key}".encode())


async def open_feed(*headers):
    """(connected, first frame or close frame) of a /ws/staff/ handshake."""
    communicator = WebsocketCommunicator(
        application, "/ws/staff/", headers=[(b"host", b"testserver"), *headers]
    )
    connected, _ = await communicator.connect()
    if not connected:
        return False, None
    frame = await communicator.receive_output(timeout=2)
    await communicator.disconnect()
    return True, frame


async def test_the_session_cookie_opens_the_staff_feed_from_the_sites_own_page(signed_in):
    _admin, client = signed_in
    connected, frame = await open_feed(OWN, cookie(client))
    assert connected
    assert frame == {"type": "websocket.send", "text": '{"type": "subscribed", "groups": '
                     '["staff_ward_5"]}'}  # fmt: skip


async def test_the_same_cookie_from_a_foreign_page_is_refused(signed_in):
    _admin, client = signed_in
    connected, _ = await open_feed((b"origin", b"https://evil.example"), cookie(client))
    assert not connected  # the handshake itself is refused (HTTP 403)


async def test_a_cors_allowed_origin_is_not_enough_for_a_cookie(signed_in, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.cleancare.example"]
    _admin, client = signed_in
    connected, frame = await open_feed(
        (b"origin", b"https://app.cleancare.example"), cookie(client)
    )
    assert connected
    assert frame == CLOSED_4401


async def test_without_an_origin_the_cookie_is_ignored(signed_in):
    _admin, client = signed_in
    connected, frame = await open_feed(cookie(client))
    assert connected
    assert frame == CLOSED_4401


async def test_a_signed_out_session_is_refused(signed_in):
    _admin, client = signed_in
    header = cookie(client)
    await sync_to_async(client.logout)()
    connected, frame = await open_feed(OWN, header)
    assert frame == CLOSED_4401
    assert connected


async def test_a_session_from_before_a_password_change_is_refused(signed_in):
    admin, client = signed_in
    header = cookie(client)

    def change_password():
        admin.set_password("a-new-password-42")
        admin.save()

    await sync_to_async(change_password)()
    _connected, frame = await open_feed(OWN, header)
    assert frame == CLOSED_4401


async def test_a_token_still_wins_over_a_cookie(signed_in):
    from apps.authentication.services import tokens_for_user

    _admin, client = signed_in
    citizen = await sync_to_async(UserFactory)()
    token = await sync_to_async(tokens_for_user)(citizen)
    communicator = WebsocketCommunicator(
        application,
        f"/ws/staff/?token={token['access']}",
        headers=[(b"host", b"testserver"), OWN, cookie(client)],
    )
    connected, _ = await communicator.connect()
    frame = await communicator.receive_output(timeout=2)
    await communicator.disconnect()
    assert connected
    assert frame == {"type": "websocket.close", "code": 4403}  # the citizen's


async def test_a_cookie_socket_is_closed_at_its_recheck_once_signed_out(signed_in):
    _admin, client = signed_in
    communicator = WebsocketCommunicator(
        application, "/ws/staff/", headers=[(b"host", b"testserver"), OWN, cookie(client)]
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.receive_json_from(timeout=2)  # subscribed
    await sync_to_async(client.logout)()
    # What sign-out's sockets_recheck sends to the user's sockets:
    await communicator.send_input({"type": "session.recheck"})
    frame = await communicator.receive_output(timeout=2)
    assert frame == CLOSED_4401
    await communicator.disconnect()
