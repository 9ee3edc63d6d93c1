"""No GET ever shows who reported; wrong paths, methods and rates answer in the spec's shape."""

import time

import pytest
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

from .conftest import assert_errors, parse_xml, post_form, url

pytestmark = pytest.mark.django_db

REPORTER = {
    "email": "karim.uddin@example.org",
    "first_name": "Karimullah",
    "last_name": "Uddinbhuiyan",
    "phone": "01812345678",
    "device_id": "device-secret-4242",
    "account_id": "acct-secret-777",
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_get_shows_the_citizen_or_the_reporter(
    api, issued, file_complaint, reporter_citizen, fmt
):
    citizen_complaint = file_complaint()
    created = post_form(
        api,
        {
            "api_key": issued.secret,
            "service_code": "roads",
            "address_string": "Road 4, Dhanmondi",
            "description": "Pothole in front of the school.",
            **REPORTER,
        },
    )
    filed = created.json()[0]["service_request_id"]
    owner = issued.api_key.owner
    forbidden = [
        reporter_citizen.name,
        reporter_citizen.phone,
        reporter_citizen.phone[1:],  # 8801… spelling
        reporter_citizen.email,
        str(reporter_citizen.pk),
        owner.name,
        owner.phone,
        str(owner.pk),
        *REPORTER.values(),
        "+8801812345678",
        issued.secret,
        issued.api_key.key_prefix,
    ]

    bodies = [
        api.get(url("requests", fmt)).content.decode(),
        api.get(url(f"requests/{filed}", fmt)).content.decode(),
        api.get(url(f"requests/{citizen_complaint.tracking_number}", fmt)).content.decode(),
        api.get(url("requests", fmt), {"service_request_id": filed}).content.decode(),
    ]

    assert filed in bodies[0]
    assert citizen_complaint.tracking_number in bodies[0]
    for body in bodies:
        for value in forbidden:
            assert value not in body, value


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_path_with_a_format_is_404_in_that_format(api, fmt):
    assert_errors(api.get(url("nothing/here", fmt)), 404, fmt)
    assert_errors(api.post(url("nothing", fmt)), 404, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_wrong_method_is_405_in_the_spec_shape(api, fmt):
    assert_errors(api.delete(url("services", fmt)), 405, fmt)
    assert_errors(api.put(url("requests", fmt)), 405, fmt)
    assert_errors(api.post(url("services/waste", fmt)), 405, fmt)
    assert_errors(api.options(url("requests", fmt)), 405, fmt)


def test_errors_speak_bengali_and_english(api):
    english = api.delete(url("services"), HTTP_ACCEPT_LANGUAGE="en").json()[0]["description"]
    bengali = api.delete(url("services"), HTTP_ACCEPT_LANGUAGE="bn").json()[0]["description"]
    assert english == 'Method "DELETE" not allowed.'
    assert bengali != english
    assert any("\u0980" <= ch <= "\u09ff" for ch in bengali)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_throttled_reads_are_429_in_the_spec_shape_with_retry_after(api, fmt):
    key = AnonRateThrottle.cache_format % {"scope": "anon", "ident": "127.0.0.1"}
    cache.set(key, [time.time()] * 100, 3600)

    response = api.get(url("services", fmt))

    assert_errors(response, 429, fmt)
    assert int(response["Retry-After"]) > 0


def test_the_xml_declaration_names_utf8(api):
    response = api.get(url("services", "xml"))
    assert response.content.splitlines()[0] == b'<?xml version="1.0" encoding="utf-8"?>'
    assert parse_xml(response).tag == "services"
