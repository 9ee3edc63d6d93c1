"""Moments the database can store and compare: a year from 1970 to 2999 and a real UTC offset.

PostgreSQL refuses offsets past ±15:59 and far-off years; a request carrying one must be a 400,
never a 500. Query filters and serializer fields both ask here.
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

MIN_YEAR, MAX_YEAR = 1970, 2999
MAX_UTC_OFFSET = timedelta(hours=14)  # the widest offset any time zone uses


def offset_problem(offset: timedelta | None) -> str | None:
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        return str(_("Use a UTC offset between -14:00 and +14:00."))
    return None


def year_problem(moment: datetime) -> str | None:
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return str(_("Use a year from %(min)d to %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    return None
