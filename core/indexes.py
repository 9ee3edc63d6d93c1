"""Indexes that PostgreSQL and SQLite can both live with."""

from django.db import models


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
