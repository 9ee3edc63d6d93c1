"""On PostgreSQL, the seeds' trigger keeps payments.updated_at current on every UPDATE."""

from django.db import migrations


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The function itself is created by users.0002 (shared by every table with updated_at).
    schema_editor.execute(
        "CREATE TRIGGER update_payments_updated_at BEFORE UPDATE ON payments "
        "FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS update_payments_updated_at ON payments;")


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial"), ("users", "0002_seed_wards_and_triggers")]

    operations = [migrations.RunPython(add_trigger, drop_trigger)]
