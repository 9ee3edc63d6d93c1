"""Replace the database and both media storages with a backup set (the newest by default)."""

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_get, backup_restore


class Command(BaseCommand):
    help = "Restore a backup (default: the newest complete one) over the database and media."

    def add_arguments(self, parser):
        parser.add_argument("stamp", nargs="?", help="A timestamp from backup_list.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, stamp=None, interactive=True, **options):
        try:
            backup = backup_get(stamp)
            if interactive:
                answer = input(
                    f"Replace the database and the media files with backup {backup.stamp}? "
                    "Type 'yes' to continue: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled.")
            backup_restore(backup.stamp)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored backup {backup.stamp}.")
