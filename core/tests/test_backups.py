"""Backups (core/backups.py): the restore drill, retention, private files, S3, the nightly job.

The drill runs the real commands in child processes against a scratch database and scratch media
folders of its own (never the suite's test database): seed → ``backup_now`` → drop every table and
every media file → ``backup_restore`` → each table's row count and each file's SHA-256 are equal.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import boto3
import pytest
from dbbackup import settings as dbbackup_settings
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django_celery_beat.schedulers import ModelEntry

from clean_care.celery import app
from core import backups, tasks

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_SECONDS = 300

SEED = """
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from apps.complaints.models import ComplaintImage
from apps.complaints.tests.factories import ComplaintFactory, photo_bytes
from apps.users.tests.factories import UserFactory

colors = ["red", "green", "blue", "white"]
UserFactory.create_batch(2)
for n in range(3):
    complaint = ComplaintFactory()
    for k in range(2):
        image = ComplaintImage(complaint=complaint, file_size=1, width=80, height=60)
        color = colors[(n + k) % 4]
        image.image.save(f"photo{k}.jpg", ContentFile(photo_bytes(color=color)), save=False)
        small = photo_bytes(size=(8, 6), color=color)
        image.thumbnail.save(f"thumb{k}.jpg", ContentFile(small), save=False)
        image.save()
storages["private"].save("reports/2026/ward-5.pdf", ContentFile(b"%PDF-1.4 ward 5 report"))
"""


# --- helpers -------------------------------------------------------------------------------------


def _child_env(tmp_path: Path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BACKUP_", "AWS_", "DATABASE_URL", "REDIS_URL", "SQLITE_PATH"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="clean_care.settings.local",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        BACKUP_DIR=str(tmp_path / "backups"),
        CELERY_TASK_ALWAYS_EAGER="1",
        DEBUG="0",
        **extra,
    )
    return env


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _checksums(*folders: Path) -> dict[str, str]:
    return {
        f"{folder.name}/{path.relative_to(folder)}": hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _drill(env: dict, tmp_path: Path, row_counts, drop_database) -> None:
    media, private = tmp_path / "media", tmp_path / "private"
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    _manage(env, "shell", "-c", SEED)
    counts, files = row_counts(), _checksums(media, private)
    assert counts["complaint_images"] == 6
    assert counts["complaints"] == 3
    assert len(files) == 13  # 6 photos, 6 thumbnails, 1 private report

    _manage(env, "backup_now")
    written = list((tmp_path / "backups").iterdir())
    assert len(written) == 4  # the dump, dbbackup's metadata beside it, two media tarballs
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in written)
    drop_database()
    shutil.rmtree(media)
    shutil.rmtree(private)
    assert row_counts() == {}
    assert not media.exists()
    assert not private.exists()

    listed = _manage(env, "backup_list")
    assert " complete " in listed
    _manage(env, "backup_restore", "--noinput")

    assert row_counts() == counts
    assert _checksums(media, private) == files


# --- the restore drill ---------------------------------------------------------------------------


@pytest.mark.services  # a minute of child processes: with the other drill, not in `make test`
def test_restore_drill_on_the_embedded_sqlite(tmp_path):
    database = tmp_path / "drill.sqlite3"
    env = _child_env(tmp_path, SQLITE_PATH=str(database))

    def row_counts():
        if not database.exists():
            return {}
        with sqlite3.connect(database) as conn:
            tables = [
                name
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            count = 'SELECT count(*) FROM "{}"'  # names read from sqlite_master just above
            return {t: conn.execute(count.format(t)).fetchone()[0] for t in tables}

    def drop_database():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)

    _drill(env, tmp_path, row_counts, drop_database)


@pytest.mark.services
def test_restore_drill_on_postgresql(tmp_path):
    import psycopg
    from psycopg import sql

    parts = urlparse(os.environ["DATABASE_URL"])
    name = f"{parts.path.lstrip('/')}_drill"
    admin_url = parts._replace(path="/postgres").geturl()
    drill_url = parts._replace(path=f"/{name}").geturl()
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env = _child_env(tmp_path, DATABASE_URL=drill_url, REDIS_URL=os.environ.get("REDIS_URL", ""))

    def row_counts():
        with psycopg.connect(drill_url) as conn:
            tables = [
                t
                for (t,) in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            return {
                t: conn.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))
                ).fetchone()[0]
                for t in tables
            }

    def drop_database():
        with psycopg.connect(drill_url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")

    try:
        _drill(env, tmp_path, row_counts, drop_database)
        dumps = list((tmp_path / "backups").glob("db-*.psql.bin"))
        assert len(dumps) == 1
        assert dumps[0].read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(drop)


# --- backups in a folder: private files, retention -----------------------------------------------


@pytest.fixture
def backup_folder(tmp_path, monkeypatch):
    """The backup storage as the settings make it without BACKUP_S3_BUCKET, in a scratch folder."""
    folder = tmp_path / "backups"
    options = {**settings.STORAGES["dbbackup"]["OPTIONS"], "location": str(folder)}
    monkeypatch.setattr(dbbackup_settings, "STORAGE", settings.STORAGES["dbbackup"]["BACKEND"])
    monkeypatch.setattr(dbbackup_settings, "STORAGE_OPTIONS", options)
    return folder


@pytest.fixture
def media_files():
    written = [
        storages["default"].save("complaints/1/photo.jpg", ContentFile(b"photo")),
        storages["private"].save("reports/r.pdf", ContentFile(b"%PDF report")),
    ]
    yield
    storages["default"].delete(written[0])
    storages["private"].delete(written[1])


@pytest.mark.django_db
def test_backup_files_are_readable_by_their_owner_only(backup_folder, media_files, monkeypatch):
    monkeypatch.setattr(backups, "call_command", _fake_dbbackup)
    backup = backups.backup_create()

    assert backup.complete
    assert backup_folder.stat().st_mode & 0o777 == 0o700
    for name in backup.files:
        assert (backup_folder / name).stat().st_mode & 0o777 == 0o600, name


def _fake_dbbackup(command, **options):
    """dbbackup's command on the pytest database is the drill's business; here, its file."""
    assert command == "dbbackup"
    storage = backups.backup_storage()
    storage.write_file(ContentFile(b"dump"), options["output_filename"])


def _dated(stamp: datetime) -> list[str]:
    s = stamp.strftime(dbbackup_settings.DATE_FORMAT)
    return [
        f"db-{s}.psql.bin",
        f"db-{s}.psql.bin.metadata",
        f"media-{s}.tar.gz",
        f"private-{s}.tar.gz",
    ]


def test_retention_removes_exactly_the_backups_older_than_30_days(backup_folder):
    now = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
    ages = {
        "today": timedelta(0),
        "29 days": timedelta(days=29, hours=23),
        "30 days less a second": timedelta(days=30) - timedelta(seconds=1),
        "30 days and a second": timedelta(days=30, seconds=1),
        "31 days": timedelta(days=31),
        "a year": timedelta(days=365),
    }
    storage = backups.backup_storage()
    by_age = {label: _dated(now - age) for label, age in ages.items()}
    for names in by_age.values():
        for name in names:
            storage.write_file(ContentFile(b"x"), name)
    storage.write_file(ContentFile(b"not a backup"), "README.txt")

    pruned = backups.backups_prune(now=now)

    old = {"30 days and a second", "31 days", "a year"}
    assert sorted(pruned) == sorted(n for label in old for n in by_age[label])
    kept = {n for label, names in by_age.items() if label not in old for n in names}
    assert {p.name for p in backup_folder.iterdir()} == kept | {"README.txt"}
    assert settings.BACKUP_KEEP_DAYS == 30


def test_restore_names_a_missing_backup(backup_folder):
    with pytest.raises(backups.BackupError, match="no complete backup"):
        backups.backup_get()
    with pytest.raises(backups.BackupError, match="backup_list"):
        backups.backup_get("2020-01-01-020000")


# --- S3: a local S3-compatible server (moto, the s3_server fixture), never the network ----------


def _settings_storage(env: dict) -> dict:
    """STORAGES["dbbackup"] as the production settings build it from these variables."""
    code = "from django.conf import settings; import json; "
    code += "print(json.dumps(settings.STORAGES['dbbackup']))"
    child = {k: v for k, v in os.environ.items() if not k.startswith("BACKUP_")}
    child.update(DJANGO_SETTINGS_MODULE="clean_care.settings.test", **env)
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=child,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_backups_go_to_s3_as_private_objects_and_are_pruned_there(
    s3_server, media_files, monkeypatch
):
    config = _settings_storage(
        {"BACKUP_S3_BUCKET": "cc-backups", "BACKUP_S3_ENDPOINT_URL": s3_server}
    )
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["default_acl"] == "private"
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="ap-south-1")
    s3.create_bucket(
        Bucket="cc-backups", CreateBucketConfiguration={"LocationConstraint": "ap-south-1"}
    )
    monkeypatch.setattr(dbbackup_settings, "STORAGE", config["BACKEND"])
    monkeypatch.setattr(dbbackup_settings, "STORAGE_OPTIONS", config["OPTIONS"])
    monkeypatch.setattr(backups, "call_command", _fake_dbbackup)

    now = datetime.now(UTC)
    backup = backups.backup_create(now=now)
    storage = backups.backup_storage()
    for name in _dated(now - timedelta(days=31)):
        storage.write_file(ContentFile(b"old"), name)

    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="cc-backups")["Contents"]}
    assert {f"backups/{name}" for name in backup.files} <= keys
    for key in keys:
        grants = s3.get_object_acl(Bucket="cc-backups", Key=key)["Grants"]
        assert [g["Permission"] for g in grants] == ["FULL_CONTROL"], key  # the owner alone
        assert all(g["Grantee"].get("Type") == "CanonicalUser" for g in grants)
    assert backups.backups_list()[0].stamp == backup.stamp

    assert len(backups.backups_prune(now=now)) == 4
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="cc-backups")["Contents"]}
    assert keys == {f"backups/{name}" for name in backup.files}

    # The media of the S3 set come back over an emptied storage.
    storages["default"].delete("complaints/1/photo.jpg")
    monkeypatch.setattr(backups, "call_command", lambda *args, **options: None)
    backups.backup_restore(backup.stamp)
    assert storages["default"].open("complaints/1/photo.jpg").read() == b"photo"


# --- the nightly job ------------------------------------------------------------------------------


def test_the_nightly_backup_is_scheduled_at_two_in_the_morning_dhaka_time():
    entry = settings.CELERY_BEAT_SCHEDULE["backup-nightly"]
    assert entry["task"] == "core.tasks.backups_nightly"
    assert entry["schedule"].hour == {2}
    assert entry["schedule"].minute == {0}
    assert entry["schedule"].day_of_week == set(range(7))
    assert settings.CELERY_TIMEZONE == "Asia/Dhaka"
    assert str(entry["schedule"].tz) == "Asia/Dhaka"


def test_the_nightly_job_prunes_only_after_a_new_backup_is_written(monkeypatch):
    calls = []
    stamp = backups.BackupSet(stamp="s", taken_at=datetime.now(UTC), files=())
    monkeypatch.setattr(tasks, "backup_create", lambda: calls.append("create") or stamp)
    monkeypatch.setattr(tasks, "backups_prune", lambda: calls.append("prune"))
    assert tasks.backups_nightly() == "s"  # the task's body, here and now
    assert calls == ["create", "prune"]

    calls.clear()
    monkeypatch.setattr(tasks, "backup_create", _raise)
    with pytest.raises(RuntimeError):
        tasks.backups_nightly()
    assert calls == []


def _raise():
    raise RuntimeError("pg_dump failed")


@pytest.mark.django_db
def test_beat_stores_the_nightly_backup_as_a_dhaka_crontab():
    entry = ModelEntry.from_entry(
        "backup-nightly", app=app, **settings.CELERY_BEAT_SCHEDULE["backup-nightly"]
    )
    crontab = entry.model.crontab
    crontab.refresh_from_db()
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "2", "*")
    assert str(crontab.timezone) == "Asia/Dhaka"
