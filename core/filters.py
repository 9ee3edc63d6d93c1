"""Query filters shared by the list endpoints."""

import django_filters
from django import forms
from django.db.models import Value
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters as drf_filters
from rest_framework import serializers

from .fields import alias_lookup
from .indexes import Inlined
from .moments import offset_problem, year_problem
from .text import ward_digits

# Longest text a search or a text filter takes: enough for any name, title or phrase; more is
# refused with a message (a megabyte of search text is no search).
SEARCH_MAX_CHARS = 200


class PlainFilterBackend(DjangoFilterBackend):
    """django-filter's backend, which does nothing when the request names none of the filters
    (most reads of a list: page 1 of a queue): building the filter set copies every filter and
    validates an empty form, 0.8 ms of a complaint page. Only for filter sets whose filters act
    solely on their own parameters (no default applied when a parameter is absent); a parameter
    that merely starts like a filter's name still takes the full path."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            param.startswith(name)
            for param in request.query_params
            for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class SearchTextField(forms.CharField):
    """Text a person searches or filters by. A NUL character (which PostgreSQL cannot compare:
    it answered 500) and text past SEARCH_MAX_CHARS are refused with a form error; blank is no
    filter. Every text filter of the API and the console is one of these."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_CHARS)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)  # CharField already refuses NUL (ProhibitNullCharacters)


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


class BoundedSearchFilter(drf_filters.SearchFilter):
    """DRF's ``?search=`` with SearchTextField's rules: NUL or more than SEARCH_MAX_CHARS is a
    400 ``validation_error`` naming ``search``, never a query with thousands of terms."""

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        field = serializers.CharField(
            trim_whitespace=False, allow_blank=True, max_length=SEARCH_MAX_CHARS
        )
        try:
            cleaned = field.run_validation(value)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({self.search_param: exc.detail}) from exc
        return drf_filters.search_smart_split(cleaned)


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment the database can compare: a sane year and a real UTC offset.

    PostgreSQL refuses offsets past ±15:59 and far-off years; without this a query string such
    as ``created_after=0791-10-31T10:12:59+23:39`` would reach it and answer 500.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        problem = offset_problem(moment.utcoffset()) or year_problem(moment)
        if problem:
            raise forms.ValidationError(problem)
        return moment


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class _AliasChoiceFormField(forms.CharField):
    def __init__(self, *args, lookup: dict, **kwargs):
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        stored = self.lookup.get(value.strip().lower())
        if stored is None:
            raise forms.ValidationError(
                _("“%(value)s” is not one of the choices."), params={"value": value[:40]}
            )
        return stored


class AliasChoiceFilter(django_filters.Filter):
    """Filters on a stored Bengali value given either as stored or as its English code;
    anything else is a 400, not an empty page."""

    field_class = _AliasChoiceFormField

    def __init__(self, *args, values, codes, **kwargs):
        super().__init__(*args, lookup=alias_lookup(values, codes), **kwargs)

    def filter(self, qs, value):
        # One of a few stored values, often skewed (most complaints are resolved): a literal,
        # so a prepared statement is planned for it (core.indexes.Inlined).
        if value in EMPTY_VALUES:
            return qs
        return super().filter(qs, Inlined(Value(value)))


class WardFilter(django_filters.CharFilter):
    """'০৫' and '05' find ward 5, as they do on input."""

    def filter(self, qs, value):
        return super().filter(qs, _ward_asked(value) if value else value)


def _ward_asked(value: str) -> str:
    return ward_digits(value)[:10]


def requested_ward(params, name: str = "ward_number") -> str | None:
    """The ward a request's ``name`` filter asks for, read as WardFilter reads it (None: none)."""
    value = params.get(name)
    return _ward_asked(value) if value else None


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
