"""Discovery, the service list and service definitions, in JSON and XML."""

import pytest

from apps.complaints.enums import Category

from .conftest import assert_errors, children, parse_xml, url

pytestmark = pytest.mark.django_db

CODES = ["cleanliness", "waste", "water", "roads", "electricity", "other"]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]


def test_discovery_json(api):
    response = api.get(url("discovery"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert list(body) == ["changeset", "contact", "key_service", "endpoints"]
    assert all(body[field] for field in ("changeset", "contact", "key_service"))
    assert body["endpoints"] == [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://testserver/open311/v2",
            "changeset": body["changeset"],
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
    ]


def test_discovery_xml(api):
    root = parse_xml(api.get(url("discovery", "xml")))

    assert root.tag == "discovery"
    assert children(root) == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint,) = root.find("endpoints")
    assert endpoint.tag == "endpoint"
    assert children(endpoint) == ["specification", "url", "changeset", "type", "formats"]
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
    assert children(endpoint.find("formats")) == ["format", "format"]


def test_services_json_lists_the_six_categories(api):
    response = api.get(url("services"))

    assert response.status_code == 200
    services = response.json()
    assert [s["service_code"] for s in services] == CODES
    assert all(list(s) == SERVICE_FIELDS for s in services)
    assert {(s["metadata"], s["type"]) for s in services} == {(False, "realtime")}
    waste = services[1]
    assert waste["service_name"] == "Waste management"
    assert waste["group"] == "sanitation"
    keywords = waste["keywords"].split(", ")
    assert Category.WASTE.value in keywords  # Bengali
    assert "garbage" in keywords  # English


def test_services_xml(api):
    root = parse_xml(api.get(url("services", "xml")))

    assert root.tag == "services"
    assert children(root) == ["service"] * 6
    assert [s.findtext("service_code") for s in root] == CODES
    for service in root:
        assert children(service) == SERVICE_FIELDS
        assert service.findtext("metadata") == "false"
        assert service.findtext("type") == "realtime"
    assert "পরিচ্ছন্নতা" in root[0].findtext("keywords")


def test_services_ignore_the_accept_header_and_jurisdiction(api):
    response = api.get(
        url("services", "xml"), {"jurisdiction_id": "dscc.gov.bd"}, HTTP_ACCEPT="application/xml"
    )
    assert parse_xml(response).tag == "services"


@pytest.mark.parametrize("code", CODES)
def test_service_definition_json(api, code):
    response = api.get(url(f"services/{code}"))

    assert response.status_code == 200
    assert response.json() == {"service_code": code, "attributes": []}


def test_service_definition_xml(api):
    root = parse_xml(api.get(url("services/roads", "xml")))

    assert root.tag == "service_definition"
    assert children(root) == ["service_code", "attributes"]
    assert root.findtext("service_code") == "roads"
    assert children(root.find("attributes")) == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_definition_is_404_in_the_spec_shape(api, fmt):
    response = api.get(url("services/potholes", fmt), HTTP_ACCEPT_LANGUAGE="en")
    assert assert_errors(response, 404, fmt) == ["There is no service potholes."]
