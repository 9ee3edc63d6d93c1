"""Over HTTPS through nginx, against the production topology of deploy_tests/topology.py.

The module's tests share one topology (started once, ~1 min) and run in file order: the
/api/auth/ rate limit is exhausted by the last test but one.
"""

from __future__ import annotations

import io
import json
import re
import socket
import ssl
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from PIL import Image
from websockets.sync.client import connect as ws_connect

from .topology import DATABASE_URL, HOST, ROOT, Topology, topology

PASSWORD = "Dhaka-deploy-2026"
SPOOFED_IP = "203.0.113.77"


@pytest.fixture(scope="module")
def topo():
    with (
        tempfile.TemporaryDirectory(prefix="cc-deploy-") as directory,
        topology(Path(directory)) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def phone():
    return "0181" + str(uuid.uuid4().int)[:7]


@pytest.fixture(scope="module")
def session(topo: Topology, phone):
    """A citizen registered, verified by the code the worker texted, and signed in."""
    with topo.client() as client:
        registered = client.post(
            "/api/v1/auth/register/",
            json={"name": "Deploy Test", "phone": phone, "password": PASSWORD},
        )
        assert registered.status_code == 201, registered.text
        code = _wait_for_code(topo, phone[-10:])
        verified = client.post("/api/v1/auth/verify-otp/", json={"phone": phone, "code": code})
        assert verified.status_code == 200, verified.text
        login = client.post(
            "/api/v1/auth/login/",
            json={"phone": phone, "password": PASSWORD},
            headers={"X-Forwarded-For": SPOOFED_IP},
        )
        assert login.status_code == 200, login.text
        body = login.json()
        return {
            "access": body.get("access_token") or body["access"],
            "user_id": body["user"]["id"],
        }


def _wait_for_code(topo: Topology, msisdn_suffix: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for text in topo.sms.texts_to(msisdn_suffix):
            found = re.search(r"\b(\d{6})\b", text)
            if found:
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no OTP reached the SMS gateway stub:\n{topo.logs()}")


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 140, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


# --- the checks ----------------------------------------------------------------------------------
def test_health_answers_200_once_beat_and_worker_have_run(topo):
    deadline = time.monotonic() + 100
    with topo.client() as client:
        while True:
            response = client.get("/api/health/")
            if response.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(1)
    assert response.status_code == 200, f"{response.text}\n{topo.logs()}"


def _handshake(topo, context: ssl.SSLContext) -> tuple[str | None, str | None, str]:
    """(ALPN protocol, TLS version, cipher name) nginx agrees to with ``context``."""
    with (
        socket.create_connection(("127.0.0.1", topo.https_port)) as raw,
        context.wrap_socket(raw, server_hostname=HOST) as tls,
    ):
        return tls.selected_alpn_protocol(), tls.version(), tls.cipher()[0]


def test_https_speaks_http2_over_tls_13_and_forward_secret_aead_on_tls_12(topo):
    context = topo.ssl_context()
    context.set_alpn_protocols(["h2", "http/1.1"])
    alpn, version, _cipher = _handshake(topo, context)
    assert (alpn, version) == ("h2", "TLSv1.3")

    tls12 = topo.ssl_context()
    tls12.maximum_version = ssl.TLSVersion.TLSv1_2
    tls12.set_ciphers("ALL:@SECLEVEL=0")  # offer everything: nginx must pick a modern one
    _alpn, version, cipher = _handshake(topo, tls12)
    assert version == "TLSv1.2"
    assert cipher.startswith(("ECDHE-", "DHE-"))
    assert "GCM" in cipher or "CHACHA20" in cipher
    # Nothing older is enabled (a client cannot prove that here: OpenSSL 3 will not offer it).
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in (ROOT / "deploy" / "nginx.conf").read_text()


def test_register_otp_login(session):
    assert session["access"]


def test_client_ip_is_the_real_one_in_the_access_logs_and_the_app(topo, session):
    with psycopg.connect(DATABASE_URL) as conn:
        ips = {
            str(row[0])
            for row in conn.execute(
                "SELECT ip_address FROM activity_logs WHERE user_id = %s", [session["user_id"]]
            )
        }
    assert ips == {"127.0.0.1"}, ips  # the app's audit trail (NUM_PROXIES=1)
    lines = [line for line in topo.access_log.read_text().splitlines() if "/auth/login/" in line]
    assert lines
    assert all(line.startswith("127.0.0.1 ") for line in lines)
    assert not any(SPOOFED_IP in line for line in lines)


def test_complaint_with_a_photo_and_its_websocket_event(topo, session):
    headers = {"Authorization": f"Bearer {session['access']}"}
    socket_url = f"{topo.wss_url}/ws/notifications/"
    with (
        ws_connect(
            socket_url,
            ssl=topo.ssl_context(),
            subprotocols=[f"bearer.{session['access']}"],
            open_timeout=10,
        ) as ws,
        topo.client() as client,
    ):
        created = client.post(
            "/api/v1/complaints/",
            headers=headers,
            data={
                "title": "Overflowing bin",
                "description": "The bin at the corner has not been emptied for days.",
                "category": "বর্জ্য ব্যবস্থাপনা",
                "location": "Road 7, Dhanmondi",
                "ward_number": "1",
            },
            files={"images": ("bin.jpg", _jpeg(), "image/jpeg")},
        )
        assert created.status_code == 201, created.text
        complaint = created.json()
        frame = _receive(ws, lambda f: f.get("kind") == "complaint.received")
        assert frame["data"]["tracking_number"] == complaint["tracking_number"]

        photo_urls = re.findall(r'"(https?://[^"]+/media/[^"]+)"', created.text) or [
            f"{topo.https_url}{path}" for path in re.findall(r'"(/media/[^"]+)"', created.text)
        ]
        assert photo_urls, created.text
        photo = client.get(photo_urls[0].replace(f"https://{HOST}/", f"{topo.https_url}/"))
        assert photo.status_code == 200
        assert photo.headers["content-type"] == "image/jpeg"


def _receive(ws, wanted, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if wanted(frame):
            return frame
    raise AssertionError("the event never arrived over /ws/")


def test_static_file_with_cache_headers(topo):
    with topo.client() as client:
        response = client.get("/static/admin/css/base.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.headers["cache-control"] == "max-age=2592000"
    assert "expires" in response.headers
    assert response.headers.get("content-encoding") == "gzip"


def test_oversize_upload_is_refused_by_nginx_in_the_api_error_shape(topo, session):
    too_big = 27 * 1024 * 1024 + 1
    request = (
        f"POST /api/v1/complaints/ HTTP/1.1\r\nHost: {HOST}\r\n"
        f"Authorization: Bearer {session['access']}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {too_big}\r\nConnection: close\r\n\r\n"
    ).encode()
    answer = b""
    with (
        socket.create_connection(("127.0.0.1", topo.https_port)) as raw,
        topo.ssl_context().wrap_socket(raw, server_hostname=HOST) as tls,
    ):
        tls.sendall(request + b"x" * 65536)
        while chunk := tls.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    assert b"application/json" in head
    assert b"X-Request-ID" not in head  # nginx answered; Django never saw it
    payload = json.loads(body)
    assert payload["code"] == "too_large"
    assert set(payload) == {"error", "code", "details"}


def test_security_headers_on_app_static_and_nginx_answers(topo):
    with topo.client() as client:
        for path in ("/api/v1/wards/", "/static/admin/css/base.css", "/api/v1/no-such/"):
            response = client.get(path)
            assert response.headers["strict-transport-security"].startswith("max-age=31536000")
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["x-frame-options"] == "DENY"
            assert response.headers["referrer-policy"] == "same-origin"
            assert "server" not in response.headers or "/" not in response.headers["server"]


def test_http_is_redirected_to_https_but_health_probes_are_not(topo):
    import httpx

    with httpx.Client(base_url=topo.http_url, timeout=10) as client:
        response = client.get("/api/v1/wards/?page=2")
        assert response.status_code == 301
        assert response.headers["location"] == f"{topo.https_url}/api/v1/wards/?page=2"
        assert client.get("/api/health/").status_code in {200, 503}  # proxied, not redirected


def test_auth_rate_limit_answers_429_in_the_api_error_shape(topo):
    statuses = []
    with topo.client() as client:
        for _ in range(40):
            response = client.get("/api/v1/auth/me/")
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
    assert statuses[0] == 401
    assert statuses[-1] == 429, statuses
    assert "x-request-id" not in response.headers  # refused by nginx, before Django
    assert response.json()["code"] == "throttled"
    assert response.headers["strict-transport-security"]
    with topo.client() as client:  # the rest of the API has its own, larger budget
        assert client.get("/api/v1/wards/").status_code == 200


def test_every_process_is_still_running(topo):
    for process in topo.processes.values():
        assert process.popen.poll() is None, f"{process.name} exited:\n{process.log_text()}"
