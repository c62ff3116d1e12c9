"""Whole deployments in subprocesses, for the tests of workers, hosts, backups and restores:
a data folder, a database (SQLite in the folder, or a fresh PostgreSQL database when the web tests
run against PostgreSQL), Python snippets run with the workbench's settings, and processes
(`discretion serve`, `db_worker`) started with the same environment."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent

UPLOAD_MARKER = "UPLOADED-BYTES-7f3a9c"
SEED_CASE = (
    f"UPLOAD_MARKER = {UPLOAD_MARKER!r}\n"
    + r"""
import io, django
django.setup()
import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from web_builders import make_case, make_org, make_user
from discretion.web.documents.models import Letterhead, SignerProfile
from discretion.web.files.store import store

call_command("migrate", interactive=False, verbosity=0)
org = make_org("Alpha Legal")
alice = make_user("alice", org, "attorney", admin=True, password="correct horse battery")
Letterhead.objects.create(organisation=org, name="Alpha Legal Aid", address="1 Main St, Chicago, IL 60601")
SignerProfile.objects.create(user=alice, name="Alice Attorney", bar_number="6123456", bar_state="Illinois",
                             eoir_id="ZZ612345", phone="(312) 555-0101", email="alice@example.org")
case = make_case(org, by=alice, assigned_to=alice, screen=True, case_id="LEASE-1", requested_action="dismissal",
                 entry={"first_entry_on": "2004-11-03"},
                 proceedings={"court": "Chicago", "in_proceedings": True, "next_hearing": {"date": "2027-01-05"}},
                 representative={"name": "Alice Attorney", "kind": "attorney", "g28_filed": True, "eoir28_filed": True})
pdf = pikepdf.new(); pdf.add_blank_page(page_size=(612, 792)); pdf.docinfo["/Title"] = UPLOAD_MARKER
out = io.BytesIO(); pdf.save(out)
store(SimpleUploadedFile("lease.pdf", out.getvalue()), case=case, by=alice, description="Lease")
print(case.code)
"""
)


def postgres_base() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url.rpartition("/")[0] if url.startswith("postgres") else None


@contextlib.contextmanager
def fresh_database(backend: str) -> Iterator[str | None]:
    """None for SQLite (the data folder's file), else the URL of a new PostgreSQL database,
    dropped afterwards."""
    if backend == "sqlite":
        yield None
        return
    import psycopg

    base = postgres_base()
    assert base, "PostgreSQL runs need DATABASE_URL"
    name = f"discretion_t_{secrets.token_hex(4)}"
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backends() -> list[str]:
    return ["sqlite", "postgres"] if postgres_base() else ["sqlite"]


def environment(data: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCRETION_", "DJANGO_", "WEB_TEST_"))}
    env.pop("DATABASE_URL", None)
    (data / "static").mkdir(parents=True, exist_ok=True)
    env |= {
        "DISCRETION_DATA_DIR": str(data),
        "DISCRETION_SECRET_KEY": "deployment-tests-only",
        "DISCRETION_POLICY_DIR": str(HERE / "policies"),
        "DJANGO_SETTINGS_MODULE": "discretion.web.settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent), env.get("PYTHONPATH", "")]),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    env |= extra
    return env


def python(code: str, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode:
        raise AssertionError(f"snippet failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = open(log, "ab")  # noqa: SIM115 - the child keeps it
    return subprocess.Popen(args, env=env, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(check, timeout: float = 120, every: float = 0.3, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


def read(path: Path) -> str:
    with contextlib.suppress(FileNotFoundError), open(path, encoding="utf-8", errors="replace") as f:
        return f.read()
    return ""
