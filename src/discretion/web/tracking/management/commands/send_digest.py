"""Send the daily digest now, or schedule it on the task worker.

discretion manage send_digest              # today's digests, now (at most once per person)
discretion manage send_digest --date 2026-03-02 --dry-run
discretion manage send_digest --schedule   # make sure the daily run is queued
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localdate


class Command(BaseCommand):
    help = "Send the daily e-mail of what is due (or --schedule the daily run on the task worker)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to send for, YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Say who would get what; send nothing.")
        parser.add_argument("--schedule", action="store_true", help="Queue the daily run if none is queued.")

    def handle(self, *args, date: str | None = None, dry_run: bool = False, schedule: bool = False, **kw):
        from discretion.web.tracking.digest import digest_for, recipients, send_digests
        from discretion.web.tracking.schedule import ensure_scheduled, next_digest_at

        if schedule:
            task_id = ensure_scheduled()
            self.stdout.write(
                f"daily digest queued: next run {next_digest_at():%Y-%m-%d %H:%M %Z} (task {task_id})"
            )
            return
        on = _day(date)
        if dry_run:
            for user in recipients():
                count = digest_for(user, on).count
                self.stdout.write(f"{user.get_username()} <{user.email}>: {count} item(s)")
            return
        self.stdout.write(str(send_digests(on)))


def _day(value: str | None) -> date:
    if not value:
        return localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date: {value!r} is not a date written YYYY-MM-DD") from None
