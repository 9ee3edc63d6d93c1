"""Query shapes shared by the apps' selectors."""

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
