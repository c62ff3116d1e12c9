"""Leases on background jobs: a job whose worker died is retried, or failed with a message.

django_tasks_db marks a job RUNNING when a worker claims it and never looks at it again: if that
worker is killed (kill -9, out of memory, its host lost), the job stays RUNNING for ever and a
packet page says "Assembling..." for ever. Each worker here beats (worker.models.Heartbeat) and
reclaims, on every beat, the RUNNING jobs whose worker stopped beating for longer than the lease:
up to ``WORKER_MAX_ATTEMPTS`` claims in all it puts the job back in the queue, after that it marks
the job failed and lets the task say so where the user looks (``on_abandoned``).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.utils.module_loading import autodiscover_modules
from django.utils.timezone import now
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from discretion.web.worker.models import Heartbeat

logger = logging.getLogger("discretion.worker")

# task path -> handler(args, kwargs, attempts=..., final=...) run when a job is reclaimed
_handlers: dict[str, Callable[..., None]] = {}


def lease_seconds() -> float:
    return float(getattr(settings, "WORKER_LEASE_SECONDS", 30))


def max_attempts() -> int:
    return int(getattr(settings, "WORKER_MAX_ATTEMPTS", 2))


def on_abandoned(task: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register what to do with a task's own records when its job is retried or given up."""

    def register(handler: Callable[..., None]) -> Callable[..., None]:
        _handlers[task.module_path] = handler
        return handler

    return register


def live_workers(at=None) -> set[str]:
    cutoff = (at or now()) - timedelta(seconds=lease_seconds())
    return set(
        Heartbeat.objects.filter(beat__gte=cutoff, stopped__isnull=True).values_list("worker_id", flat=True)
    )


def reclaim(at=None) -> list[tuple[str, str]]:
    """Retry or fail every RUNNING job whose worker is gone. Returns [(job id, outcome)]."""
    at = at or now()
    cutoff = at - timedelta(seconds=lease_seconds())
    live = live_workers(at)
    known = set(Heartbeat.objects.values_list("worker_id", flat=True))
    outcomes: list[tuple[str, str]] = []
    later: list[tuple[str, list, dict, int, bool]] = []
    with exclusive_transaction(DBTaskResult.objects.db):
        for job in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            owner = job.worker_ids[-1] if job.worker_ids else None
            if owner in live:
                continue
            # A worker that never beat (an older db_worker) gets the lease from its job's start.
            if owner not in known and job.started_at and job.started_at >= cutoff:
                continue
            attempts = len(job.worker_ids)
            final = attempts >= max_attempts()
            if final:
                job.status = TaskResultStatus.FAILED
                job.finished_at = at
                job.exception_class_path = "discretion.web.worker.lease.WorkerLost"
                job.traceback = (
                    f"The worker running this job ({owner}) stopped without finishing it, "
                    f"{attempts} time(s); it was not tried again."
                )
                job.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            else:
                job.status = TaskResultStatus.READY
                job.started_at = None
                job.save(update_fields=["status", "started_at"])
            outcomes.append((str(job.id), "failed" if final else "retried"))
            args = job.args_kwargs or {}
            later.append((job.task_path, args.get("args", []), args.get("kwargs", {}), attempts, final))
            logger.warning(
                "Job %s (%s) lost its worker %s after %d attempt(s): %s",
                job.id,
                job.task_path,
                owner,
                attempts,
                "marked failed" if final else "queued again",
            )
    for path, args, kwargs, attempts, final in later:
        handler = _handlers.get(path)
        if handler is not None:
            try:
                handler(args, kwargs, attempts=attempts, final=final)
            except Exception:
                logger.exception("The abandon handler of %s failed", path)
    # Rows of workers gone for a day are history.
    Heartbeat.objects.filter(beat__lt=at - timedelta(days=1)).delete()
    return outcomes


LEFTOVER = re.compile(r"^discretion-(?:files|web-packet)-(\d+)-")


def sweep_leftovers() -> list[str]:
    """Remove the temporary folders of this host's dead workers (a kill -9 skips every cleanup)."""
    removed = []
    root = Path(tempfile.gettempdir())
    for entry in root.iterdir():
        match = LEFTOVER.match(entry.name)
        if not match or not entry.is_dir() or entry.is_symlink():
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or _alive(pid):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry.name)
    if removed:
        logger.warning("Removed %d temporary folder(s) left by stopped workers", len(removed))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Beating:
    """The heartbeat thread of one worker process: beat, then reclaim, every lease/3 seconds."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="discretion-heartbeat", daemon=True)

    def start(self) -> None:
        # The tasks' abandon handlers register when their module is imported: import them all now,
        # not when a task first runs here.
        autodiscover_modules("tasks")
        sweep_leftovers()
        Heartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started": now(),
                "beat": now(),
            },
        )
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)
        Heartbeat.objects.filter(worker_id=self.worker_id).update(stopped=now())

    def _run(self) -> None:
        interval = max(0.5, lease_seconds() / 3)
        try:
            while not self.stopping.wait(interval):
                try:
                    close_old_connections()
                    Heartbeat.objects.filter(worker_id=self.worker_id).update(beat=now())
                    reclaim()
                except OperationalError as exc:  # a locked SQLite file: beat again next time
                    logger.info("heartbeat skipped: %s", exc)
                except Exception:
                    logger.exception("heartbeat failed")
        finally:
            connection.close()
