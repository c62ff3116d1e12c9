"""Two real task workers (`db_worker`) on one database, each picking up a daily-digest run at the
same moment: every person still gets exactly one e-mail, and one run for tomorrow is queued.
On SQLite always, and on PostgreSQL too when the web tests run against it (a database of its own,
with a random name, dropped afterwards)."""

from __future__ import annotations

import email
import os
import secrets
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent
PEOPLE = 8

SEED = r"""
import django
django.setup()
from datetime import date
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.timezone import localdate
from discretion.facts import CaseFacts
from discretion.web.accounts.models import Membership, Organisation
from discretion.web.cases.actions import create_case
from discretion.web.tracking.models import Task
from discretion.web.tracking.tasks import daily_digest

call_command("migrate", interactive=False, verbosity=0)
org = Organisation.objects.create(name="Alpha Legal", slug="alpha")
for i in range(PEOPLE):
    user = get_user_model().objects.create_user(f"p{i}", email=f"p{i}@alpha.example", password="x" * 16)
    Membership.objects.create(user=user, organisation=org, role="attorney")
    case = create_case(org, facts=CaseFacts.model_validate({"identity": {"name": f"Client {i}"}}), by=user, assigned_to=user)
    Task.objects.create(case=case, title=f"Task {i}", due_on=localdate(), assigned_to=user)
# Two runs waiting at once, as if two schedulers had each queued one.
daily_digest.enqueue()
daily_digest.enqueue()
""".replace("PEOPLE", str(PEOPLE))

COUNT = r"""
import django
django.setup()
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.filter(status="SUCCESSFUL").count(), DBTaskResult.objects.filter(status="READY").count())
"""


def _env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCRETION_", "DJANGO_")) and k != "DATABASE_URL"
    }
    (tmp_path / "mail").mkdir()
    env |= {
        "DISCRETION_DATA_DIR": str(tmp_path / "data"),
        "DISCRETION_SECRET_KEY": "digest-worker-test",
        "DJANGO_SETTINGS_MODULE": "digest_worker_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]),
        "DIGEST_TEST_MAIL_DIR": str(tmp_path / "mail"),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    (tmp_path / "data" / "static").mkdir(parents=True)
    return env


def _postgres_database():
    """A fresh PostgreSQL database next to the test database, or None on a SQLite run."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    import psycopg

    name = f"discretion_digest_{secrets.token_hex(4)}"
    base, _, _ = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base, name


def _drop(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_two_workers_running_the_digest_at_once_send_each_person_one_email(tmp_path, backend):
    pg = _postgres_database() if backend == "postgres" else None
    if backend == "postgres" and pg is None:
        pytest.skip("the PostgreSQL half runs with DATABASE_URL set (./dev test does)")
    try:
        env = _env(tmp_path, f"{pg[0]}/{pg[1]}" if pg else None)
        subprocess.run([sys.executable, "-c", SEED], env=env, check=True, timeout=300)
        worker = [
            sys.executable,
            "-m",
            "discretion.web.manage",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
        ]
        workers = [
            subprocess.Popen(worker, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for _ in range(2)
        ]
        logs = [w.communicate(timeout=300)[0].decode(errors="replace") for w in workers]
        assert all(w.returncode == 0 for w in workers), logs

        recipients = Counter()
        for path in (tmp_path / "mail").iterdir():
            for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
                if raw.strip():
                    recipients[email.message_from_string(raw.strip())["To"]] += 1
        assert recipients == Counter({f"p{i}@alpha.example": 1 for i in range(PEOPLE)}), (recipients, logs)

        done = subprocess.run(
            [sys.executable, "-c", COUNT], env=env, check=True, capture_output=True, text=True
        )
        successful, waiting = map(int, done.stdout.split())
        assert (successful, waiting) == (2, 1), "both runs finished; one run for tomorrow is queued"
    finally:
        if pg:
            _drop(*pg)
