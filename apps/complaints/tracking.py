"""Tracking numbers: CC + Dhaka date + the day's sequence, unique under any concurrency."""

from django.db import connection
from django.utils import timezone

from .models import TrackingCounter


def tracking_number_next() -> str:
    """CC + Dhaka date + the day's next sequence number (4 digits, more after 9999).

    One upsert both creates the day's counter and advances it under the row's lock, so any number
    of concurrent filers each get a different number (the seed's COUNT(*)+1 could repeat one).
    Call it in a short transaction of its own: the row stays locked until that commits.
    """
    today = timezone.localdate()
    table = connection.ops.quote_name(TrackingCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last_number) VALUES (%s, 1) "  # noqa: S608 (our table)
            f"ON CONFLICT (day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [today],
        )
        (number,) = cursor.fetchone()
    return f"CC{today:%Y%m%d}{number:04d}"
