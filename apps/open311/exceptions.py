"""Open311 errors in the spec's shape: a list of ``{code, description}``, in the asked format.

The project's handler still decides the status, headers (Retry-After) and rollback; this only
reshapes its body. ``code`` is the HTTP status, as the spec's examples have it.
"""

from __future__ import annotations

from core.exceptions import exception_handler as core_exception_handler


def open311_exception_handler(exc: Exception, context: dict):
    response = core_exception_handler(exc, context)
    if response is None:
        return None
    response.data = [
        {"code": response.status_code, "description": description}
        for description in _descriptions(response.data)
    ]
    response.open311_root = "errors"
    return response


def _descriptions(body: dict) -> list[str]:
    """One error per message for invalid input (so each field is named), else the one message."""
    if body.get("code") != "validation_error" or not body.get("details"):
        return [body["error"]]
    return [
        message if field == "non_field_errors" else f"{field}: {message}"
        for field, messages in body["details"].items()
        for message in messages
    ]
