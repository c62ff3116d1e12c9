"""The audit log is tamper-evident (issue 9): a hash chain over every row, the first broken link
reported by `discretion audit verify`; INSERT OR REPLACE refused on SQLite, TRUNCATE on
PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from discretion.web.audit.chain import GENESIS, link, verify
from discretion.web.audit.log import record
from discretion.web.audit.models import AppendOnlyError, AuditEvent

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_server import server_env  # noqa: E402

TABLE = AuditEvent._meta.db_table


def _events(n: int, user) -> list[AuditEvent]:
    return [record(None, "view", user=user, summary=f"event {i}") for i in range(n)]


def _bypass_guards(sql: str, params=()) -> None:
    """What a database superuser (or someone with the SQLite file) can do despite the triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
            cursor.execute(sql, params)
            return
        cursor.execute("SELECT current_user")
        app_role = cursor.fetchone()[0]
        cursor.execute("RESET ROLE")  # the superuser behind the tests' connection (conftest.py)
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
        cursor.execute(f"SET ROLE {app_role}")


def test_every_row_is_chained_to_the_one_before(alice):
    events = _events(5, alice)
    rows = list(AuditEvent.objects.order_by("id"))
    previous = GENESIS
    for row in rows:
        assert row.chain == link(previous, row)
        previous = row.chain
    report = verify()
    assert report.broken is None and report.checked == len(rows) and report.head == events[-1].chain


def test_a_changed_row_is_the_first_broken_link(alice):
    events = _events(6, alice)
    _bypass_guards(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["nothing to see", events[3].pk])
    report = verify()
    assert report.broken is not None and report.broken.id == events[3].pk
    assert report.checked == AuditEvent.objects.filter(id__lt=events[3].pk).count()


def test_a_removed_row_breaks_the_link_after_it(alice):
    events = _events(6, alice)
    _bypass_guards(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])
    assert verify().broken.id == events[3].pk


def test_a_forged_row_with_a_made_up_hash_is_found(alice):
    events = _events(3, alice)
    last = events[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (created, username, action, object_type, object_id, summary, chain)"
            " VALUES (%s, 'mallory', 'view', '', '', 'planted', %s)",
            [last.created, "f" * 64],
        )
    broken = verify().broken
    assert broken is not None and broken.username == "mallory"


def test_bulk_create_is_refused(alice):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(action="view")])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REPLACE")
def test_sqlite_refuses_insert_or_replace_over_a_row(alice):
    event = _events(1, alice)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(
            f"INSERT OR REPLACE INTO {TABLE} (id, created, username, action, object_type, object_id,"
            " summary, chain) VALUES (%s, %s, 'x', 'view', '', '', 'replaced', '')",
            [event.pk, event.created],
        )
    assert AuditEvent.objects.get(pk=event.pk).summary == "event 0"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's TRUNCATE")
def test_postgresql_refuses_truncate(alice):
    _events(2, alice)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() >= 2


SEED = r"""
import django
django.setup()
from django.core.management import call_command
from discretion.web.audit.log import record
call_command("migrate", interactive=False, verbosity=0)
for i in range(20):
    record(None, "view", summary=f"event {i}")
"""


def test_audit_verify_command_reports_the_first_broken_link(tmp_path):
    env = server_env(tmp_path)
    subprocess.run([sys.executable, "-c", SEED], env=env, check=True, timeout=300)
    cli = [sys.executable, "-c", "import sys; from discretion.cli import main; sys.exit(main())"]

    ok = subprocess.run(
        [*cli, "audit", "verify", "--data", str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert "Audit log intact: 20 entries" in ok.stdout and "Head hash: " in ok.stdout

    db = sqlite3.connect(tmp_path / "discretion.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute(f"UPDATE {TABLE} SET summary = 'x' WHERE id = 7")
    db.execute("DROP TRIGGER audit_no_update")  # someone with the file
    db.execute(f"UPDATE {TABLE} SET summary = 'event seven, edited' WHERE id = 7")
    db.commit()
    db.close()

    bad = subprocess.run(
        [*cli, "audit", "verify", "--data", str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "Audit log broken at entry 7" in bad.stderr and "The 6 entries before it are intact" in bad.stderr
    assert "Traceback" not in bad.stderr


APP_RIGHTS = r"""
import django
django.setup()
from django.db import connection, transaction
from discretion.web.audit.log import record
from discretion.web.accounts.models import Organisation
Organisation.objects.create(name="Role Legal", slug="role-legal")  # the app can work
record(None, "view", summary="written by the app role")
for sql in ("TRUNCATE audit_auditevent", "DELETE FROM audit_auditevent", "UPDATE audit_auditevent SET summary = ''",
            "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", "DROP TRIGGER audit_append_only ON audit_auditevent",
            "TRUNCATE accounts_organisation", "CREATE TABLE mine (x int)"):
    try:
        with transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
        print("ALLOWED", sql)
    except Exception as exc:
        print("refused", type(exc).__name__)
with connection.cursor() as c:
    c.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    print(*c.fetchone())
"""


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's roles")
def test_the_app_role_owns_nothing_and_cannot_empty_or_untrigger_the_log(tmp_path):
    import os
    import secrets
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from test_booking_race import _pg_database

    owner_url, drop = _pg_database(os.environ["DATABASE_URL"])
    role = f"discretion_app_{secrets.token_hex(4)}"
    parts = urlsplit(owner_url)
    app_url = urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port or 5432}"))
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
    try:
        env = server_env(tmp_path, app_url) | {"DISCRETION_DATABASE_OWNER_URL": owner_url}
        cli = [sys.executable, "-c", "import sys; from discretion.cli import main; sys.exit(main())"]
        migrate = subprocess.run(
            [*cli, "manage", "--data", str(tmp_path), "migrate_as_owner", "-v", "0"],
            env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert migrate.returncode == 0, migrate.stderr
        out = subprocess.run([sys.executable, "-c", APP_RIGHTS], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        assert not [line for line in lines if line.startswith("ALLOWED")], lines
        assert lines[-1] == f"{role} False"  # not a superuser
        ok = subprocess.run(
            [*cli, "audit", "verify", "--data", str(tmp_path)], env=env, capture_output=True, text=True
        )
        assert ok.returncode == 0 and "Audit log intact: 1 entries" in ok.stdout, ok.stdout + ok.stderr
    finally:
        drop()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP ROLE IF EXISTS {role}")
