"""Row-level security on users and complaints (seed 10.4), PostgreSQL only; core/rls.py says who acts.

Creates the application's two roles, neither of which owns a table, logs in or may bypass row
security: DATABASE_APP_ROLE (``clean_care_app``), bound by the policies below, for citizens,
staff and nobody; and ``<it>_all``, whose one policy lets it see every row, for super admins and
system jobs (so their queries keep the plans and index-only scans they had without policies).
The migrating owner may switch to both; both get the rows of every table (not their shape). The
owner itself is not bound (no FORCE), so migrations, backups and restores see every row.
"""

from django.db import migrations

# Who is acting, read from the connection's settings (core/rls.py writes them). Policies call
# these inside a scalar subquery, so PostgreSQL runs each once per statement, not once per row.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION app_actor_role() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT coalesce(nullif(current_setting('app.actor_role', true), ''), 'anonymous') $$;

CREATE OR REPLACE FUNCTION app_actor_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.actor_id', true), '')::uuid $$;

-- A ward admin's wards: those any of their permission rows lets them read, read fresh from
-- admin_permissions (the application narrows further per resource).
CREATE OR REPLACE FUNCTION app_actor_wards() RETURNS text[] LANGUAGE sql STABLE AS
$$ SELECT coalesce(array_agg(DISTINCT ward), '{}'::text[])
   FROM admin_permissions p, jsonb_array_elements_text(p.ward_numbers) AS ward
   WHERE p.admin_id = app_actor_id() AND p.can_read $$;
"""

ROLE = "(SELECT app_actor_role())"
ME = "(SELECT app_actor_id())"
WARDS = "(SELECT app_actor_wards())::text[]"  # an array expression, not a subquery for ANY
STAFF = f"{ROLE} IN ('admin', 'service_provider')"


# Staff told of an emergency near one of their wards may see and take it (apps/emergency).
DISPATCHED = (
    f"EXISTS (SELECT 1 FROM emergency_dispatches d WHERE d.emergency_id = t.id"
    f" AND d.staff_id = {ME})"
)


def _served(table: str, citizen: str, *also: str) -> str:
    """Citizens who came to the actor through ``table``: in a ward admin's wards, or handed to
    the actor (these tables route by ward, whatever ward the citizen lives in)."""
    mine = " OR ".join([f"({ROLE} = 'admin' AND t.ward_number = ANY ({WARDS}))", *also])
    return f"EXISTS (SELECT 1 FROM {table} t WHERE t.{citizen} = users.id AND ({mine}))"




def policies(app: str, everything: str) -> str:
    """The policies; ``app`` and ``everything`` are the two roles' quoted names."""
    return f"""
ALTER TABLE complaints ENABLE ROW LEVEL SECURITY;

CREATE POLICY complaints_everything ON complaints FOR ALL TO {everything}
    USING (true) WITH CHECK (true);
CREATE POLICY complaints_own ON complaints FOR ALL TO {app}
    USING (user_id = {ME}) WITH CHECK (user_id = {ME});
CREATE POLICY complaints_assigned ON complaints FOR ALL TO {app}
    USING ({STAFF} AND assigned_to = {ME}) WITH CHECK ({STAFF});
CREATE POLICY complaints_wards ON complaints FOR ALL TO {app}
    USING ({ROLE} = 'admin' AND ward_number = ANY ({WARDS})) WITH CHECK ({ROLE} = 'admin');
CREATE POLICY complaints_public_read ON complaints FOR SELECT TO {app}
    USING ({ROLE} = 'public');

ALTER TABLE users ENABLE ROW LEVEL SECURITY;

CREATE POLICY users_everything ON users FOR ALL TO {everything}
    USING (true) WITH CHECK (true);
CREATE POLICY users_self ON users FOR ALL TO {app}
    USING (id = {ME}) WITH CHECK (id = {ME});
CREATE POLICY users_staff_read ON users FOR SELECT TO {app}
    USING (user_type <> 'citizen');
CREATE POLICY users_ward_residents_read ON users FOR SELECT TO {app}
    USING ({ROLE} = 'admin' AND ward_number = ANY ({WARDS}));
CREATE POLICY users_ward_residents_update ON users FOR UPDATE TO {app}
    USING ({ROLE} = 'admin' AND ward_number = ANY ({WARDS}))
    WITH CHECK ({ROLE} = 'admin');
CREATE POLICY users_served_read ON users FOR SELECT TO {app}
    USING ({STAFF} AND (
        EXISTS (SELECT 1 FROM complaints c WHERE c.user_id = users.id)  -- complaints' policies apply
        OR {_served("chat_rooms", "citizen_id", f"t.assigned_to_id = {ME}")}
        OR {_served("emergency_requests", "user_id", f"t.assigned_to = {ME}", DISPATCHED)}
        OR {_served("special_collection_requests", "citizen_id")}
    ));
"""


UNDO = """
DROP POLICY IF EXISTS complaints_everything ON complaints;
DROP POLICY IF EXISTS complaints_own ON complaints;
DROP POLICY IF EXISTS complaints_assigned ON complaints;
DROP POLICY IF EXISTS complaints_wards ON complaints;
DROP POLICY IF EXISTS complaints_public_read ON complaints;
ALTER TABLE complaints DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS users_everything ON users;
DROP POLICY IF EXISTS users_self ON users;
DROP POLICY IF EXISTS users_staff_read ON users;
DROP POLICY IF EXISTS users_ward_residents_read ON users;
DROP POLICY IF EXISTS users_ward_residents_update ON users;
DROP POLICY IF EXISTS users_served_read ON users;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;
DROP FUNCTION IF EXISTS app_actor_role();
DROP FUNCTION IF EXISTS app_actor_id();
DROP FUNCTION IF EXISTS app_actor_wards();
"""


def _role_create(connection, role: str) -> str:
    """``role`` (cluster-wide, so perhaps there already), switchable to by the owner; quoted."""
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {quoted} NOLOGIN NOSUPERUSER NOBYPASSRLS")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            cursor.execute(f"GRANT {quoted} TO current_user")  # so the owner may SET ROLE
    return quoted


def forwards(apps, schema_editor):
    from core.rls import app_role_grant, app_roles

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    app, everything = (_role_create(connection, role) for role in app_roles())
    app_role_grant(connection)
    with connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        cursor.execute(policies(app, everything))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(UNDO)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_heartbeats"),
        ("users", "0011_activity_action_waste_gallery_calendar"),
        ("complaints", "0006_complaintupdate_photo_and_more"),
        ("chat", "0001_initial"),
        ("emergency", "0001_initial"),
        ("waste_management", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
