"""The orjson renderer writes what DRF's JSONRenderer writes."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from apps.complaints.enums import Status
from core.renderers import JSONRenderer

SAMPLES = [
    {"count": 3, "next": None, "previous": "http://x/?page=1", "results": []},
    {"title": "রাস্তায় গর্ত", "line": "a\u2028b\u2029c", "quote": '"\\/<>&'},
    {"label": gettext_lazy("Not found."), "status": Status.RESOLVED, "flag": True},
    {"amount": Decimal("120.50"), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"at": datetime(2026, 12, 6, 5, 1, 2, 345678, tzinfo=UTC), "on": date(2026, 12, 6)},
    {"naive": datetime(2026, 12, 6, 5, 1, 2), "clock": time(7, 30, 15, 500), "t": time(7, 30)},
    {"span": timedelta(hours=3, seconds=5), "set": {1}, "tuple": (1, 2), "lat": 23.81},
    ReturnDict({"a": ReturnList([1, 2.5, None], serializer=None)}, serializer=None),
    [1, "two", {"three": [3.0, -0.0, 10**18]}],
    {"big": 2**70},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_the_same_bytes_as_drf(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_an_indented_answer_is_drfs():
    data = {"a": [1, 2]}
    context = {"indent": 4}
    expected = renderers.JSONRenderer().render(data, renderer_context=context)
    assert JSONRenderer().render(data, renderer_context=context) == expected


def test_nothing_renders_as_no_bytes():
    assert JSONRenderer().render(None) == b""
