"""Load the missing demo accounts, projects, conversation and notices and print the logins:
`python manage.py seed_demo`. Accounts that exist are left as they are (changed passwords too)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.chat.demo import demo_conversation_load
from apps.city_calendar.demo import demo_events_load
from apps.complaints.demo import demo_complaints_load
from apps.donations.demo import demo_projects_load
from apps.gallery.demo import demo_gallery_load
from apps.notices.demo import demo_notices_load
from apps.users.demo import demo_accounts_load
from apps.waste_management.demo import demo_waste_load
from apps.waste_management.station_demo import demo_stations_load


class Command(BaseCommand):
    help = "Create the missing demo accounts (password DEMO_PASSWORD) and donation projects."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even where the sandbox is off (production): it creates accounts whose "
            "password is public.",
        )

    def handle(self, *args, force, **options):
        if not settings.SANDBOX_ENABLED and not force:
            raise CommandError(
                "Demo accounts have a public password; this looks like production "
                "(SANDBOX_ENABLED is off). Use --force if you really mean it."
            )
        password = settings.DEMO_PASSWORD
        loaded = demo_accounts_load(password=password)
        self.stdout.write(f"\nDemo logins (password of new accounts: {password}):")
        for account, created in loaded:
            note = "created" if created else "kept as it was"
            self.stdout.write(
                f"  {account.phone}  {account.user_type:<17} {account.name}  [{note}]"
            )
        projects = demo_projects_load()
        self.stdout.write(f"Demo donation projects: {', '.join(p.slug for p in projects)}")
        complaints = demo_complaints_load()
        if complaints:
            numbers = ", ".join(c.tracking_number for c in complaints)
            self.stdout.write(f"Demo complaints: {numbers} (the ward admin's queue at /console/)")
        if demo_conversation_load() is not None:
            self.stdout.write("Demo conversation: +8801700000010 with the ward admin (chat/rooms/)")
        notices = demo_notices_load()
        if notices:
            self.stdout.write(f"Demo notices: {', '.join(n.title for n in notices)} (notices/)")
        photos = demo_gallery_load()
        if photos:
            self.stdout.write(f"Demo gallery photos: {len(photos)} (gallery/)")
        schedules, fee_added = demo_waste_load()
        if schedules or fee_added:
            self.stdout.write(
                f"Demo waste: {schedules} weekly household collections (waste/schedules/), "
                "a 500 BDT fee for bulky items (waste/special-requests/)"
            )
        stations = demo_stations_load()
        if stations:
            names = ", ".join(s.name for s in stations)
            self.stdout.write(f"Demo transfer stations: {names} (waste/sts/, sts-overview/)")
        holidays = demo_events_load()
        if holidays:
            self.stdout.write(f"Government holidays entered: {len(holidays)} (calendar/events/)")
