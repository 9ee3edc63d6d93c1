"""Pagination of every list: 20 by default, ``?page_size=`` up to 100, ``{count, next, previous,
results}``.

Two costs grow with the table and are kept flat here (docs/decisions.md, "Lists at city scale"):

- ``count``: exact up to ``EXACT_COUNT_LIMIT`` rows (counted with a LIMIT, so never more than that
  many index entries are read); a larger count, and the count of a search (which reads every
  candidate row's text, however few match), is the exact count taken at most
  ``settings.PAGINATION_COUNT_CACHE_SECONDS`` ago, cached per caller and query.
- deep pages: ``?page=N`` past ``DEFERRED_OFFSET`` rows first reads only the page's primary keys
  (the OFFSET walks an index, not joined rows), then loads those rows.

Page 1 is read before anything is counted: when it is not full, its length is the count and
no count query is made (a citizen's own complaints, most filtered lists).

``KeysetPagination`` (lists ordered down to their primary key, such as complaints) also answers
``?cursor=``: ``next`` and ``previous`` are opaque cursors holding the edge row's sort values, so
following ``next`` costs the same on page 5,000 as on page 2 and never repeats or skips a row
when complaints are filed meanwhile. ``?page=N`` keeps working beside it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.exceptions import NotFound

EXACT_COUNT_LIMIT = 10_000
DEFERRED_OFFSET = 500


def list_count(queryset, *, scope: str = "", keep: bool = False) -> int:
    """The number of rows ``queryset`` lists: exact up to EXACT_COUNT_LIMIT, else the exact count
    cached per ``scope`` (who asks) and query for PAGINATION_COUNT_CACHE_SECONDS. ``keep``
    caches every count so (a search: each row's text is read to count it, however few match)."""
    if not isinstance(queryset, QuerySet):
        return len(queryset)
    rows = queryset.order_by().values("pk")
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (pk__in=[])
        return 0
    digest = hashlib.sha256(f"{scope}\0{sql}\0{params!r}".encode()).hexdigest()
    key = f"list-count:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    count = rows[: EXACT_COUNT_LIMIT + 1].count()
    if count > EXACT_COUNT_LIMIT:
        count = rows.count()
    if count > EXACT_COUNT_LIMIT or keep:
        cache.set(key, count, settings.PAGINATION_COUNT_CACHE_SECONDS)
    return count


def rows_by_keys(queryset: QuerySet, bottom: int, top: int) -> list:
    """``queryset[bottom:top]`` for a deep page: the OFFSET runs over primary keys alone (an
    index-only walk when an index matches the ordering), then only the page's rows are loaded."""
    keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    loaded = {row.pk: row for row in queryset.filter(pk__in=keys)}
    return [loaded[key] for key in keys if key in loaded]


class ListPaginator(Paginator):
    """Django's paginator with list_count and deep pages read through rows_by_keys."""

    def __init__(self, object_list, per_page, *, scope: str = "", keep_count: bool = False):
        super().__init__(object_list, per_page)
        self.scope = scope
        self.keep_count = keep_count

    @cached_property
    def count(self) -> int:
        return list_count(self.object_list, scope=self.scope, keep=self.keep_count)

    def page(self, number):
        if number in (1, "1") and "count" not in self.__dict__:
            rows = self._first_page()
            if rows is not None:
                return self._get_page(rows, 1, self)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if bottom >= DEFERRED_OFFSET and isinstance(self.object_list, QuerySet):
            return self._get_page(rows_by_keys(self.object_list, bottom, top), number, self)
        return self._get_page(self.object_list[bottom:top], number, self)

    def _first_page(self) -> list | None:
        """Page 1 read before anything is counted: when it is not full it is the whole list,
        so its length is the count and the count query is never made (a citizen's own
        complaints, most filtered lists). None when the rows are not a query."""
        if not isinstance(self.object_list, QuerySet):
            return None
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.count = len(rows)
        return rows


def _caller(request) -> str:
    user = getattr(request, "user", None)
    return str(getattr(user, "pk", "") or "")


def _searching(request) -> bool:
    return bool(request.query_params.get(api_settings.SEARCH_PARAM, "").strip())


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def django_paginator_class(self, object_list, per_page):
        return ListPaginator(
            object_list,
            per_page,
            scope=_caller(self.request),
            keep_count=_searching(self.request),
        )


# ---------------------------------------------------------------------------------------------
# Keyset cursors
# ---------------------------------------------------------------------------------------------
def _plain(value):
    """A sort value as JSON keeps it exactly (DjangoJSONEncoder would cut microseconds)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def encode_cursor(values: list, *, ordering: list[str], reverse: bool) -> str:
    body = json.dumps({"o": ordering, "v": [_plain(v) for v in values], "r": reverse})
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> dict:
    try:
        body = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise NotFound(_("Invalid cursor.")) from exc
    if not (
        isinstance(body, dict)
        and isinstance(body.get("o"), list)
        and isinstance(body.get("v"), list)
        and len(body["o"]) == len(body["v"])
    ):
        raise NotFound(_("Invalid cursor."))
    return body


class KeysetPagination(PageNumberPagination):
    """Page numbers plus ``?cursor=`` for lists whose ordering ends in the primary key."""

    cursor_query_param = "cursor"
    cursor_query_description = _(
        "An opaque position from a next or previous link (instead of page); it keeps the "
        "filters and ordering it was made with."
    )

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(self.cursor_query_description),
                "schema": {"type": "string"},
            },
        ]

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.cursor_page = None
        self.ordering = self._keyset_ordering(queryset)
        token = request.query_params.get(self.cursor_query_param)
        if not token or self.ordering is None:
            rows = super().paginate_queryset(queryset, request, view)
            self.edges = (rows[0], rows[-1]) if rows else None
            return rows
        cursor = decode_cursor(token)
        if cursor["o"] != self.ordering:
            raise NotFound(_("Invalid cursor."))
        reverse = bool(cursor.get("r"))
        size = self.get_page_size(request)
        after = queryset.filter(self._beyond(queryset, cursor["v"], reverse=reverse))
        if reverse:
            after = after.reverse()
        rows = list(after[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
        self.count = list_count(queryset, scope=_caller(request), keep=_searching(request))
        self.cursor_page = {"more": more, "reverse": reverse}
        self.edges = (rows[0], rows[-1]) if rows else None
        return rows

    def get_paginated_response(self, data):
        if self.ordering is None:
            return super().get_paginated_response(data)
        if self.cursor_page is None:
            count = self.page.paginator.count
            has_next = self.page.has_next()
            has_previous = self.page.has_previous()
        else:
            count = self.count
            more, reverse = self.cursor_page["more"], self.cursor_page["reverse"]
            has_next = more if not reverse else True
            has_previous = more if reverse else True
        first, last = self.edges or (None, None)
        return Response(
            {
                "count": count,
                "next": self._link(last, reverse=False) if has_next and last else None,
                "previous": self._link(first, reverse=True) if has_previous and first else None,
                "results": data,
            }
        )

    def _link(self, row, *, reverse: bool) -> str:
        values = [getattr(row, name.lstrip("-")) for name in self.ordering]
        token = encode_cursor(values, ordering=self.ordering, reverse=reverse)
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    @staticmethod
    def _keyset_ordering(queryset) -> list[str] | None:
        """The ordering as plain names ending in the primary key, or None (no cursors then)."""
        if not isinstance(queryset, QuerySet):
            return None
        terms = list(queryset.query.order_by or queryset.model._meta.ordering)
        pk = queryset.model._meta.pk.name
        names = []
        for term in terms:
            if not isinstance(term, str) or "__" in term or term.lstrip("-") == "?":
                return None
            name = term.lstrip("-")
            name = pk if name == "pk" else name
            if name not in queryset.query.annotations:
                try:
                    field = queryset.model._meta.get_field(name)
                except FieldDoesNotExist:
                    return None
                if field.is_relation or field.null:
                    return None
            names.append(("-" if term.startswith("-") else "") + name)
        return names if names and names[-1].lstrip("-") == pk else None

    def _beyond(self, queryset, values: list, *, reverse: bool) -> Q:
        """Rows after the cursor's position in list order (before it when ``reverse``)."""
        pairs = zip(self.ordering, values, strict=True)
        parsed = [self._parse(queryset, term, value) for term, value in pairs]
        beyond = None
        equal = Q()
        for term, value in zip(self.ordering, parsed, strict=True):
            name = term.lstrip("-")
            later = "lt" if term.startswith("-") != reverse else "gt"
            step = equal & Q(**{f"{name}__{later}": value})
            beyond = step if beyond is None else beyond | step
            equal &= Q(**{name: value})
        # The first sort key alone bounds the scan, so an index on it starts at the cursor.
        first = self.ordering[0]
        bound = "lte" if first.startswith("-") != reverse else "gte"
        return Q(**{f"{first.lstrip('-')}__{bound}": parsed[0]}) & beyond

    @staticmethod
    def _parse(queryset, term: str, value):
        name = term.lstrip("-")
        annotation = queryset.query.annotations.get(name)
        field = annotation.output_field if annotation is not None else None
        field = field or queryset.model._meta.get_field(name)
        try:
            parsed = field.to_python(value)
        except (ValidationError, TypeError, ValueError) as exc:
            raise NotFound(_("Invalid cursor.")) from exc
        if parsed is None:
            raise NotFound(_("Invalid cursor."))
        return parsed
