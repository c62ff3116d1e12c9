"""Run the workbench: migrations, demo data, then the app server and the task worker, supervised.

The web layer's half of `discretion serve` (the CLI in ``discretion.cli.serve`` only parses
options): everything here may touch Django, which the core and the CLI never import.

The app server is gunicorn (its own arbiter and pre-fork worker processes, gthread workers);
``--server waitress`` runs the hand-written supervisor it replaced (web.prefork), kept for the
benchmark. This process binds the port (so a port in use is one clear message), hands the
socket to the server, starts the task worker (``db_worker``, with job leases: worker.lease) and
watches both: a worker that dies is started again, with a growing pause if it keeps dying; if
the app server stops, everything stops. Children die with this process, even on kill -9.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import click


def setup_django(data: Path) -> None:
    # Client files and the database are readable by this user only.
    os.umask(0o077)
    (data / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns without STATIC_ROOT
    os.environ["DISCRETION_DATA_DIR"] = str(data.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.web.settings")
    import django

    django.setup()


def run(
    *,
    demo: bool,
    host: str,
    port: int,
    data: Path,
    cases: int,
    demo_password: str,
    threads: int,
    processes: int | None,
    no_worker: bool,
    server: str = "gunicorn",
) -> None:
    """Apply migrations, seed (demo mode), start the worker and serve until stopped."""
    setup_django(data)
    from django.core.management import call_command

    click.echo("Applying database migrations...")
    from discretion.web.audit.roles import migrate

    migrate(interactive=False, verbosity=0)  # as the owner, if one is configured (docs/web.md)
    from discretion.web.cases.management.commands import seed_demo

    if demo:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        call_command("seed_demo", cases=cases, password=demo_password, base_url=f"http://{shown}:{port}")
    else:
        disabled = seed_demo.disable_demo_people()
        if disabled:
            click.echo(f"Disabled {disabled} demo login(s): demo accounts only work with --demo.")
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(is_active=True).exists():
            click.echo(
                "No one can log in yet. Create an organisation and its first admin with:\n"
                f"  discretion manage --data {data} create_organisation 'Org name' USERNAME"
            )
    if not no_worker:
        # The daily digest of what is due recurs on the worker; queue it if nothing is queued.
        call_command("send_digest", schedule=True, verbosity=0)
    from django.db import connections

    connections.close_all()  # the children open their own

    processes = processes or max(1, os.cpu_count() or 1)
    sock = _listen(host, port)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    bound = sock.getsockname()[1]
    click.echo(f"Workbench: http://{shown}:{bound}/  (log in at http://{shown}:{bound}/accounts/login/)")
    click.echo(
        f"Data folder: {data.resolve()}   {processes} server process(es) x {threads} threads ({server})."
        "   Press Ctrl+C to stop."
    )
    # Request metrics are counted by every gunicorn worker into files here (web/monitoring.py).
    metrics_dir = tempfile.mkdtemp(prefix="discretion-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    children = [
        Child("app server", server_command(server, sock.fileno(), processes, threads), keep_fd=sock.fileno())
    ]
    if not no_worker:
        children.append(Child("task worker", worker_command(), restart=True))
    try:
        Supervisor(children).run()
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


def server_command(server: str, fd: int, processes: int, threads: int) -> list[str]:
    if server == "waitress":
        return [sys.executable, "-m", "discretion.web.prefork", "--fd", str(fd)] + [
            "--processes",
            str(processes),
            "--threads",
            str(threads),
        ]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "discretion.web.wsgi:application",
        f"--bind=fd://{fd}",
        f"--workers={processes}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--preload",  # import Django once, fork the workers (no database connection is open yet)
        "--graceful-timeout=10",
        "--timeout=120",  # a request may render a letter
        "--keep-alive=5",
        "--log-level=warning",
        "--error-logfile=-",
        # The app alone decides which proxy's X-Forwarded-* to believe (web/lib/proxy.py):
        # gunicorn would otherwise take X-Forwarded-Proto from anyone on 127.0.0.1.
        "--forwarded-allow-ips=",
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "discretion.web.manage", "db_worker", "--interval", "1", "--no-reload"]


def _listen(host: str, port: int) -> socket.socket:
    """Bind the listening socket here, so a port in use is one clear message and the children share it."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(info[4])
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to this process when its parent dies (even by SIGKILL)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    name: str
    command: list[str]
    restart: bool = False
    keep_fd: int | None = None
    process: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0
    next_start: float = 0.0
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            env=os.environ.copy(),
            pass_fds=(self.keep_fd,) if self.keep_fd is not None else (),
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only a prctl call, before exec
        )
        self.started = time.monotonic()


class Supervisor:
    """Start the children; restart those that may be restarted; stop all when told or when one
    that may not be restarted (the app server) exits."""

    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self.stopping = False

    def _stop(self, *_: object) -> None:
        self.stopping = True

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for child in self.children:
            child.start()
        try:
            while not self.stopping:
                for child in self.children:
                    self._watch(child)
                time.sleep(0.2)
        finally:
            self._stop_all()

    def _watch(self, child: Child) -> None:
        now = time.monotonic()
        if child.process is None:
            if now >= child.next_start and not self.stopping:
                child.start()
                child.restarts += 1
            return
        code = child.process.poll()
        if code is None:
            return
        if not child.restart:
            click.echo(f"The {child.name} exited (code {code}); stopping.", err=True)
            self.stopping = True
            return
        # Ran a minute or more: a fresh failure. Dying at once again and again: wait longer.
        child.failures = 1 if now - child.started >= 60 else child.failures + 1
        pause = min(30.0, 0.5 * 2 ** (child.failures - 1))
        click.echo(
            f"The {child.name} (pid {child.process.pid}) exited (code {code}); starting it again in {pause:g} s.",
            err=True,
        )
        child.process = None
        child.next_start = now + pause

    def _stop_all(self) -> None:
        running = [c.process for c in self.children if c.process is not None and c.process.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
