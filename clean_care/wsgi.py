"""WSGI entry point (management tooling; the served app is ASGI, see asgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

# Servers and workers are production unless told otherwise; manage.py (and so `make run`, whose
# child processes inherit its environment) sets clean_care.settings.local.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.production")

application = get_wsgi_application()

from core.rls import use_app_role  # noqa: E402

use_app_role()  # row-level security: this process's connections act as DATABASE_APP_ROLE
