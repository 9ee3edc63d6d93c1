"""Backups of the database and of both media storages, made and restored by django-dbbackup.

One backup is a *set* of files sharing one UTC timestamp (dbbackup's DATE_FORMAT) in the backup
storage (``STORAGES["dbbackup"]``: BACKUP_S3_BUCKET or BACKUP_DIR)::

    db-2026-12-06-020000.psql.bin          pg_dump --format=custom (SQLite: its backup API)
    db-2026-12-06-020000.psql.bin.metadata which connector made it (dbbackup's own)
    media-2026-12-06-020000.tar.gz         STORAGES["default"]: uploaded photos
    private-2026-12-06-020000.tar.gz       STORAGES["private"]: generated reports

dbbackup's commands write and read the files (``dbbackup``/``dbrestore``, and the tarball code of
``mediabackup``/``mediarestore`` pointed at each media storage in turn); this module only names the
set, lists sets and prunes the ones older than BACKUP_KEEP_DAYS by the date in their names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dbbackup import settings as dbbackup_settings
from dbbackup import utils as dbbackup_utils
from dbbackup.db.base import get_connector
from dbbackup.management.commands import mediabackup, mediarestore
from dbbackup.storage import Storage, get_storage
from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command

from .figures import dashboard_touch
from .lists import lists_touch_everything

logger = logging.getLogger(__name__)

# File-name prefix of each part of a set -> the Django storage alias it holds (None: the database).
MEDIA_PARTS = {"media": "default", "private": "private"}
DB_PART = "db"


class _MediaBackup(mediabackup.Command):
    """dbbackup's media tarball, of any storage; a storage never written to is an empty one."""

    def _explore_storage(self):
        try:
            self.media_storage.listdir("")
        except FileNotFoundError:
            return iter(())
        return super()._explore_storage()


class BackupError(Exception):
    """No such backup set, or an incomplete one: said in words a shell user can act on."""


@dataclass(frozen=True)
class BackupSet:
    stamp: str  # DATE_FORMAT, UTC
    taken_at: datetime
    files: tuple[str, ...]

    @property
    def complete(self) -> bool:
        parts = {name.split("-", 1)[0] for name in self.files if not name.endswith(".metadata")}
        return parts >= {DB_PART, *MEDIA_PARTS}


def backup_storage() -> Storage:
    return get_storage()


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime(dbbackup_settings.DATE_FORMAT)


def _taken_at(name: str) -> datetime | None:
    taken = dbbackup_utils.filename_to_date(name)
    return taken.replace(tzinfo=UTC) if taken else None


def backup_create(now: datetime | None = None) -> BackupSet:
    """Backs up the database and both media storages as one set; returns it."""
    stamp = _stamp(now)
    storage = backup_storage()
    extension = get_connector("default").extension
    call_command(
        "dbbackup",
        database="default",
        output_filename=f"{DB_PART}-{stamp}.{extension}",
        verbosity=0,
    )
    for prefix, alias in MEDIA_PARTS.items():
        command = _MediaBackup()
        command.media_storage = storages[alias]
        command.storage = storage
        command.servername, command.path = None, None
        command.compress, command.encrypt = True, False
        command.filename = f"{prefix}-{stamp}.tar.gz"
        command.backup_mediafiles()
    backup = backup_get(stamp)
    logger.info("backup %s written: %s", stamp, ", ".join(backup.files))
    return backup


def backups_list() -> list[BackupSet]:
    """Every set in the backup storage, newest first."""
    by_stamp: dict[str, list[str]] = {}
    try:
        names = backup_storage().list_directory()
    except FileNotFoundError:  # BACKUP_DIR before the first backup
        names = []
    for name in names:
        datestring = dbbackup_utils.filename_to_datestring(name)
        if datestring and name.split("-", 1)[0] in {DB_PART, *MEDIA_PARTS}:
            by_stamp.setdefault(datestring, []).append(name)
    sets = [
        BackupSet(stamp=stamp, taken_at=_taken_at(names[0]), files=tuple(sorted(names)))
        for stamp, names in by_stamp.items()
    ]
    return sorted(sets, key=lambda backup: backup.taken_at, reverse=True)


def backup_get(stamp: str | None = None) -> BackupSet:
    """The set with this timestamp, or the newest complete one."""
    sets = backups_list()
    if stamp is None:
        complete = [backup for backup in sets if backup.complete]
        if not complete:
            raise BackupError("There is no complete backup to restore.")
        return complete[0]
    for backup in sets:
        if backup.stamp == stamp:
            return backup
    raise BackupError(f"There is no backup {stamp}; `manage.py backup_list` shows the backups.")


def backup_restore(stamp: str | None = None) -> BackupSet:
    """Replaces the database and both media storages with a set (the newest by default)."""
    backup = backup_get(stamp)
    if not backup.complete:
        raise BackupError(f"Backup {backup.stamp} is incomplete: {', '.join(backup.files)}.")
    names = {name.split("-", 1)[0]: name for name in backup.files if not name.endswith(".metadata")}
    call_command(
        "dbrestore",
        database="default",
        input_filename=names[DB_PART],
        interactive=False,
        verbosity=0,
    )
    storage = backup_storage()
    for prefix, alias in MEDIA_PARTS.items():
        command = mediarestore.Command()
        command.media_storage = storages[alias]
        command.storage = storage
        command.filename, command.path, command.servername = names[prefix], None, None
        command.decrypt, command.passphrase = False, None
        command.uncompress, command.replace, command.interactive = True, True, False
        command._restore_backup()
    # The cached answers describe the database that was replaced.
    dashboard_touch()
    lists_touch_everything()
    logger.info("backup %s restored", backup.stamp)
    return backup


def backups_prune(now: datetime | None = None, keep_days: int | None = None) -> list[str]:
    """Deletes every backup file dated more than ``keep_days`` (BACKUP_KEEP_DAYS) before ``now``;
    returns their names. Files without a date in their name are not backups and are left alone."""
    keep_days = settings.BACKUP_KEEP_DAYS if keep_days is None else keep_days
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    storage = backup_storage()
    pruned = []
    for backup in backups_list():
        if backup.taken_at < cutoff:
            for name in backup.files:
                storage.delete_file(name)
                pruned.append(name)
    if pruned:
        logger.info("pruned %d backup files older than %d days", len(pruned), keep_days)
    return pruned
