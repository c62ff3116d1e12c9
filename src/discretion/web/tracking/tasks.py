"""Background work of the tracking app (django.tasks; the database worker runs it)."""

from __future__ import annotations

from django.tasks import task
from django.utils.timezone import localdate, now

from discretion.web.tracking.models import ScheduledRun


@task
def daily_digest() -> str:
    """Send today's digests, having first enqueued tomorrow's run (tracking/schedule.py)."""
    from discretion.web.tracking.digest import send_digests
    from discretion.web.tracking.schedule import DIGEST, ensure_scheduled

    ScheduledRun.objects.filter(name=DIGEST).update(last_started=now())
    ensure_scheduled()
    return str(send_digests(localdate()))
