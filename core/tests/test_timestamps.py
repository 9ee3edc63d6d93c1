"""PostgreSQL datetimes read through the C-parsing loader are the values Django's loader gives."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.types.datetime import TimestamptzLoader

from core.timestamps import ParsedInCLoader

pytestmark = [pytest.mark.services, pytest.mark.django_db]

VALUES = [
    datetime(2026, 12, 6, 7, 51, 53, 478585, tzinfo=UTC),
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC),  # no fraction of a second
    datetime(2009, 6, 19, 23, 0, 0, 1, tzinfo=timezone(timedelta(hours=7))),  # Dhaka's DST
    datetime(1970, 1, 1, tzinfo=UTC),
    datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]
SQL = "SELECT unnest(%s::timestamptz[]), NULL::timestamptz"


def read(cursor) -> list:
    cursor.execute(SQL, [VALUES])
    return cursor.fetchall()


def test_every_connection_reads_datetimes_through_it():
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(1184, 0)  # timestamptz, text
    assert issubclass(loader, ParsedInCLoader)
    assert loader.timezone == connection.timezone


def test_values_and_time_zones_are_those_of_djangos_loader():
    with connection.cursor() as cursor:
        fast = read(cursor)
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's own, on this cursor
        assert issubclass(cursor.cursor.adapters.get_loader(1184, 0), TimestamptzLoader)
        assert not issubclass(cursor.cursor.adapters.get_loader(1184, 0), ParsedInCLoader)
        django = read(cursor)

    assert fast == django
    assert [value for value, _ in fast] == VALUES
    assert [(value.tzinfo, null) for value, null in fast] == [(connection.timezone, None)] * 5
