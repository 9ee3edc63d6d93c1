"""Row-level security: who is acting, told to PostgreSQL, which then filters users and complaints.

The selectors already scope every queryset to its viewer; the database's policies (core migration
0006) are the second lock behind them, so that even a view that forgets its selector cannot show
one citizen another citizen's complaint. PostgreSQL learns who is acting from three settings of
the connection, set here:

- ``app.actor_role``: ``system`` (Celery tasks, management commands, the sign-in steps),
  ``super_admin``, ``admin``, ``service_provider``, ``citizen``, ``public`` (a page anyone may
  read, such as the tracking page or Open311) or ``anonymous`` (a request nobody signed);
- ``app.actor_id``: the user's id, or empty (a ward admin's wards the policies read from their
  permission rows, fresh for every statement).

The application's processes (asgi.py, wsgi.py, Celery) switch their connections to one of two
roles that own nothing and may not bypass the policies: ``DATABASE_APP_ROLE`` for citizens, staff
and nobody, and ``<it>_all`` (one policy: every row) for super admins and system jobs; migrations,
backups and other management commands keep the owner's connection. Requests run in autocommit,
so the settings are session settings, written when a pooled connection is handed out
(``connection_created``) and again whenever the actor changes; a connection is therefore never
used with the previous request's actor. A request starts ``anonymous``
(:class:`core.middleware.DatabaseActorMiddleware`) and becomes its user once authenticated; code
outside requests is ``system``.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created


@dataclass(frozen=True)
class Actor:
    role: str
    user_id: str = ""


SYSTEM = Actor("system")
ANONYMOUS = Actor("anonymous")

_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("db_actor", default=SYSTEM)

# Whether this process's connections act as DATABASE_APP_ROLE (see use_app_role()).
_app_role_in_use = False


def actor_current() -> Actor:
    return _actor.get()


def actor_for(user) -> Actor:
    """What the database is told about a signed-in ``user``: their type and id."""
    return Actor(user.user_type, str(user.pk))


_SET_ACTOR = "SELECT set_config('app.actor_role', %s, false), set_config('app.actor_id', %s, false)"
# With the application's roles in use, the same statement switches to the one for the actor.
_SET_ACTOR_AND_ROLE = _SET_ACTOR + ", set_config('role', %s, false)"
# The actors who see every row: their role has one policy, "true", so their queries keep the
# plans (index-only scans included) they had without row-level security.
SEES_EVERYTHING = ("system", "super_admin")


def app_roles() -> tuple[str, str]:
    """The restricted role and the role that sees everything (neither owns nor bypasses)."""
    app = settings.DATABASE_APP_ROLE or "clean_care_app"
    return app, f"{app}_all"


def _actor_sql(actor: Actor) -> tuple[str, list[str]]:
    params = [actor.role, actor.user_id]
    if not _app_role_in_use:
        return _SET_ACTOR, params
    app, everything = app_roles()
    return _SET_ACTOR_AND_ROLE, [*params, everything if actor.role in SEES_EVERYTHING else app]


def _tell(connection, actor: Actor) -> None:
    """Write ``actor`` into an open PostgreSQL connection (nothing on SQLite or when closed)."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    if connection.needs_rollback:  # the transaction is failing; its rollback restores the actor
        return
    # On the driver's connection, like Django's own session set-up: not a query of the request.
    connection.connection.execute(*_actor_sql(actor))


def _tell_all(actor: Actor) -> None:
    for connection in connections.all(initialized_only=True):
        _tell(connection, actor)


def act_as(actor: Actor) -> None:
    """From now on (until the surrounding :func:`acting` ends) the database sees ``actor``."""
    _actor.set(actor)
    _tell_all(actor)


def act_for(user) -> None:
    act_as(actor_for(user))


@contextmanager
def acting(actor: Actor):
    """Run a block as ``actor``; the previous actor comes back afterwards, even on an error."""
    token = _actor.set(actor)
    _tell_all(actor)
    try:
        yield
    finally:
        _actor.reset(token)
        _tell_all(_actor.get())


def acts_as_system(view):
    """The same for a plain Django view (the console's sign-in steps)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with as_system():
            return view(request, *args, **kwargs)

    return wrapped


@contextmanager
def as_owner():
    """Run a block as the tables' owner, past the policies: for bulk seeding with COPY, which
    PostgreSQL refuses under row-level security. Management commands are the owner anyway;
    this matters where the application's role is in use (the test suite)."""
    connection = connections["default"]
    switched = _app_role_in_use and connection.vendor == "postgresql"
    if switched:
        connection.ensure_connection()
        connection.connection.execute("RESET ROLE")
    try:
        yield
    finally:
        if switched and connection.connection is not None:
            connection.connection.execute(*_actor_sql(_actor.get()))


def as_system():
    """For the steps that must look before anyone is known: signing in, provider callbacks."""
    return acting(SYSTEM)


def public_reads():
    """For pages anyone may read (tracking, Open311, scorecards): every complaint, read only."""
    current = _actor.get()
    return acting(Actor("public", current.user_id))


def use_app_role() -> None:
    """Make this process's connections act as DATABASE_APP_ROLE (asgi.py, wsgi.py, Celery).

    The test suite imports asgi.py before it has a database to migrate, so its settings hold
    this back (DATABASE_APP_ROLE_AT_START) and conftest.py switches once migrations are done.
    """
    if getattr(settings, "DATABASE_APP_ROLE_AT_START", True):
        _app_role_switch(on=True)


def _app_role_switch(*, on: bool) -> None:
    global _app_role_in_use
    _app_role_in_use = on and bool(settings.DATABASE_APP_ROLE)
    # An open connection is closed so the next one starts with the right role. Only an open
    # one: uvicorn's worker processes import asgi.py inside their event loop, where Django
    # refuses even a close() that would have nothing to do.
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            connection.close()


def app_role_in_use() -> bool:
    return _app_role_in_use


def _on_connection_created(sender, connection, **kwargs) -> None:
    if connection.vendor != "postgresql":
        return
    # One round trip per connection handed out: the actor and the role (SET ROLE, as a setting).
    connection.connection.execute(*_actor_sql(_actor.get()))


connection_created.connect(_on_connection_created, dispatch_uid="core.rls")


def app_role_grant(connection) -> None:
    """Let the application's roles read and write the rows of every table (after each migrate
    too, for the tables later migrations add)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [list(app_roles())])
        roles = ", ".join(connection.ops.quote_name(row[0]) for row in cursor.fetchall())
        if not roles:  # before migration 0006 created them
            return
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {roles}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {roles}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {roles}")


def app_role_for_tests() -> None:
    """The test suite on PostgreSQL connects as the application's role once the test database
    is migrated; emptying tables between transactional tests (TRUNCATE) is granted to it there."""
    connection = connections["default"]
    if connection.vendor != "postgresql" or not settings.DATABASE_APP_ROLE:
        return
    roles = ", ".join(connection.ops.quote_name(role) for role in app_roles())
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA {schema} TO {roles}")
    _app_role_switch(on=True)


def app_role_after_tests() -> None:
    """Back to the owner, who drops the test database."""
    _app_role_switch(on=False)


class ActsAsSystem:
    """View mixin for endpoints whose caller is nobody the database knows: the sign-in steps,
    which find an account by phone before anyone is signed in, and callbacks that prove who
    they are by a signature (payment providers, SMS gateways, weighbridges)."""

    def dispatch(self, request, *args, **kwargs):
        with as_system():
            return super().dispatch(request, *args, **kwargs)
