"""idx_complaints_service_time becomes a PortableExpressionIndex.

PostgreSQL keeps its expression index untouched (no rebuild of a large table's index). SQLite's
expression index called django_timestamp_diff, a function only Django registers, which made the
embedded database unreadable by the sqlite3 shell; it is replaced by a plain index.
"""

from django.db import migrations, models

import core.indexes

SERVICE_TIME = "idx_complaints_service_time"


def _index():
    return core.indexes.PortableExpressionIndex(
        models.F("resolved_at") - models.F("created_at"),
        condition=models.Q(("resolved_at__isnull", False), ("status", "সমাধান হয়েছে")),
        include=("resolved_at", "created_at"),
        name=SERVICE_TIME,
        sqlite_fields=("resolved_at", "created_at"),
    )


def rebuild_outside_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {SERVICE_TIME}")
    schema_editor.add_index(apps.get_model("complaints", "Complaint"), _index())


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_complaint_idx_complaints_breakdown_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="complaint", name=SERVICE_TIME),
                migrations.AddIndex(model_name="complaint", index=_index()),
            ],
            database_operations=[
                migrations.RunPython(rebuild_outside_postgresql, migrations.RunPython.noop),
            ],
        ),
    ]
