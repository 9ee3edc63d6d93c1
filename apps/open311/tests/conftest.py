"""Fixtures of the Open311 tests: a client's key, citizens' complaints, helpers for both formats."""

from datetime import timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from apps.complaints.models import Complaint
from apps.complaints.services import complaint_create
from apps.complaints.tests.factories import photo_bytes
from apps.open311.services import open311_api_key_create
from apps.users.tests.factories import UserFactory

BASE = "/open311/v2"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'


@pytest.fixture
def issued(db):
    """A client's key: ``issued.secret`` is what the client sends, ``issued.api_key`` the row."""
    return open311_api_key_create(name="Dhaka Fixit App")


@pytest.fixture
def reporter_citizen(db):
    return UserFactory(name="Rahima Begum", phone="+8801911777666", email="rahima@example.com")


@pytest.fixture
def file_complaint(reporter_citizen):
    """``file_complaint(**fields)`` files a complaint the way the mobile app does."""

    def make(*, days_ago=0, photo=False, **fields):
        data = {
            "title": "Bin overflowing",
            "description": "The bin at the corner has not been emptied for three days.",
            "category": "বর্জ্য ব্যবস্থাপনা",
            "location": "Road 4, Dhanmondi",
            **fields,
        }
        images = [SimpleUploadedFile("bin.jpg", photo_bytes(), "image/jpeg")] if photo else []
        # After commit, as a real filing: the cached feed is retired (dashboard_touch).
        with TestCase.captureOnCommitCallbacks(execute=True):
            complaint = complaint_create(user=reporter_citizen, data=data, images=images)
            if days_ago:
                past = timezone.now() - timedelta(days=days_ago)
                Complaint.objects.filter(pk=complaint.pk).update(created_at=past, updated_at=past)
        complaint.refresh_from_db()
        return complaint

    return make


def url(path: str, fmt: str = "json") -> str:
    return f"{BASE}/{path}.{fmt}"


def post_form(api, data: dict, fmt: str = "json", **extra):
    """POST as the spec sends it: application/x-www-form-urlencoded, UTF-8."""
    return api.generic(
        "POST",
        url("requests", fmt),
        urlencode(data, doseq=True),
        content_type="application/x-www-form-urlencoded; charset=utf-8",
        **extra,
    )


def parse_xml(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(XML_DECLARATION)
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own server's output)


def children(element) -> list[str]:
    return [child.tag for child in element]


def assert_errors(response, status: int, fmt: str = "json") -> list[str]:
    """The spec's error list with ``status``; returns the descriptions."""
    assert response.status_code == status
    if fmt == "xml":
        root = parse_xml(response)
        assert root.tag == "errors"
        assert children(root)
        assert set(children(root)) == {"error"}
        for error in root:
            assert children(error) == ["code", "description"]
            assert error.findtext("code") == str(status)
        return [error.findtext("description") for error in root]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert isinstance(body, list)
    assert body
    for error in body:
        assert set(error) == {"code", "description"}
        assert error["code"] == status
        assert error["description"]
    return [error["description"] for error in body]
