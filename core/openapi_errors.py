"""OpenAPI description of the shared error body, for views to list their error statuses."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    "Error",
    fields={
        "error": serializers.CharField(
            help_text="Message for a person, in the request's language."
        ),
        "code": serializers.CharField(help_text="Machine-readable code."),
        "details": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Per-field messages.",
        ),
    },
)


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """``responses={**errors(400, 401)}`` in extend_schema."""
    descriptions = {
        400: "Validation error",
        401: "Not signed in or token invalid",
        403: "Forbidden",
        404: "Not found",
        409: "Conflicts with the current state",
        413: "Upload too large",
        415: "Unsupported file type",
        429: "Too many requests (see Retry-After)",
        502: "Upstream gateway failed",
    }
    return {
        s: OpenApiResponse(ErrorSerializer, description=descriptions.get(s, "")) for s in statuses
    }
