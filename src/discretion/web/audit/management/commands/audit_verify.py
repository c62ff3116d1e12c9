"""Check the audit log's hash chain; report the first broken link (exit status 1), or the count and
head hash to keep elsewhere (``discretion audit verify``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from discretion.web.audit.chain import verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options) -> None:
        report = verify()
        if report.broken is None:
            self.stdout.write(
                f"Audit log intact: {report.checked} entries, each chained to the one before.\n"
                f"Head hash: {report.head}\n"
                "(Keep the count and head hash elsewhere: rows cut from the end leave no broken link.)"
            )
            return
        b = report.broken
        raise CommandError(
            f"Audit log broken at entry {b.id} ({b.created:%Y-%m-%d %H:%M:%S} UTC, "
            f"{b.username or 'no user'}, {b.action}: {b.summary[:80]!r}): "
            f"it or an entry before it was changed, removed or inserted. "
            f"The {report.checked} entries before it are intact (head {report.head[:16]}...). "
            f"Stored hash {b.stored[:16] or '(none)'}..., expected {b.expected[:16]}...",
            returncode=1,
        )
