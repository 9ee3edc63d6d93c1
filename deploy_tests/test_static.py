"""deploy/ read as text (no Docker daemon here): the Dockerfile, the compose file, the systemd
units, nginx.conf's limits and .env.example, against the settings and README's Configuration."""

from __future__ import annotations

import re
import shlex
from configparser import ConfigParser
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["web1", "web2", "worker", "beat", "migrate"]
# Variables of Python, pip and the OS, or of an image's own entrypoint (not ours to document).
NOT_OURS = {"PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_DISABLE_PIP_VERSION_CHECK"}
# Development and test knobs production never sets.
DEVELOPMENT_ONLY = {
    "DEBUG",
    "SQLITE_PATH",
    "DEMO_PASSWORD",
    "SANDBOX_ENABLED",
    "SANDBOX_FCM_PUBLIC_KEY",
    "SANDBOX_OUTBOX_PUBLIC",
    "CELERY_TASK_ALWAYS_EAGER",
}


def readme_configuration() -> set[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def settings_variables() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "clean_care" / "settings").glob("*.py"):
        names.update(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', path.read_text()))
    return names


def dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuations joined), split into stages at each FROM."""
    text = (DEPLOY / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    stages: list[list[str]] = []
    for instruction in filter(None, (line.strip() for line in joined.splitlines())):
        if instruction.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(instruction)
    return stages


def compose_interpolations() -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (DEPLOY / "docker-compose.yml").read_text()))


# --- Dockerfile ----------------------------------------------------------------------------------
def test_dockerfile_is_multi_stage_on_python_311_slim_and_runs_as_a_user_without_root():
    stages = dockerfile_stages()
    assert len(stages) >= 2
    assert all(stage[0].split()[1] == "python:3.11-slim" for stage in stages)
    final = stages[-1]
    users = [line.split()[1] for line in final if line.upper().startswith("USER ")]
    assert users, "the final stage names no USER"
    assert users[-1] not in {"root", "0", "0:0"}
    assert any("useradd" in line and users[-1] in line for line in final)


def test_dockerfile_installs_the_lock_file_with_hashes_and_collects_static_files():
    build = " ".join(dockerfile_stages()[0])
    assert "requirements/base.lock" in build
    assert "--require-hashes" in build
    assert "manage.py collectstatic" in build
    assert "COPY --from=build /opt/venv" in " ".join(dockerfile_stages()[-1])


def test_dockerfile_health_check_asks_api_health():
    final = dockerfile_stages()[-1]
    check = next(line for line in final if line.upper().startswith("HEALTHCHECK"))
    script = re.search(r"/app/(deploy/\S+\.py)", check).group(1)
    assert '/api/health/"' in (ROOT / script).read_text()


# --- docker-compose.yml -------------------------------------------------------------------------
def test_compose_runs_nginx_two_web_processes_a_worker_one_beat_postgres_15_and_redis_7():
    assert {"nginx", "web1", "web2", "worker", "beat", "postgres", "redis"} <= set(SERVICES)
    assert SERVICES["postgres"]["image"] == "postgres:15"
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert SERVICES["beat"]["command"] == ["beat"]
    assert [name for name, s in SERVICES.items() if s.get("command") == ["beat"]] == ["beat"]
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1
    for name in ("web1", "web2"):
        assert SERVICES[name]["command"] == ["web"]
        assert SERVICES[name]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert SERVICES["worker"]["command"] == ["worker"]


def test_compose_redis_evicts_least_recently_used_keys_at_80_percent():
    command = SERVICES["redis"]["command"]
    maxmemory = command[command.index("--maxmemory") + 1]
    assert command[command.index("--maxmemory-policy") + 1] == "allkeys-lru"
    limit = SERVICES["redis"]["deploy"]["resources"]["limits"]["memory"]
    to_mib = {"M": 1, "m": 1, "G": 1024, "g": 1024}
    limit_mib = int(limit[:-1]) * to_mib[limit[-1]]
    maxmemory_mib = int(maxmemory[:-2]) * to_mib[maxmemory[-2]]
    assert maxmemory_mib == pytest.approx(limit_mib * 0.8, rel=0.03)


def _mounts(service: str) -> dict[str, str]:
    """volume name -> mode ("rw"/"ro") of a service's named volumes."""
    result = {}
    for mount in SERVICES[service].get("volumes", []):
        parts = mount.split(":")
        if not parts[0].startswith((".", "/")):
            result[parts[0]] = parts[2] if len(parts) > 2 else "rw"
    return result


def test_compose_volumes_for_database_media_static_and_backups():
    declared = set(COMPOSE["volumes"])
    assert {"pgdata", "media", "static", "backups"} <= declared
    assert "pgdata" in _mounts("postgres")
    for name in ("web1", "web2"):
        assert {"media", "static"} <= set(_mounts(name))
    assert _mounts("nginx")["static"] == "ro"
    assert _mounts("nginx")["media"] == "ro"
    assert "backups" in _mounts("worker")
    used = {volume for service in SERVICES for volume in _mounts(service)}
    assert used == declared


def test_compose_nginx_variables_are_exactly_the_templates_placeholders():
    placeholders = set(re.findall(r"\$\{([A-Z0-9_]+)\}", (DEPLOY / "nginx.conf").read_text()))
    nginx_env = set(SERVICES["nginx"]["environment"]) - {"NGINX_ENVSUBST_OUTPUT_DIR"}
    assert nginx_env == placeholders
    header = (DEPLOY / "nginx.conf").read_text().split("\nuser ", 1)[0]
    for name in placeholders:
        assert name in header, f"{name} is not described in the template's header"


def test_every_variable_the_image_and_compose_use_is_in_readme_configuration():
    documented = readme_configuration()
    used = set(compose_interpolations())
    for service in APP_SERVICES:
        used.update(SERVICES[service].get("environment", {}))
    for stage in dockerfile_stages():
        for line in stage:
            if line.upper().startswith("ENV "):
                used.update(re.findall(r"([A-Z][A-Z0-9_]*)=", line))
            if line.upper().startswith("RUN ") and "collectstatic" in line:
                used.update(re.findall(r"\b([A-Z][A-Z0-9_]*)=", line))
    used.update(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (DEPLOY / "entrypoint.sh").read_text()))
    missing = sorted(used - NOT_OURS - documented)
    assert not missing, f"not in README's Configuration table: {missing}"


# --- .env.example, nginx limits, systemd --------------------------------------------------------
def test_env_example_lists_every_production_variable_and_readme_documents_each():
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M))
    production = settings_variables() - DEVELOPMENT_ONLY
    assert not sorted(production - listed), "missing from .env.example"
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= listed
    assert not sorted(listed - readme_configuration()), "in .env.example but not in README"


def test_nginx_body_limit_is_the_largest_request_django_accepts():
    text = (DEPLOY / "nginx.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", text).group(1))
    assert megabytes * 1024 * 1024 == settings.MAX_REQUEST_BODY_BYTES
    assert settings.MAX_REQUEST_BODY_BYTES >= 5 * settings.IMAGE_MAX_BYTES


def _unit(name: str) -> ConfigParser:
    parser = ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(re.sub(r"\\\n\s*", " ", (DEPLOY / "systemd" / name).read_text()))
    return parser


@pytest.mark.parametrize(
    ("unit", "program"),
    [
        ("cleancare-web@.service", "uvicorn"),
        ("cleancare-worker.service", "celery"),
        ("cleancare-beat.service", "celery"),
    ],
)
def test_systemd_units_run_as_the_app_user_and_restart(unit, program):
    service = _unit(unit)["Service"]
    assert service["User"] == "cleancare"
    assert service["Restart"] == "always"
    assert service["EnvironmentFile"] == "/etc/cleancare/env"
    command = shlex.split(service["ExecStart"])
    assert Path(command[0]).name == program


def test_systemd_web_listens_on_loopback_and_trusts_only_nginx_for_proxy_headers():
    command = shlex.split(_unit("cleancare-web@.service")["Service"]["ExecStart"])
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "%i"
    assert command[command.index("--forwarded-allow-ips") + 1] == "127.0.0.1"
    beats = [p.name for p in (DEPLOY / "systemd").iterdir() if "beat" in p.name]
    assert beats == ["cleancare-beat.service"]
    assert "@" not in beats[0]


def test_nginx_replaces_x_forwarded_for_so_one_proxy_is_the_whole_chain():
    text = (DEPLOY / "nginx.conf").read_text()
    assert "$proxy_add_x_forwarded_for" not in text  # appending would pass a client's own value
    settings_lines = re.findall(r"proxy_set_header X-Forwarded-For (\S+);", text)
    assert settings_lines
    assert set(settings_lines) == {"$remote_addr"}
    assert set(re.findall(r"proxy_set_header X-Forwarded-Proto (\S+);", text)) == {"$scheme"}


def test_web_processes_start_uvicorn_as_serve_does():
    from core.management.commands.serve import UVICORN_OPTIONS

    options = " ".join(UVICORN_OPTIONS)
    entrypoint = re.sub(r"\\\n\s*", " ", (DEPLOY / "entrypoint.sh").read_text())
    unit = _unit("cleancare-web@.service")["Service"]["ExecStart"]
    for command in (entrypoint, unit):
        assert options in " ".join(command.split())
