"""Switching to the application's database role where servers switch it."""

import asyncio

from django.db import connections

from core import rls


def test_the_switch_works_inside_an_event_loop_as_uvicorns_workers_import_asgi(settings):
    """uvicorn --workers N imports asgi.py inside the worker's event loop: the switch must not
    touch a connection that is not open (Django refuses sync database calls there)."""
    settings.DATABASE_APP_ROLE_AT_START = True

    async def import_time():
        assert connections["default"].connection is None  # known to Django, not open
        rls.use_app_role()

    try:
        asyncio.run(import_time())
        assert rls.app_role_in_use() == bool(settings.DATABASE_APP_ROLE)
    finally:
        rls.app_role_after_tests()
