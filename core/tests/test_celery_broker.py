"""The embedded Celery broker (kombu's filesystem transport) keeps all its files under var/."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BIND_A_QUEUE = """
import django
django.setup()
from django.conf import settings
from kombu import Connection, Exchange, Queue

options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
with Connection(settings.CELERY_BROKER_URL, transport_options=options) as conn:
    queue = Queue("{name}", Exchange("{name}", type="direct"), routing_key="{name}")
    queue(conn.channel()).declare()
print(options["control_folder"])
"""


def test_exchange_tables_are_written_under_var_not_the_working_directory(tmp_path):
    name = f"cc-test-{uuid.uuid4().hex[:8]}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="clean_care.settings.local", PYTHONPATH=str(ROOT))
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", BIND_A_QUEUE.format(name=name)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    control = Path(result.stdout.strip())
    try:
        assert control == ROOT / "var" / "celery" / "control"
        assert (control / f"{name}.exchange").exists()
        assert list(tmp_path.iterdir()) == []
    finally:
        (control / f"{name}.exchange").unlink(missing_ok=True)


def test_gitignore_covers_the_broker_files():
    ignored = set((ROOT / ".gitignore").read_text().split())
    assert {"/var/", "/control/"} <= ignored
