"""A real `discretion serve` on a free loopback port, for browser tests and benchmarks.

The server runs exactly as a practitioner starts it (waitress WSGI server plus the database
task worker), against its own data folder. Personas are created first by ``seed_personas``
(run in a child process, so the caller's Django settings never leak into the server):

alice   attorney in Alpha Legal (edits everything)
rita    read-only member of Alpha Legal
charlie attorney in Other Org (must see nothing of Alpha's)
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "browser-tests-not-a-secret-9"
PERSONAS = [
    # username, first, last, organisation, role, org admin
    ("alice", "Alice", "Abara", "Alpha Legal", "attorney", True),
    ("rita", "Rita", "Reyes", "Alpha Legal", "read_only", False),
    ("charlie", "Charlie", "Chen", "Other Org", "attorney", True),
]

SEED = r"""
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from discretion.web.accounts.models import Membership, Organisation
call_command("migrate", interactive=False, verbosity=0)
password, people = sys.argv[1], eval(sys.argv[2])
for username, first, last, org_name, role, admin in people:
    org, _ = Organisation.objects.get_or_create(
        slug=org_name.lower().replace(" ", "-"), defaults={"name": org_name})
    user = get_user_model().objects.create_user(
        username=username, password=password, first_name=first, last_name=last)
    Membership.objects.create(user=user, organisation=org, role=role, is_org_admin=admin)
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of a server: nothing inherited from a test process's Django set-up."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCRETION_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env |= {
        "DISCRETION_DATA_DIR": str(data),
        "DISCRETION_SECRET_KEY": "browser-tests-only-not-secret",
        "DJANGO_SETTINGS_MODULE": "discretion.web.settings",
        "PYTHONUNBUFFERED": "1",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def seed_personas(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-c", SEED, PASSWORD, repr(PERSONAS)], env=env, check=True, timeout=300)


@dataclass
class Server:
    url: str
    data: Path
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server exited ({process.returncode}):\n{log.read_text(errors='replace')}"
            )
        with contextlib.suppress(OSError), urllib.request.urlopen(url + "/healthz", timeout=2) as r:
            if r.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {timeout:.0f}s:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM: `discretion serve` exits cleanly and stops its task worker itself."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def running_server(
    *,
    data: Path | None = None,
    database_url: str | None = None,
    extra_args: tuple[str, ...] = (),
    worker: bool = True,
    seed: bool = True,
    env_extra: dict[str, str] | None = None,
    startup_timeout: float = 120,
) -> Iterator[Server]:
    with contextlib.ExitStack() as stack:
        if data is None:
            data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="discretion-browser-")))
        env = server_env(data, database_url) | (env_extra or {})
        if seed:
            seed_personas(env)
        port = free_port()
        log = data / f"server-{port}.log"
        args = [
            sys.executable,
            "-c",
            "import sys; from discretion.cli import main; sys.exit(main())",
            "serve",
            "--data",
            str(data),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *extra_args,
        ]
        if not worker:
            args.append("--no-worker")
        with log.open("wb") as out:
            process = subprocess.Popen(
                args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url, process, log, timeout=startup_timeout)
            yield Server(url=url, data=data, process=process, log=log)
        finally:
            stop(process)
