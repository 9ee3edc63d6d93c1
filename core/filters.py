"""Query filters shared by the list endpoints."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

MIN_YEAR, MAX_YEAR = 1970, 2999
MAX_UTC_OFFSET = timedelta(hours=14)  # the widest offset any time zone uses


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment the database can compare: a sane year and a real UTC offset.

    PostgreSQL refuses offsets past ±15:59 and far-off years; without this a query string such
    as ``created_after=0791-10-31T10:12:59+23:39`` would reach it and answer 500.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        offset = moment.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise forms.ValidationError(_("Use a UTC offset between -14:00 and +14:00."))
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Use a year from %(min)d to %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        return moment


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no, any case); anything else is a 400, not "no filter"."""

    VALUES = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(_("Use true or false.")) from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
