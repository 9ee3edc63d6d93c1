"""Every write operation of the OpenAPI schema shows an example request and answer that fit it.

A write (POST, PUT, PATCH, DELETE) with a request body needs an example of that body, and each of
its success answers with a body needs an example of that answer (a 204 has none to show). Where an
operation takes or answers JSON, the example must be the JSON one. Every example in the schema
must also be valid against the schema it sits under, with no field the schema does not name:
schemathesis and Swagger UI's "Try it out" send them as they are.
"""

import json
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

WRITE_METHODS = ("post", "put", "patch", "delete")
JSON = "application/json"
# Media types whose examples are JSON values (form and multipart bodies are shown as objects).
STRUCTURED = (JSON, "application/x-www-form-urlencoded", "multipart/form-data")

# jsonschema checks date-time and uri only with optional packages; these two do it here.
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri")
def _uri(value) -> bool:
    return not isinstance(value, str) or bool(urlsplit(value).scheme and urlsplit(value).netloc)


@pytest.fixture(scope="module")
def schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


def _operations(schema: dict, methods=None):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if methods is None or method in methods:
                yield f"{method.upper()} {path}", operation


def _has_example(content: dict) -> bool:
    """True when the body's JSON form has an example, or any form when JSON is not offered."""
    shown = [content[JSON]] if JSON in content else content.values()
    return any(media.get("examples") or "example" in media for media in shown)


def _gaps(label: str, operation: dict) -> list[str]:
    gaps = []
    body = operation.get("requestBody", {}).get("content")
    if body and not _has_example(body):
        gaps.append(f"{label}: no request example")
    for status, response in operation["responses"].items():
        content = response.get("content")
        if status.startswith("2") and content and not _has_example(content):
            gaps.append(f"{label}: no example of its {status} answer")
    return gaps


def test_every_write_operation_shows_its_request_and_answer(schema):
    writes = dict(_operations(schema, WRITE_METHODS))
    gaps = [gap for label, operation in writes.items() for gap in _gaps(label, operation)]

    assert len(writes) > 30
    assert not gaps, "\n".join(gaps)


def _as_json_schema(node):
    """OpenAPI 3.0 → JSON Schema: ``nullable`` becomes a null alternative, and an object that
    lists its properties takes no others, so a misspelt example field fails. (Closing objects
    would be wrong for allOf compositions of objects; drf-spectacular uses allOf only to wrap a
    single reference.)"""
    if isinstance(node, list):
        return [_as_json_schema(child) for child in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_json_schema(value) for key, value in node.items()}
    if isinstance(node.get("properties"), dict):
        node.setdefault("additionalProperties", False)
    if node.get("nullable") is True:
        del node["nullable"]
        return {"anyOf": [node, {"type": "null"}]}
    return node


def _examples(schema: dict):
    """(where, example value, the schema it illustrates) for every body example in the schema."""
    for label, operation in _operations(schema):
        bodies = [("request", operation.get("requestBody", {}))]
        bodies += [(status, response) for status, response in operation["responses"].items()]
        for part, body in bodies:
            for media_type, media in body.get("content", {}).items():
                if media_type not in STRUCTURED:
                    continue
                for name, example in media.get("examples", {}).items():
                    if "value" in example:
                        where = f"{label} {part} {media_type} example {name!r}"
                        yield where, example["value"], media["schema"]


def test_every_example_fits_its_schema(schema):
    components = _as_json_schema(schema["components"])
    examples = list(_examples(schema))
    errors = []
    for where, value, media_schema in examples:
        validator = Draft202012Validator(
            {**_as_json_schema(media_schema), "components": components},
            format_checker=FORMATS,
        )
        errors += [f"{where}: {_describe(error)}" for error in validator.iter_errors(value)]

    assert examples
    assert not errors, "\n".join(errors)


def _describe(error: ValidationError) -> str:
    at = "/".join(str(part) for part in error.absolute_path) or "(the body)"
    return f"{at}: {error.message}"
