"""Load the demo accounts and donation projects (idempotent) and print the logins:
`python manage.py seed_demo`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.donations.demo import demo_projects_load
from apps.users.demo import demo_accounts_load


class Command(BaseCommand):
    help = "Create or refresh the demo accounts (password DEMO_PASSWORD) and donation projects."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even where the sandbox is off (production): it resets the demo passwords.",
        )

    def handle(self, *args, force, **options):
        if not settings.SANDBOX_ENABLED and not force:
            raise CommandError(
                "Demo accounts have a public password; this looks like production "
                "(SANDBOX_ENABLED is off). Use --force if you really mean it."
            )
        password = settings.DEMO_PASSWORD
        loaded = demo_accounts_load(password=password)
        self.stdout.write(f"\nDemo logins (password: {password}):")
        for account, created in loaded:
            note = "created" if created else "ready"
            self.stdout.write(
                f"  {account.phone}  {account.user_type:<17} {account.name}  [{note}]"
            )
        projects = demo_projects_load()
        self.stdout.write(f"Demo donation projects: {', '.join(p.slug for p in projects)}")
