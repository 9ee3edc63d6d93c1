"""Every /api/ error leaves in one shape, with the right status; paging, throttles, request ids."""

import logging
import time

import pytest
from django.core.cache import cache
from rest_framework.throttling import UserRateThrottle

from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHAPE = {"error", "code", "details"}


def test_unknown_api_route_is_json_404(api):
    for path in ("/api/v1/nothing-here/", "/api/nothing/", "/open311/v2/nothing"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert set(response.json()) == SHAPE


def test_unknown_object_is_json_404(api_as, super_admin):
    response = api_as(super_admin).get("/api/v1/users/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert set(response.json()) == SHAPE


def test_wrong_method_is_json_405(api):
    response = api.get("/api/v1/auth/login/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_unsupported_media_type_is_415(api):
    response = api.generic("POST", "/api/v1/auth/login/", "phone=1", content_type="text/csv")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.urls("core.tests.urls")
def test_unexpected_error_is_json_500_without_internals(api):
    response = api.get("/api/v1/tests/boom/")
    assert response.status_code == 500
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "server_error"
    assert "hunter2" not in response.content.decode()
    assert "SELECT" not in response.content.decode()


@pytest.mark.urls("core.tests.urls")
@pytest.mark.parametrize("path", ["/api/v1/tests/busy/", "/api/v1/tests/plain-busy/"])
def test_no_database_connection_in_time_is_503_with_retry_after_not_a_500(api, path):
    """An overloaded server (every pooled connection busy for DB_POOL_TIMEOUT) says so."""
    response = api.get(path)
    assert response.status_code == 503
    assert response.json()["code"] == "server_busy"
    assert set(response.json()) == SHAPE
    assert response["Retry-After"] == "5"


def test_oversized_body_is_refused_before_parsing(api):
    response = api.generic(
        "POST",
        "/api/v1/auth/login/",
        "{}",
        content_type="application/json",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_anonymous_rate_limit_is_100_an_hour_with_retry_after(api):
    for _ in range(100):
        assert api.get("/api/v1/wards/").status_code == 200
    response = api.get("/api/v1/wards/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_every_response_carries_a_request_id(api):
    generated = api.get("/api/v1/wards/")
    assert len(generated["X-Request-ID"]) == 32
    echoed = api.get("/api/v1/wards/", HTTP_X_REQUEST_ID="client-req-12345")
    assert echoed["X-Request-ID"] == "client-req-12345"
    unsafe = api.get("/api/v1/wards/", HTTP_X_REQUEST_ID="<script>")
    assert unsafe["X-Request-ID"] != "<script>"


def test_lists_are_paginated_20_by_default_and_100_at_most(api_as, super_admin):
    UserFactory.create_batch(120)
    client = api_as(super_admin)

    first = client.get("/api/v1/users/").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (121, 20, None)
    assert "page=2" in first["next"]
    assert len(client.get("/api/v1/users/?page_size=50").json()["results"]) == 50
    assert len(client.get("/api/v1/users/?page_size=500").json()["results"]) == 100
    assert client.get("/api/v1/users/?page=99").status_code == 404


def test_english_and_bengali_error_messages(api):
    english = api.get("/api/v1/auth/me/", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    bengali = api.get("/api/v1/auth/me/", HTTP_ACCEPT_LANGUAGE="bn").json()["error"]
    assert english == "Authentication credentials were not provided."
    assert bengali != english
    assert any("\u0980" <= ch <= "\u09ff" for ch in bengali)


def test_with_debug_on_unknown_api_routes_are_still_json_404(api, settings):
    settings.DEBUG = True
    for path in ("/api/v1/nothing-here/", "/api/nothing/", "/open311/v2/nothing"):
        response = api.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"error": "Not found.", "code": "not_found", "details": {}}
        assert response["X-Request-ID"]
    # Pages outside the API keep Django's own debug page.
    assert api.get("/nothing-here/")["Content-Type"].startswith("text/html")


@pytest.mark.urls("core.tests.urls")
@pytest.mark.parametrize("debug", [True, False])
def test_an_exception_outside_drf_is_json_500_and_logged_with_its_traceback(
    api, settings, caplog, debug
):
    settings.DEBUG = debug
    response = api.get("/api/v1/tests/plain-boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert response.json() == {
        "error": "Something went wrong on our side. Please try again.",
        "code": "server_error",
        "details": {},
    }
    assert "hunter2" not in response.content.decode()
    logged = [r for r in caplog.records if r.levelname == "ERROR" and r.exc_info]
    assert len(logged) == 1
    assert isinstance(logged[0].exc_info[1], RuntimeError)


def test_user_rate_limit_is_1000_an_hour_per_user(api_as, citizen):
    key = UserRateThrottle.cache_format % {"scope": "user", "ident": citizen.pk}
    cache.set(key, [time.time()] * 1000, 3600)  # DRF keeps the newest timestamps first

    response = api_as(citizen).get("/api/v1/wards/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 3600

    assert api_as(UserFactory()).get("/api/v1/wards/").status_code == 200


def test_user_rate_limit_lets_the_thousandth_request_through(api_as, citizen):
    key = UserRateThrottle.cache_format % {"scope": "user", "ident": citizen.pk}
    cache.set(key, [time.time()] * 999, 3600)
    client = api_as(citizen)
    assert client.get("/api/v1/wards/").status_code == 200
    assert client.get("/api/v1/wards/").status_code == 429


def test_the_request_id_travels_with_the_log_lines_of_its_request(api, caplog, settings):
    caplog.set_level("INFO", logger="clean_care.access")
    response = api.get("/api/v1/wards/", HTTP_X_REQUEST_ID="client-req-67890")
    generated = api.get("/api/v1/nothing-here/")

    access = [r for r in caplog.records if r.name == "clean_care.access"]
    assert [r.request_id for r in access] == ["client-req-67890", generated["X-Request-ID"]]
    assert response["X-Request-ID"] == "client-req-67890"
    line = logging.Formatter(settings.LOGGING["formatters"]["line"]["format"]).format(access[0])
    assert "clean_care.access [client-req-67890] GET /api/v1/wards/ 200" in line
