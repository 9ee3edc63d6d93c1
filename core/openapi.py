"""OpenAPI helpers: the schema documents the canonical /api/v1/ prefix only, errors included."""

import drf_spectacular.openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework.permissions import AllowAny, IsAuthenticated

from .openapi_errors import errors


def only_canonical_prefix(endpoints):
    """drf-spectacular preprocessing hook dropping the /api/ alias routes and the sandbox."""
    return [
        (path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
        if path.startswith("/api/v1/") or path.startswith("/open311/")
    ]


class AutoSchema(drf_spectacular.openapi.AutoSchema):
    """Lists the error statuses every operation can answer with, in the documented error body.

    Views declare their own specific ones (409 on a state conflict, 502 from a gateway); the
    statuses that follow from how a view is built are added here so no view can forget them:
    401 when it reads a token, 403 when a permission can refuse, 429 when it is throttled,
    404 for a path parameter or a page past the end, 400 for query or body validation, and
    413/415 for a request body.
    """

    ALWAYS_ALLOWED = (AllowAny, IsAuthenticated)

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for status in self.implied_error_statuses(operation):
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(
                    self.error_response(status), str(status)
                )
        return operation

    def implied_error_statuses(self, operation: dict) -> list[int]:
        statuses = []
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        if has_body or any(p["in"] == "query" for p in parameters):
            statuses.append(400)
        if self.view.get_authenticators():
            statuses.append(401)
        if any(not isinstance(p, self.ALWAYS_ALLOWED) for p in self.view.get_permissions()):
            statuses.append(403)
        if any(p["in"] == "path" for p in parameters) or self._paginated():
            statuses.append(404)
        if has_body:
            statuses.extend([413, 415])
        if self.view.get_throttles():
            statuses.append(429)
        return statuses

    def _paginated(self) -> bool:
        return self.method == "GET" and self._get_paginator() is not None and self._is_list_view()

    def error_response(self, status: int):
        """The body of an error answer; Open311 overrides it with the spec's error list."""
        return errors(status)[status]


class AliasChoiceFieldExtension(OpenApiSerializerFieldExtension):
    """A Bengali choice that also takes its English code: the enumeration lists both."""

    target_class = "core.fields.AliasChoiceField"

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        stored = [str(value) for value in field.choices]
        lowered = {value.lower() for value in stored}
        aliases = [alias for alias in field.lookup if alias not in lowered]
        schema = {"type": "string", "enum": stored + aliases}
        if field.allow_null:
            schema["nullable"] = True
        schema["description"] = (
            "The stored Bengali value or its English code (" + ", ".join(aliases) + "), "
            "in any letter case."
        )
        return schema
