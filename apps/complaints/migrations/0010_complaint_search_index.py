"""idx_complaints_search: ``?search=`` reads trigrams instead of every complaint's text.

A search used to read each row it could reach: a super admin's search of the whole city, a
scan of every title and description (3.3 s at 1M complaints for one tracking number). PostgreSQL
gets pg_trgm (a trusted extension: the database's owner, who migrates, may create it) and a GIN
index of the three searched columns' trigrams, built CONCURRENTLY so that filings go on during
the build (about a minute at 1M complaints); hence a migration outside a transaction. SQLite gets
the plain index core.indexes.SearchIndex falls back to.
"""

from django.contrib.postgres.indexes import OpClass
from django.db import migrations
from django.db.models.functions import Upper

import core.indexes


def _index():
    return core.indexes.SearchIndex(
        OpClass(Upper("title"), name="gin_trgm_ops"),
        OpClass(Upper("description"), name="gin_trgm_ops"),
        OpClass(Upper("tracking_number"), name="gin_trgm_ops"),
        name="idx_complaints_search",
        sqlite_fields=("tracking_number",),
    )


def trigrams(apps, schema_editor):
    # Kept on the way back: an administrator may have created it, and other things may use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def build(apps, schema_editor):
    core.indexes.index_build(schema_editor, apps.get_model("complaints", "Complaint"), _index())


def drop(apps, schema_editor):
    core.indexes.index_drop(schema_editor, apps.get_model("complaints", "Complaint"), _index())


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("complaints", "0009_ward_indexes_cover_the_policy"),
    ]

    operations = [
        migrations.RunPython(trigrams, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="complaint", index=_index())],
            database_operations=[migrations.RunPython(build, drop)],
        ),
    ]
