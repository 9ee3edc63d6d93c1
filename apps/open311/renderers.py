"""GeoReport v2 output: JSON and schemaless XML (the spec's element names), chosen by the suffix.

The JSON is the "Spark convention" mapping of the XML: a list in JSON is a wrapper element in
XML whose children take the singular name (``services`` → ``service``, ``service_requests`` →
``request``), and JSON null is an empty element.
"""

from __future__ import annotations

import re
from decimal import Decimal

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
    """Writes the document as text, as ElementTree would serialise the same tree.

    A list of requests holds up to 1,000 rows of 17 fields: building that many elements and
    then walking them again to write them cost more than everything else in the answer. The
    text is assembled directly instead, with ElementTree's own rules (escaped ``&``, ``<`` and
    ``>`` in text, ``<name />`` for an element with neither text nor children); the tests
    compare it byte for byte with ElementTree's output.
    """

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        root_name = open311_root(renderer_context)
        if isinstance(data, list):
            item = ITEM_ELEMENTS.get(root_name, "item")
            inner = "".join([_element(item, value) for value in data])
        elif isinstance(data, dict):
            inner = "".join([_element(key, value) for key, value in data.items()])
        else:
            inner = "" if data is None else _escaped(_text(data))
        root = f"<{root_name}>{inner}</{root_name}>" if inner else f"<{root_name} />"
        return (XML_DECLARATION + root).encode()


def _element(name: str, value) -> str:
    """``value`` as the element ``name``; strings, the commonest value, are tried first."""
    if value is None:
        return f"<{name} />"
    if isinstance(value, str):
        inner = _escaped(value)
    elif isinstance(value, dict):
        inner = "".join([_element(key, child) for key, child in value.items()])
    elif isinstance(value, list | tuple):
        item = ITEM_ELEMENTS.get(name, "item")
        inner = "".join([_element(item, child) for child in value])
    else:
        inner = _escaped(_text(value))
    return f"<{name}>{inner}</{name}>" if inner else f"<{name} />"


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _escaped(text: str) -> str:
    """Element text as ElementTree writes it, less the characters XML cannot carry."""
    if not text.isprintable():  # a quick test that spares nearly every value the regex
        text = _NOT_XML.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


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
