"""``migrate`` as the schema owner (DISCRETION_DATABASE_OWNER_URL), then grant the app role its
rights (audit/roles.py). Without an owner URL, the same as ``migrate``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from discretion.web.audit.roles import migrate


class Command(BaseCommand):
    help = "Apply migrations as the database owner, then grant the app's role its rights."

    def handle(self, *args, **options) -> None:
        migrate(interactive=False, verbosity=options["verbosity"])
