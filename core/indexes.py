"""Indexes that PostgreSQL and SQLite can both live with, and queries that keep using them."""

from django.db import models
from django.db.models import Expression


class PortableExpressionIndex(models.Index):
    """An expression index on PostgreSQL, a plain index on ``sqlite_fields`` elsewhere.

    Django builds SQLite expression indexes with its own SQL functions (django_timestamp_diff
    for a date difference), which only a Django connection knows: the ``sqlite3`` shell, and so
    ``.backup`` checks and ``.recover``, then cannot read the database at all. SQLite gets the
    same columns and condition as a plain index instead.
    """

    def __init__(self, *expressions, sqlite_fields=(), **kwargs):
        self.sqlite_fields = tuple(sqlite_fields)
        super().__init__(*expressions, **kwargs)

    def _plain(self) -> models.Index:
        return models.Index(
            fields=list(self.sqlite_fields), name=self.name, condition=self.condition
        )

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return self._plain().create_sql(model, schema_editor, using=using, **kwargs)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["sqlite_fields"] = self.sqlite_fields
        return path, args, kwargs


def index_build(schema_editor, model, index) -> None:
    """Build ``index`` for a migration: CONCURRENTLY on PostgreSQL, so that writes to a large
    table go on meanwhile (the migration must then say ``atomic = False``), after dropping what
    a cut-off build left under its name (an invalid index; the migration was not recorded)."""
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.add_index(model, index)
        return
    schema_editor.execute(
        f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(index.name)}"
    )
    schema_editor.add_index(model, index, concurrently=True)


def index_drop(schema_editor, model, index) -> None:
    """index_build's way back."""
    concurrently = schema_editor.connection.vendor == "postgresql"
    schema_editor.remove_index(model, index, **({"concurrently": True} if concurrently else {}))


class Inlined(Expression):
    """``expression`` with its parameters written into the SQL as literals (on PostgreSQL;
    elsewhere unchanged). Only for values of a closed set that the code checked (enum values),
    never for text a request sends.

    Statements are prepared (settings: ``prepare_threshold``), and a prepared statement's generic
    plan is made without its parameters' values. Two things then go wrong that literals avoid:
    an expression index no longer matches (``CASE WHEN priority = 'high' THEN 1 …`` is not
    ``CASE WHEN priority = $1 THEN $2 …``), and a filter on a skewed column is estimated as an
    average value (``status = $1`` as a quarter of the rows where "resolved" is 87 % of them), so
    the list sorted a ward's whole history again. A literal makes each value a statement of its
    own, planned for that value.
    """

    def __init__(self, expression):
        super().__init__(output_field=expression.output_field)
        self.expression = expression

    def get_source_expressions(self):
        return [self.expression]

    def set_source_expressions(self, exprs):
        (self.expression,) = exprs

    def as_sql(self, compiler, connection):
        return compiler.compile(self.expression)

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.expression)
        if not params:
            return sql, params
        # The literal SQL goes back into a statement that has placeholders of its own.
        return connection.ops.compose_sql(sql, params).replace("%", "%%"), []
