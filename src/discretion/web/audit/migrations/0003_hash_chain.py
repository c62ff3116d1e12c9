"""The audit log becomes tamper-evident: a hash chain over every row (audit/chain.py), existing
rows chained in id order; SQLite refuses INSERT OR REPLACE over a row (REPLACE deletes without
firing the delete trigger) and PostgreSQL refuses TRUNCATE. The earlier triggers are made again
because SQLite may rebuild the table to add the column."""

from django.db import migrations, models

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON audit_auditevent
       WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql""",
    """DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent""",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    """DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent""",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]


def chain_existing_rows(apps, schema_editor):
    from discretion.web.audit.chain import FIELDS, GENESIS, link

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = GENESIS
    # The historical model has the plain queryset: update() is allowed here, and only here.
    db = schema_editor.connection.alias
    for row in AuditEvent.objects.using(db).order_by("id").values("id", *FIELDS).iterator(chunk_size=2000):
        previous = link(previous, row)
        AuditEvent.objects.using(db).filter(pk=row["id"]).update(chain=previous)
    for sql in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_replace")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing_rows, backwards),
    ]
