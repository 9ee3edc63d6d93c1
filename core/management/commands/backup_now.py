"""Back up the database and both media storages now (what beat runs at 02:00 Asia/Dhaka)."""

from django.core.management.base import BaseCommand

from core.backups import backup_create, backups_prune


class Command(BaseCommand):
    help = "Back up the database and the media files to BACKUP_S3_BUCKET or BACKUP_DIR."

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Then delete the backups older than BACKUP_KEEP_DAYS (as the nightly job does).",
        )

    def handle(self, *args, prune=False, **options):
        backup = backup_create()
        self.stdout.write(f"Backup {backup.stamp}: {', '.join(backup.files)}")
        if prune:
            pruned = backups_prune()
            self.stdout.write(f"Pruned {len(pruned)} files older than the kept days.")
