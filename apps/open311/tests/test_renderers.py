"""The XML written as text is ElementTree's document byte for byte; JSON and XML answers of the
requests list equal what the field-by-field serializer gives, rendered the way it used to be."""

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import translation
from rest_framework import serializers

from apps.complaints.enums import Status
from apps.complaints.models import Complaint
from apps.open311.renderers import (
    _NOT_XML,
    ITEM_ELEMENTS,
    XML_DECLARATION,
    Open311JSONRenderer,
    Open311XMLRenderer,
)
from apps.open311.serializers import Open311ServiceRequestSerializer

from .conftest import url
from .test_requests_get import set_status


def element_tree_render(data, root_name: str) -> bytes:
    """The renderer as it was (an ElementTree built and serialised): the reference."""

    def text(value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return format(value, "f")
        return _NOT_XML.sub("", str(value))

    def append(parent, name, value) -> None:
        element = ElementTree.SubElement(parent, name)
        if isinstance(value, dict):
            for key, inner in value.items():
                append(element, key, inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                append(element, ITEM_ELEMENTS.get(name, "item"), inner)
        elif value is not None:
            element.text = text(value)

    root = ElementTree.Element(root_name)
    if isinstance(data, list):
        for value in data:
            append(root, ITEM_ELEMENTS.get(root_name, "item"), value)
    elif isinstance(data, dict):
        for key, value in data.items():
            append(root, key, value)
    elif data is not None:
        root.text = text(data)
    return (XML_DECLARATION + ElementTree.tostring(root, encoding="unicode")).encode()


class View:
    def __init__(self, root_name: str):
        self.open311_root = root_name


TRICKY = [
    {
        "service_request_id": "CC202612060001",
        "status_notes": "জমা দেওয়া হয়েছে",  # Bengali
        "address": "Ward 5, \"Dhanmondi\" & <Road 27> 'north'",
        "service_notice": None,
        "description": "",
        "lat": 23.746,
        "long": -90.0,
        "count": 0,
        "metadata": False,
        "realtime": True,
        "amount": Decimal("1E+2"),
        "note": "line one\nline two\r\n\ttabbed",
        "control": "bell\x07 null\x00 form\x0c kept: \ufffdend\uffff",
        "only_control": "\x00\x1f",
        "keywords": "ময়লা, বর্জ্য, waste",
    },
    {
        "service_request_id": "CC202612060002",
        "status_notes": None,
        "address": "a > b && c < d ]]> <![CDATA[x]]>",
        "media_url": "https://example.com/a?b=1&c=2",
        "empty_list": [],
        "empty_dict": {},
        "endpoints": [{"formats": ["text/xml", "application/json"], "type": "production"}],
        "attributes": [{"values": [{"key": 1, "name": "one"}]}],
        "tuple": ("x", None),
    },
]


@pytest.mark.parametrize(
    ("data", "root_name"),
    [
        (TRICKY, "service_requests"),
        (TRICKY[0], "discovery"),
        ([], "service_requests"),
        ({}, "response"),
        ([{"code": 404, "description": 'নেই <none> & "gone"'}], "errors"),
        ("just text & more", "response"),
        (None, "response"),
        (["loose", None, 1.5], "things"),
    ],
)
def test_xml_written_as_text_is_the_element_tree_document(data, root_name):
    context = {"view": View(root_name)}

    rendered = Open311XMLRenderer().render(data, renderer_context=context)

    assert rendered == element_tree_render(data, root_name)
    ElementTree.fromstring(rendered)  # noqa: S314 (well-formed)


@pytest.fixture
def varied_requests(file_complaint):
    """Requests with every kind of value a row shows: Bengali labels, nulls, both states."""
    with_place = file_complaint(ward_number="5", latitude="23.8103", longitude="-90.4125")
    without_place = file_complaint(ward_number="", category="রাস্তাঘাট")
    plain = file_complaint(ward_number="12", latitude="0.0004", longitude="90.00049999")
    set_status(with_place, Status.RESOLVED)
    set_status(without_place, Status.IN_PROGRESS)
    return [plain, without_place, with_place]


def field_by_field(language: str) -> list[dict]:
    """The rows as the serializer's methods give them, one field at a time, from models."""
    complaints = Complaint.objects.order_by("-created_at")
    with translation.override(language):
        child = Open311ServiceRequestSerializer()
        return [serializers.Serializer.to_representation(child, row) for row in complaints]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["bn", "en"])
def test_requests_json_is_the_field_by_field_answer(api, varied_requests, language):
    response = api.get(url("requests"), HTTP_ACCEPT_LANGUAGE=language)

    assert len(response.json()) == 3
    assert response.content == Open311JSONRenderer().render(field_by_field(language))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["bn", "en"])
def test_requests_xml_is_the_element_tree_document_of_the_field_by_field_answer(
    api, varied_requests, language
):
    response = api.get(url("requests", "xml"), HTTP_ACCEPT_LANGUAGE=language)

    assert response.content.count(b"<request>") == 3
    assert response.content == element_tree_render(field_by_field(language), "service_requests")
