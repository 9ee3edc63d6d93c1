"""Malformed requests get a 400/413 in the error shape, never a 500 or a logged traceback."""

import logging

import pytest
from django.test import override_settings

from core.parsers import JSON_MAX_DEPTH

pytestmark = pytest.mark.django_db

SHAPE = {"error", "code", "details"}
DEEP_LIST = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
MANY_FIELDS = "&".join(f"f{i}=x" for i in range(1001))


@pytest.fixture
def errors_logged(caplog):
    """The ERROR records (with or without a traceback) logged while the test ran."""
    caplog.set_level(logging.INFO)
    return lambda: [r for r in caplog.records if r.levelno >= logging.ERROR]


def assert_parse_error(response):
    assert response.status_code == 400, response.content
    assert set(response.json()) == SHAPE
    assert response.json()["code"] == "parse_error"


def post_json(client, path, body, method="POST"):
    return client.generic(method, path, body, content_type="application/json")


def post_form(client, path, body, method="POST"):
    return client.generic(method, path, body, content_type="application/x-www-form-urlencoded")


def assert_too_large(response):
    assert response.status_code == 413, response.content
    assert response.json()["code"] == "too_large"


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT])
@pytest.mark.parametrize("path", ["/api/auth/login/", "/api/v1/auth/register/"])
def test_json_nested_a_thousand_deep_is_a_parse_error(api, errors_logged, path, body):
    assert_parse_error(post_json(api, path, body))
    assert errors_logged() == []


def test_json_is_refused_just_past_the_depth_cap_and_parsed_at_it(api, errors_logged):
    at_cap = '{"phone":' * JSON_MAX_DEPTH + "1" + "}" * JSON_MAX_DEPTH
    past_cap = "[" * (JSON_MAX_DEPTH + 1) + "]" * (JSON_MAX_DEPTH + 1)

    assert post_json(api, "/api/v1/auth/login/", at_cap).json()["code"] == "validation_error"
    assert_parse_error(post_json(api, "/api/v1/auth/login/", past_cap))
    assert errors_logged() == []


def test_a_form_body_with_more_than_a_thousand_fields_is_a_parse_error(api, errors_logged):
    assert_parse_error(post_form(api, "/api/auth/password-reset/", MANY_FIELDS))
    assert errors_logged() == []


def test_a_query_string_with_more_than_a_thousand_fields_is_a_parse_error(api, errors_logged):
    assert_parse_error(api.get(f"/api/v1/complaints/track/X/?{MANY_FIELDS}"))
    open311 = api.get(f"/open311/v2/requests.json?{MANY_FIELDS}")  # GeoReport's error list
    assert open311.status_code == 400
    assert [error["code"] for error in open311.json()] == [400]
    assert errors_logged() == []


@pytest.mark.urls("core.tests.urls")
def test_a_plain_django_view_gets_the_same_answers(api, errors_logged):
    assert_parse_error(api.get(f"/api/v1/tests/plain-form/?{MANY_FIELDS}"))
    assert_parse_error(post_form(api, "/api/v1/tests/plain-form/", MANY_FIELDS))
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        assert_too_large(post_form(api, "/api/v1/tests/plain-form/", "a=" + "x" * 200))
    assert errors_logged() == []


def test_a_form_field_over_the_memory_limit_is_413(api, errors_logged, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    assert_too_large(post_form(api, "/api/v1/auth/password-reset/", "phone=" + "1" * 200))
    assert errors_logged() == []


def test_a_signed_in_citizen_gets_the_same_answers(api_as, citizen, errors_logged):
    client = api_as(citizen)
    for method, path in (("POST", "/api/complaints/"), ("PATCH", "/api/users/profile/")):
        assert_parse_error(post_json(client, path, DEEP_LIST, method=method))
        assert_parse_error(post_json(client, path, DEEP_OBJECT, method=method))
        assert_parse_error(post_form(client, path, MANY_FIELDS, method=method))
    assert errors_logged() == []


@pytest.mark.parametrize(
    "moment", ["0791-10-31T10:12:59+23:39", "2026-12-03T10:00:00+15:00", "0001-01-01T00:00:00Z"]
)
def test_a_date_filter_the_database_cannot_compare_is_a_400(api, moment):
    from apps.users.tests.factories import UserFactory

    api.as_user(UserFactory())
    response = api.get("/api/v1/complaints/", {"created_after": moment})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
