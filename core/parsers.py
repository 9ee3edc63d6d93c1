"""The API's JSON parser: DRF's, with a cap on how deeply a body may nest.

Python's decoder recurses once per level and fails with RecursionError somewhere near a thousand
levels (how near depends on the stack already in use), which DRF would let escape as a 500. No
request of this API nests more than a few levels, so anything past ``JSON_MAX_DEPTH`` is refused
as malformed, long before the interpreter's limit.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

JSON_MAX_DEPTH = 64


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError() from exc
        if json_depth_exceeds(data, JSON_MAX_DEPTH):
            raise ParseError()
        return data


def json_depth_exceeds(data, limit: int) -> bool:
    """Whether ``data`` (decoded JSON) nests lists/objects more than ``limit`` deep.

    Walks with its own stack, so measuring a deep body cannot itself exhaust Python's.
    """
    pending = [(data, 1)] if isinstance(data, dict | list) else []
    while pending:
        value, depth = pending.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
