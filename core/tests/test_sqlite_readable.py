"""The embedded database stays readable by the plain sqlite3 shell (backups, .recover) (8.9)."""

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

MIGRATE_AND_READ = """
import django, sqlite3, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
plain = sqlite3.connect(sys.argv[1])  # the stdlib module, without Django's SQL functions
print(plain.execute("PRAGMA integrity_check").fetchone()[0])
print(plain.execute("SELECT count(*) FROM complaints").fetchone()[0])
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded database only")
def test_a_migrated_embedded_database_needs_no_django_functions(tmp_path):
    database = tmp_path / "embedded.sqlite3"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", MIGRATE_AND_READ, str(database)],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "clean_care.settings.local",
            "SQLITE_PATH": str(database),
            "HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["ok", "0"]
    schema = sqlite3.connect(database).execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"
    )
    calls = [sql for (sql,) in schema if re.search(r"\bdjango_\w+\(", sql)]
    assert calls == []  # no index or constraint calls a function only Django registers
