"""Load or refresh the ward table from a JSON file: `python manage.py load_wards [path]`."""

from pathlib import Path

from django.core.management.base import BaseCommand

from apps.users.wards import WARDS_FILE, wards_load


class Command(BaseCommand):
    help = "Create or update wards from a JSON list (number, name_en, name_bn, zone, lat, long)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(WARDS_FILE))
        parser.add_argument("--city-corporation", default="DSCC")

    def handle(self, *args, path, city_corporation, **options):
        count = wards_load(path=Path(path), city_corporation=city_corporation)
        self.stdout.write(f"{count} wards loaded for {city_corporation}.")
