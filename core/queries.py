"""Query shapes shared by the apps' selectors."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import QuerySet


def shown_with(rows: QuerySet, *related: str) -> QuerySet:
    """``rows`` loading every column of their own model and, of the rows they join
    (``select_related``), only the ``related`` columns named (``"user__name"``).

    A list row that names a person shows their name, perhaps their phone: a user row has
    nineteen columns (the password hash among them), and Django compiles, transfers and
    converts each one it loads, for every row and every request. A column not named here
    would still load when read, one query per row: the list endpoints' query-count tests are
    what keeps a serializer from doing so.
    """
    own = [field.name for field in rows.model._meta.concrete_fields]
    return rows.only(*own, *related)


@contextmanager
def planned_for_values(wanted: bool = True) -> Iterator[None]:
    """Statements run inside (when ``wanted``) are planned for their parameters' values every
    time: psycopg prepares none of them (PostgreSQL; elsewhere nothing changes).

    A statement run often enough is prepared (settings: ``prepare_threshold``), and PostgreSQL
    may then keep a generic plan, made without the values. For a search that plan guesses what
    the text matches: it walked the whole city's newest-first index looking for twenty rows
    that contain one tracking number (2.5 s at 1M complaints) where the trigram index finds the
    one in milliseconds (core.indexes.SearchIndex). Planning each search costs a millisecond or
    two of the database's time; the text stays a parameter.
    """
    if not wanted or connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold
