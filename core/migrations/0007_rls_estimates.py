"""Row-level security policies the planner can estimate (PostgreSQL only; same rows as 0006).

0006 wrote each branch as ``role = 'admin' AND ward_number = ANY (wards)``. PostgreSQL cannot know
the role when it plans, guesses the comparison true for 0.5 % of rows, and so expects a ward
admin's policy to pass almost nothing: it then fetched a ward's whole history, joined each row's
citizen and sorted it all for every page of twenty (250 ms at 1M complaints), instead of reading
the ward's index in list order and stopping after twenty (3 ms). The role tests move inside the
functions, so the row conditions are plain column comparisons with a selectivity the planner
knows; a ward list for anyone but a ward admin is empty and a staff id for anyone but staff is
NULL, so each policy still lets exactly the same rows through. WITH CHECK clauses are unchanged.
"""

from django.db import migrations

WARDS = "(SELECT app_actor_wards())::text[]"
STAFF_ID = "(SELECT app_actor_staff_id())"

FORWARDS = f"""
-- A ward admin's wards (those any permission row lets them read); empty for everyone else.
CREATE OR REPLACE FUNCTION app_actor_wards() RETURNS text[] LANGUAGE sql STABLE AS
$$ SELECT coalesce(array_agg(DISTINCT ward), '{{}}'::text[])
   FROM admin_permissions p, jsonb_array_elements_text(p.ward_numbers) AS ward
   WHERE app_actor_role() = 'admin' AND p.admin_id = app_actor_id() AND p.can_read $$;
-- The actor's id if they are staff (work is assigned to staff only); NULL for everyone else.
CREATE OR REPLACE FUNCTION app_actor_staff_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT CASE WHEN app_actor_role() IN ('admin', 'service_provider') THEN app_actor_id() END $$;
ALTER POLICY complaints_assigned ON complaints USING (assigned_to = {STAFF_ID});
ALTER POLICY complaints_wards ON complaints USING (ward_number = ANY ({WARDS}));
ALTER POLICY users_ward_residents_read ON users USING (ward_number = ANY ({WARDS}));
ALTER POLICY users_ward_residents_update ON users USING (ward_number = ANY ({WARDS}));
"""

ROLE = "(SELECT app_actor_role())"
ME = "(SELECT app_actor_id())"
OLD_WARDS = f"({ROLE} = 'admin' AND ward_number = ANY ({WARDS}))"
BACKWARDS = f"""
ALTER POLICY complaints_assigned ON complaints
    USING ({ROLE} IN ('admin', 'service_provider') AND assigned_to = {ME});
ALTER POLICY complaints_wards ON complaints USING {OLD_WARDS};
ALTER POLICY users_ward_residents_read ON users USING {OLD_WARDS};
ALTER POLICY users_ward_residents_update ON users USING {OLD_WARDS};
DROP FUNCTION IF EXISTS app_actor_staff_id();
CREATE OR REPLACE FUNCTION app_actor_wards() RETURNS text[] LANGUAGE sql STABLE AS
$$ SELECT coalesce(array_agg(DISTINCT ward), '{{}}'::text[])
   FROM admin_permissions p, jsonb_array_elements_text(p.ward_numbers) AS ward
   WHERE p.admin_id = app_actor_id() AND p.can_read $$;
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0006_row_level_security")]

    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS), elidable=False)]
