"""Browsers may call the API only from the origins configured in CORS_ALLOWED_ORIGINS."""

import pytest

pytestmark = pytest.mark.django_db

CONSOLE = "https://console.cleancare.example"


@pytest.fixture(autouse=True)
def _allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [CONSOLE]


def test_an_allowed_origin_may_read_api_answers(api):
    response = api.get("/api/v1/wards/", HTTP_ORIGIN=CONSOLE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == CONSOLE
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"retry-after", "x-request-id", "idempotent-replayed"} <= exposed


def test_another_origin_gets_no_cors_headers(api):
    response = api.get("/api/v1/wards/", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_pages_outside_the_api_get_no_cors_headers(api):
    response = api.get("/console/login/", HTTP_ORIGIN=CONSOLE)
    assert "Access-Control-Allow-Origin" not in response


def test_preflight_allows_the_idempotency_key_header(api):
    response = api.options(
        "/api/v1/auth/login/",
        HTTP_ORIGIN=CONSOLE,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == CONSOLE
    allowed = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key"} <= allowed
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_preflight_from_another_origin_is_not_allowed(api):
    response = api.options(
        "/api/v1/auth/login/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="idempotency-key",
    )
    assert "Access-Control-Allow-Origin" not in response
