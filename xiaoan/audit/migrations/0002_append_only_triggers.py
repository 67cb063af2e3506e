"""The database itself refuses to change or delete audit rows.

PostgreSQL: a trigger refuses UPDATE (except clearing `actor_id`/`unit_id`, which ON DELETE
SET NULL does when a person or unit is deleted; those columns are outside the hash) and
DELETE, except of rows an archive file already holds, inside the archive command's
transaction (`SET LOCAL xiaoan.audit_archive = 'on'`). SQLite: the same rules without the
setting (SQLite has none). Note: SQLite rebuilds a table on most ALTERs, dropping its
triggers; a later migration of this table must create them again (a test checks).
"""

from django.db import migrations

KEPT = (
    "id", "at", "actor_name", "action", "object_type", "object_id", "object_repr", "detail",
    "ip", "user_agent", "prev_hash", "hash", "algorithm",
)

PG_CREATE = """
CREATE OR REPLACE FUNCTION xiaoan_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF current_setting('xiaoan.audit_archive', true) = 'on'
       AND OLD.id <= (SELECT COALESCE(MAX(last_id), 0) FROM audit_auditarchive) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit trail is append-only: DELETE refused'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
     AND (NEW.unit_id IS NULL OR NEW.unit_id = OLD.unit_id)
     AND (to_jsonb(NEW) - 'actor_id' - 'unit_id') = (to_jsonb(OLD) - 'actor_id' - 'unit_id') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit trail is append-only: UPDATE refused'
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION xiaoan_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS xiaoan_audit_append_only();
"""

SQLITE_CREATE = [
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditentry WHEN NOT ("
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)
    + " AND (NEW.actor_id IS NULL OR NEW.actor_id IS OLD.actor_id)"
    " AND (NEW.unit_id IS NULL OR NEW.unit_id IS OLD.unit_id))"
    " BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditentry"
    " WHEN OLD.id > (SELECT COALESCE(MAX(last_id), 0) FROM audit_auditarchive)"
    " BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE refused'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
