"""On PostgreSQL, a trigger makes activity_logs append-only: UPDATE and DELETE of a row raise.

Row-level, so TRUNCATE (the test suite's flush) is untouched. Users are never deleted (they are
deactivated); deleting one that has audit rows would try to SET NULL their user_id and fail here,
which is the point.
"""

from django.db import migrations

# "%%" is RAISE's placeholder, doubled because schema_editor.execute() formats parameters.
REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION activity_logs_refuse_change() RETURNS TRIGGER AS $$
BEGIN
    RAISE EXCEPTION 'activity_logs is append-only: %% refused', TG_OP
        USING HINT = 'Audit rows are never edited or deleted; write a new row instead.';
END;
$$ LANGUAGE plpgsql;
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REFUSE_FUNCTION)
    schema_editor.execute(
        "CREATE TRIGGER activity_logs_append_only BEFORE UPDATE OR DELETE ON activity_logs "
        "FOR EACH ROW EXECUTE FUNCTION activity_logs_refuse_change();"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS activity_logs_append_only ON activity_logs;")
    schema_editor.execute("DROP FUNCTION IF EXISTS activity_logs_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("users", "0004_activity_log_user_index")]

    operations = [migrations.RunPython(add_trigger, drop_trigger)]
