"""PostgreSQL: the app runs as a role that owns nothing; migrations run as the owner.

``DATABASE_URL`` names the app's role, ``DISCRETION_DATABASE_OWNER_URL`` the owner of the schema
(docs/web.md). ``migrate()`` below (``serve`` and ``discretion manage migrate_as_owner`` run it)
migrates as the owner and ends by granting the app role what it needs on every table and sequence: SELECT, INSERT, UPDATE, DELETE, and on the audit
log SELECT and INSERT only. It never gets TRUNCATE, TRIGGER or ownership, so it cannot empty the
log, disable its triggers or drop them; only the owner could, and the hash chain shows it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections

AUDIT_TABLE = "audit_auditevent"


def migrate(**options: Any) -> None:
    """``migrate``, as the owner when DISCRETION_DATABASE_OWNER_URL is set, then grant the app role.

    The default connection itself is switched to the owner for the run, rather than migrating on
    a second alias: some migrations (django-tasks-db's among them) query the default connection
    in RunPython, which as a second connection would wait forever on the owner's table locks.
    """
    from django.core.management import call_command

    owner = settings.DATABASES.get("owner")
    if owner is None:
        call_command("migrate", **options)
        return
    default = connections["default"]
    saved = dict(default.settings_dict)
    default.close()
    default.settings_dict.update(
        {k: owner[k] for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT") if k in owner}
    )
    try:
        call_command("migrate", **options)
        if default.vendor == "postgresql" and saved.get("USER") and saved["USER"] != owner.get("USER"):
            grant_app_role("default", saved["USER"])
    finally:
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)


def grant_app_role(alias: str, role: str) -> None:
    """Give ``role`` the app's rights (and no more) on everything in the public schema."""
    from psycopg import sql

    who = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE TRUNCATE, TRIGGER, REFERENCES ON ALL TABLES IN SCHEMA public FROM {}").format(who),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(AUDIT_TABLE), who),
    ]
    connection = connections[alias]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.as_string(cursor.connection))
