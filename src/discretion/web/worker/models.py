"""The task workers' heartbeats: a worker holds a lease on the jobs it runs while it beats.

A worker writes its row at start and refreshes ``beat`` every few seconds from a thread of its
own. A job (a django_tasks_db row) left RUNNING by a worker whose beat is older than the lease
was abandoned: the worker died (kill -9, out of memory, a lost host). Any live worker then
retries it or, after the last attempt, marks it failed with a message (worker.lease).
"""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now


class Heartbeat(models.Model):
    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started = models.DateTimeField(default=now)
    beat = models.DateTimeField(default=now, db_index=True)
    stopped = models.DateTimeField(null=True, blank=True)
    jobs_done = models.PositiveIntegerField(default=0)
    jobs_failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-beat"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"
