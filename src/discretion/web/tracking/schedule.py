"""The daily digest as a recurring run on the task worker (django.tasks has no scheduler).

Each run enqueues the next one (tomorrow at ``DIGEST_HOUR``, the server's time zone) before it
sends anything, so a failing day never ends the chain. ``ScheduledRun`` remembers the waiting
run: ``ensure_scheduled()`` (called by ``discretion serve`` at start, and by every run) enqueues
one only when none is waiting, under a row lock, so starting several servers or workers never
multiplies the runs. Even if two runs did overlap, each person's e-mail is claimed once per day
(tracking/digest.py).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus, default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils.timezone import localtime, make_aware, now

from discretion.web.tracking.models import ScheduledRun

DIGEST = "daily-digest"


def next_digest_at(moment: datetime | None = None) -> datetime:
    """The next DIGEST_HOUR o'clock in the server's time zone, strictly after ``moment``."""
    local = localtime(moment or now())
    at = make_aware(datetime.combine(local.date(), time(settings.DIGEST_HOUR)))
    return (
        at
        if at > local
        else make_aware(datetime.combine(local.date() + timedelta(days=1), time(settings.DIGEST_HOUR)))
    )


def _waiting(task_id: str) -> bool:
    if not task_id or not default_task_backend.supports_get_result:
        return False
    try:
        return default_task_backend.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


def ensure_scheduled(*, moment: datetime | None = None) -> str:
    """The id of the waiting digest run, enqueuing one if none is waiting."""
    from discretion.web.tracking.tasks import daily_digest

    with transaction.atomic():
        run, _ = ScheduledRun.objects.select_for_update().get_or_create(name=DIGEST)
        if _waiting(run.task_id):
            return run.task_id
        at = next_digest_at(moment)
        result = daily_digest.using(run_after=at).enqueue()
        run.task_id, run.run_after = str(result.id), at
        run.save(update_fields=["task_id", "run_after"])
        return run.task_id
