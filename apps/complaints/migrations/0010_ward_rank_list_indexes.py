"""A ward's list by urgency and by workflow walks an index, as the city's already does.

A ward admin's ``ordering=priority`` or ``ordering=status`` had no index that starts with the
ward: each page fetched the ward's whole history and sorted it (ward 1, 4,700 complaints at 1M:
50–220 ms). Built CONCURRENTLY (core.indexes.index_build), so filings go on meanwhile.
"""

from django.db import migrations, models

import core.indexes


def _ward_rank_index(column: str, ranks: dict[str, int], name: str) -> models.Index:
    """The ward, then the rank of ``column`` (as the list's CASE, values frozen here), then
    newest first with the id breaking ties; the ranked column included."""
    rank = models.Case(
        *(models.When(**{column: value}, then=models.Value(n)) for value, n in ranks.items()),
        output_field=models.IntegerField(),
    )
    return models.Index(
        models.F("ward_number"),
        rank,
        models.OrderBy(models.F("created_at"), descending=True),
        models.OrderBy(models.F("id"), descending=True),
        include=(column,),
        name=name,
    )


def _indexes():
    return [
        _ward_rank_index(
            "priority",
            {"উচ্চ": 1, "মধ্যম": 2, "নিম্ন": 3},
            "idx_complaints_list_ward_prio",
        ),
        _ward_rank_index(
            "status",
            {"জমা দেওয়া হয়েছে": 1, "প্রক্রিয়াধীন": 2, "সমাধান হয়েছে": 3, "বাতিল": 4},
            "idx_complaints_list_ward_st",
        ),
    ]


def build(apps, schema_editor):
    model = apps.get_model("complaints", "Complaint")
    for index in _indexes():
        core.indexes.index_build(schema_editor, model, index)


def drop(apps, schema_editor):
    model = apps.get_model("complaints", "Complaint")
    for index in _indexes():
        core.indexes.index_drop(schema_editor, model, index)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("complaints", "0009_ward_indexes_cover_the_policy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="complaint", index=index) for index in _indexes()
            ],
            database_operations=[migrations.RunPython(build, drop)],
        ),
    ]
