"""Seed Dhaka South's 75 wards; on PostgreSQL add the seeds' updated_at trigger on users."""

from django.db import migrations

from apps.users.wards import wards_load

UPDATED_AT_FUNCTION = """
CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def seed_wards(apps, schema_editor):
    wards_load(ward_model=apps.get_model("users", "Ward"))


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(UPDATED_AT_FUNCTION)
    schema_editor.execute(
        "CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON users "
        "FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS update_users_updated_at ON users;")


class Migration(migrations.Migration):
    dependencies = [("users", "0001_initial")]

    operations = [
        migrations.RunPython(seed_wards, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
