"""`db_worker` with a lease: django_tasks_db's worker plus a heartbeat that reclaims the jobs of
dead workers (worker.lease). This app is listed before django_tasks_db, so its command wins."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from discretion.web.worker.lease import Beating
from discretion.web.worker.models import Heartbeat


class LeasedWorker(upstream.Worker):
    def run(self) -> None:
        beating = Beating(self.worker_id)
        beating.start()
        try:
            super().run()
        finally:
            beating.stop()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        failed = db_task_result.status == "FAILED"
        Heartbeat.objects.filter(worker_id=self.worker_id).update(
            **({"jobs_failed": F("jobs_failed") + 1} if failed else {"jobs_done": F("jobs_done") + 1})
        )


class Command(upstream.Command):
    help = "Run the background worker (django_tasks_db's, with a heartbeat and job leases)"

    def handle(self, *args: Any, **options: Any) -> None:
        original = upstream.Worker
        upstream.Worker = LeasedWorker  # type: ignore[misc]  # the upstream handle() builds upstream.Worker
        try:
            super().handle(*args, **options)
        finally:
            upstream.Worker = original  # type: ignore[misc]
