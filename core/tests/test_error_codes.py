"""Error codes are one typed vocabulary, and every one of them is documented (issue 8.12)."""

import ast
import re
from pathlib import Path

import pytest

from core.exceptions import ApplicationError, ErrorCode, ValidationFailed, error_body

ROOT = Path(__file__).resolve().parents[2]
ERROR_CLASSES = {
    "ApplicationError",
    "ValidationFailed",
    "NotAuthenticated",
    "PermissionDenied",
    "NotFound",
    "Conflict",
    "PayloadTooLarge",
    "UnsupportedMedia",
    "RateLimited",
    "UpstreamUnavailable",
}


def test_the_documented_codes_are_exactly_the_enum():
    table = (ROOT / "docs" / "errors.md").read_text()
    # The status column is a code, or "—" for an error only a WebSocket frame carries.
    documented = re.findall(r"^\| `([a-z_]+)` \| (?:\d{3}|—) \|", table, re.M)
    assert len(documented) == len(set(documented))
    assert set(documented) == {code.value for code in ErrorCode}


def _bare_string_codes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
        literals = []
        if name in ERROR_CLASSES:
            literals = [kw.value for kw in node.keywords if kw.arg == "code"]
        elif name == "error_body" and len(node.args) > 1:
            literals = [node.args[1]]
        found += [
            f"{path.relative_to(ROOT)}:{lit.lineno} {lit.value!r}"
            for lit in literals
            if isinstance(lit, ast.Constant)
        ]
    return found


def test_no_code_is_raised_as_a_bare_string():
    offenders = []
    for top in ("apps", "core", "clean_care"):
        for path in (ROOT / top).rglob("*.py"):
            if "tests" not in path.parts and "migrations" not in path.parts:
                offenders += _bare_string_codes(path)
    assert offenders == []


def test_an_error_takes_only_a_member_of_the_vocabulary():
    with pytest.raises(TypeError):
        ValidationFailed("x", code="made_up")
    assert ApplicationError(code=ErrorCode.CONFLICT).code == "conflict"
    with pytest.raises(ValueError, match="made_up"):
        error_body("x", ErrorCode("made_up"))
