"""Module boundaries the layering relies on: core names no app; SMS clients share one helper."""

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
SMS = ROOT / "apps" / "notifications" / "sms"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_core_names_no_app():
    labels = [c.label for c in apps.get_app_configs() if c.name.startswith("apps.")]
    model_label = re.compile(rf"""["']({"|".join(labels)})\.[A-Z]\w*["']""")
    for path in (ROOT / "core").rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        assert not [m for m in imported_modules(path) if m.split(".")[0] == "apps"], path
        assert not model_label.search(path.read_text()), path


def test_sms_clients_share_their_helpers_instead_of_borrowing_each_others():
    assert not {".sslwireless", "apps.notifications.sms.sslwireless"} & imported_modules(
        SMS / "bulksmsbd.py"
    )
    for client in ("sslwireless.py", "bulksmsbd.py"):
        source = (SMS / client).read_text()
        assert "def _required" not in source
        assert "def _json_or_none" not in source
        assert "._http" in imported_modules(SMS / client)


def test_authentication_texts_through_the_notifications_service():
    """Every channel lives in notifications; authentication asks its service to send an OTP."""
    assert not (ROOT / "apps" / "authentication" / "sms").exists()
    for path in (ROOT / "apps" / "authentication").rglob("*.py"):
        if "tests" in path.parts:
            continue
        reached = {m for m in imported_modules(path) if m.startswith("apps.notifications")}
        assert reached <= {"apps.notifications.services"}, path


def _production_modules():
    """Every .py outside the sandbox, the settings (where the sandbox is wired in) and tests."""
    for top in ("apps", "core", "clean_care"):
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            parts = relative.parts
            if parts[:2] == ("apps", "sandbox") or parts[:2] == ("clean_care", "settings"):
                continue
            if "tests" in parts or path.name == "conftest.py":
                continue
            yield relative, path


def _sandbox_references(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            modules = [node.module or ""]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            modules = []
        found += [f"import {m}" for m in modules if m.split(".")[:2] == ["apps", "sandbox"]]
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("apps.sandbox")
        ):
            found.append(f"string {node.value!r}")
    return found


def test_no_production_module_reaches_the_sandbox():
    """The sandbox is wired in by clean_care/settings/simulators.py only (no exceptions here:
    clean_care/urls.py mounts it through settings.EXTRA_URLCONFS)."""
    offenders = {
        str(relative): refs
        for relative, path in _production_modules()
        if (refs := _sandbox_references(path))
    }
    assert offenders == {}


def test_the_boundary_check_sees_imports_and_dotted_strings(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import apps.sandbox.sms\nfrom apps.sandbox.transport import X\n"
        "from apps.sandboxes import y\nNAME = 'apps.sandbox.urls'\n"
    )
    assert _sandbox_references(module) == [
        "import apps.sandbox.sms",
        "import apps.sandbox.transport",
        "string 'apps.sandbox.urls'",
    ]


PROVIDER_FIELDS = ("tran_id", "val_id", "paymentID", "payment_ref_id", "verify_sign", "status_code")


def test_payment_views_and_services_know_no_provider_field_names():
    """Provider wire names live behind the gateway interface; views call one callback service."""
    assert (ROOT / "apps" / "payments" / "services").is_dir()
    assert not (ROOT / "apps" / "payments" / "services.py").exists()
    places = [ROOT / "apps" / "payments" / "views.py"]
    places += sorted((ROOT / "apps" / "payments" / "services").glob("*.py"))
    named = {
        str(path.relative_to(ROOT)): [f for f in PROVIDER_FIELDS if f'"{f}"' in path.read_text()]
        for path in places
    }
    assert {path: fields for path, fields in named.items() if fields} == {}
