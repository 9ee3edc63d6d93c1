"""GeoReport v2 output: JSON and schemaless XML (the spec's element names), chosen by the suffix.

The JSON is the "Spark convention" mapping of the XML: a list in JSON is a wrapper element in
XML whose children take the singular name (``services`` → ``service``, ``service_requests`` →
``request``), and JSON null is an empty element.
"""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

from core.renderers import JSONRenderer

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# The element each item of a list is wrapped in, by the name of the list.
ITEM_ELEMENTS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# Characters XML 1.0 cannot carry at all, even escaped: a description containing one must not
# make the whole document unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def open311_root(renderer_context: dict | None) -> str:
    """The root element: the response's own (errors) or the view's."""
    context = renderer_context or {}
    response = context.get("response")
    view = context.get("view")
    return getattr(response, "open311_root", None) or getattr(view, "open311_root", "response")


class Open311JSONRenderer(JSONRenderer):
    format = "json"
    charset = "utf-8"


class Open311XMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        root_name = open311_root(renderer_context)
        root = ElementTree.Element(root_name)
        if isinstance(data, list):
            item = ITEM_ELEMENTS.get(root_name, "item")
            for value in data:
                _append(root, item, value)
        elif isinstance(data, dict):
            for key, value in data.items():
                _append(root, key, value)
        elif data is not None:
            root.text = _text(data)
        return (XML_DECLARATION + ElementTree.tostring(root, encoding="unicode")).encode()


def _append(parent: ElementTree.Element, name: str, value) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            _append(element, ITEM_ELEMENTS.get(name, "item"), inner)
    elif value is not None:
        element.text = _text(value)


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return _NOT_XML.sub("", str(value))


class FormatSuffixNegotiation(BaseContentNegotiation):
    """The path's ``.json``/``.xml`` decides the format; the Accept header does not.

    GeoReport clients name the format in the URL and send all sorts of Accept headers
    (``application/xml`` for ``.xml`` is common); refusing them with 406 would help nobody.
    """

    def select_parser(self, request, parsers):
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.parser_context["kwargs"].get("fmt") or "json"
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        return renderers[0], renderers[0].media_type
