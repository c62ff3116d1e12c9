"""kill -9 of the task worker in the middle of a packet build (issue 9): the job carries a lease,
a live worker retries it, or marks it failed with a message once the attempts are used up; the
dead worker's temporary folders are swept. On SQLite, and on PostgreSQL in its pass."""

from __future__ import annotations

import json
import os
import signal
import sys

import pytest
from deployments import SEED_CASE, backends, environment, fresh_database, python, start, stop, wait_for

pytestmark = pytest.mark.slow

# A real worker whose packet build stops half-way (after the exhibits were copied out and the
# temporary folder made) until it is killed.
SLOW_WORKER = r"""
import os, sys, time, django
django.setup()
import discretion.packets as packets
def stuck(*args, **kwargs):
    open(os.environ["STUCK_FLAG"], "w").close()
    time.sleep(600)
packets.build_packet = stuck
from django.core.management import call_command
call_command("db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload", verbosity=0)
"""

QUEUE = r"""
import django
django.setup()
from django.contrib.auth import get_user_model
from discretion.web.cases.models import Case
from discretion.web.documents import actions
from django.db import transaction
with transaction.atomic():
    doc = actions.queue_packet(Case.objects.get(), by=get_user_model().objects.get(username="alice"))
print(doc.pk)
"""

OUTCOME = r"""
import json, time, django
django.setup()
from django.db import close_old_connections
from django_tasks_db.models import DBTaskResult
from discretion.web.documents.models import GeneratedDocument
deadline = time.monotonic() + 180
while True:
    close_old_connections()
    doc = GeneratedDocument.objects.get(kind="packet")
    if doc.status in ("done", "failed") or time.monotonic() > deadline:
        break
    time.sleep(0.3)
job = DBTaskResult.objects.get(task_path__endswith="build_packet_task")
print(json.dumps({"status": doc.status, "error": doc.error, "has_file": bool(doc.file_id and doc.file.read().startswith(b"%PDF")),
                  "job": job.status, "attempts": len(job.worker_ids), "why": job.traceback[-300:]}))
"""


def _kill_mid_build(tmp_path, env) -> None:
    flag = tmp_path / "stuck"
    slow = start([sys.executable, "-c", SLOW_WORKER], env | {"STUCK_FLAG": str(flag)}, tmp_path / "slow.log")
    try:
        wait_for(flag.exists, timeout=180, what="the packet build to start")
        # The build made its temporary folder; the worker dies without cleaning anything up.
        os.kill(slow.pid, signal.SIGKILL)
        slow.wait()
    finally:
        stop(slow)


@pytest.mark.parametrize("backend", backends())
@pytest.mark.parametrize("attempts", [2, 1])
def test_a_killed_workers_packet_is_retried_or_failed_with_a_message(tmp_path, backend, attempts):
    with fresh_database(backend) as url:
        tmp = tmp_path / "tmp"
        tmp.mkdir()
        env = environment(
            tmp_path / "data",
            url,
            DISCRETION_WORKER_LEASE_SECONDS="2",
            DISCRETION_WORKER_MAX_ATTEMPTS=str(attempts),
            TMPDIR=str(tmp),
        )
        python(SEED_CASE, env)
        python(QUEUE, env)
        _kill_mid_build(tmp_path, env)
        assert any(tmp.iterdir()), "the dead worker left its temporary folder behind"

        worker = start(
            [
                sys.executable,
                "-m",
                "discretion.web.manage",
                "db_worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
            ],
            env,
            tmp_path / "worker.log",
        )
        try:
            outcome = json.loads(python(OUTCOME, env, timeout=240))
        finally:
            stop(worker)
        log = (tmp_path / "worker.log").read_text(errors="replace")
        if attempts == 2:
            # The second worker saw the lease run out, queued the job again and built the packet.
            assert outcome["status"] == "done", (outcome, log)
            assert outcome["has_file"] and outcome["job"] == "SUCCESSFUL" and outcome["attempts"] == 2
        else:
            assert outcome["status"] == "failed", (outcome, log)
            assert "background worker stopped while building this packet" in outcome["error"]
            assert outcome["job"] == "FAILED" and "stopped without finishing" in outcome["why"]
        assert not any(p.name.startswith("discretion-") for p in tmp.iterdir()), "temporary folders swept"
