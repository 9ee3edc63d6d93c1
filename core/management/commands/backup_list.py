"""List the backup sets in the backup storage, newest first."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.backups import backups_list


class Command(BaseCommand):
    help = "List the backups (newest first): timestamp to pass to backup_restore, time, files."

    def handle(self, *args, **options):
        sets = backups_list()
        if not sets:
            self.stdout.write("No backups.")
        for backup in sets:
            taken = timezone.localtime(backup.taken_at).strftime("%Y-%m-%d %H:%M %Z")
            state = "complete" if backup.complete else "INCOMPLETE"
            self.stdout.write(f"{backup.stamp}  {taken}  {state}  {', '.join(backup.files)}")
