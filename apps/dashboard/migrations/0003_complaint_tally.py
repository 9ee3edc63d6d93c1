"""The complaint tallies (dashboard_complaint_tally, dashboard_service_time_tally) and, on
PostgreSQL, the triggers that keep them.

Statement-level triggers with transition tables: one INSERT per statement, whatever its number of
rows (a COPY of a million complaints appends a few thousand rows), grouped by ward, status,
category and rating. An UPDATE that moves no complaint between groups (an assignment, a photo, a
title) appends nothing, so it takes no lock a concurrent filing could wait on; nothing is ever
updated in place, so concurrent filings in one ward never queue behind each other. TRUNCATE
empties the tally too. The table is filled from the complaints already there while the trigger's
lock keeps writers out.
"""

from django.db import migrations, models

# What each complaint of a transition table adds to its group (sign "") or takes away ("-").
CHANGE = """
    SELECT coalesce(ward_number, '') AS ward_number, status, category,
           coalesce(rating, 0) AS rating, {sign}1 AS complaints,
           {sign}(resolved_at IS NOT NULL)::int AS timed,
           {sign}coalesce(resolved_at - created_at, interval '0') AS service_sum
    FROM {rows}
"""
APPEND = """
    INSERT INTO dashboard_complaint_tally
        (ward_number, status, category, rating, complaints, timed, service_sum)
    SELECT ward_number, status, category, rating, sum(complaints), sum(timed), sum(service_sum)
    FROM ({changes}) AS change
    GROUP BY ward_number, status, category, rating
    HAVING sum(complaints) <> 0 OR sum(timed) <> 0 OR sum(service_sum) <> interval '0';
"""
# Resolved complaints per whole hour of service time (status is the stored "resolved" value).
SERVICE_CHANGE = """
    SELECT floor(extract(epoch FROM resolved_at - created_at) / 3600)::int AS hours,
           {sign}1 AS complaints
    FROM {rows}
    WHERE status = 'সমাধান হয়েছে' AND resolved_at IS NOT NULL
"""
SERVICE_APPEND = """
    INSERT INTO dashboard_service_time_tally (hours, complaints)
    SELECT hours, sum(complaints) FROM ({changes}) AS change
    GROUP BY hours HAVING sum(complaints) <> 0;
"""


def _append(*parts: tuple[str, str]) -> str:
    """Both tallies' INSERTs for the transition tables ``parts`` ((sign, rows) pairs)."""
    changes = " UNION ALL ".join(CHANGE.format(sign=sign, rows=rows) for sign, rows in parts)
    service = " UNION ALL ".join(
        SERVICE_CHANGE.format(sign=sign, rows=rows) for sign, rows in parts
    )
    return APPEND.format(changes=changes) + SERVICE_APPEND.format(changes=service)


FUNCTION = f"""
CREATE OR REPLACE FUNCTION dashboard_complaint_tally_apply() RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_append(("", "new_rows"))}
    ELSIF TG_OP = 'DELETE' THEN
        {_append(("-", "old_rows"))}
    ELSIF TG_OP = 'UPDATE' THEN
        {_append(("", "new_rows"), ("-", "old_rows"))}
    ELSE  -- TRUNCATE
        DELETE FROM dashboard_complaint_tally;
        DELETE FROM dashboard_service_time_tally;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGERS = {
    "insert": "AFTER INSERT ON complaints REFERENCING NEW TABLE AS new_rows",
    "update": "AFTER UPDATE ON complaints REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "AFTER DELETE ON complaints REFERENCING OLD TABLE AS old_rows",
    "truncate": "AFTER TRUNCATE ON complaints",
}
FILL = _append(("", "complaints"))


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for event, when in TRIGGERS.items():
        schema_editor.execute(
            f"CREATE TRIGGER dashboard_complaint_tally_{event} {when} "
            "FOR EACH STATEMENT EXECUTE FUNCTION dashboard_complaint_tally_apply();"
        )
    schema_editor.execute(FILL)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS dashboard_complaint_tally_{event} ON complaints;")
    schema_editor.execute("DROP FUNCTION IF EXISTS dashboard_complaint_tally_apply();")


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0002_report_emergency_scope'),
        ('complaints', '0006_complaintupdate_photo_and_more'),
    ]

    operations = [
        migrations.CreateModel(
            name='ComplaintTally',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('ward_number', models.CharField(default='', help_text="'': no ward.", max_length=10)),
                ('status', models.CharField(max_length=30)),
                ('category', models.CharField(max_length=50)),
                ('rating', models.PositiveSmallIntegerField(default=0, help_text='0: not rated.')),
                ('complaints', models.IntegerField()),
                ('timed', models.IntegerField()),
                ('service_sum', models.DurationField()),
            ],
            options={
                'verbose_name': 'complaint tally',
                'verbose_name_plural': 'complaint tallies',
                'db_table': 'dashboard_complaint_tally',
            },
        ),
        migrations.CreateModel(
            name='ServiceTimeTally',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('hours', models.IntegerField()),
                ('complaints', models.IntegerField()),
            ],
            options={
                'verbose_name': 'service time tally',
                'verbose_name_plural': 'service time tallies',
                'db_table': 'dashboard_service_time_tally',
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
