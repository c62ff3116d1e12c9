"""Run the workbench: migrations, demo data, the task worker and the WSGI server processes.

The web layer's half of `discretion serve` (the CLI in ``discretion.cli.serve`` only parses
options): everything here may touch Django, which the core and the CLI never import.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
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
) -> None:
    """Apply migrations, seed (demo mode), start the worker and serve until stopped."""
    setup_django(data)
    from django.core.management import call_command

    click.echo("Applying database migrations...")
    call_command("migrate", interactive=False, verbosity=0)
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

    worker = None
    if not no_worker:
        # The daily digest of what is due recurs on the worker; queue it if nothing is queued.
        call_command("send_digest", schedule=True, verbosity=0)
        worker = subprocess.Popen(
            [sys.executable, "-m", "discretion.web.manage", "db_worker", "--interval", "1"],
            env=os.environ.copy(),
        )

        def stop_worker() -> None:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

        atexit.register(stop_worker)
        # A plain SIGTERM would skip atexit and orphan the worker: exit cleanly instead.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    from django.db import connections
    from waitress import serve as waitress_serve

    from discretion.web.wsgi import application

    processes = processes or max(1, os.cpu_count() or 1)
    sock = _listen(host, port)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"Workbench: http://{shown}:{port}/  (log in at http://{shown}:{port}/accounts/login/)")
    click.echo(
        f"Data folder: {data.resolve()}   {processes} server process(es) x {threads} threads.   Press Ctrl+C to stop."
    )

    def run_server() -> None:
        # The app decides which proxy's X-Forwarded-* to believe (web/lib/proxy.py); waitress
        # would otherwise drop them all, and every page behind a TLS proxy loops on 301.
        waitress_serve(
            application,
            sockets=[sock],
            threads=threads,
            ident="discretion",
            _quiet=True,
            clear_untrusted_proxy_headers=False,
        )

    if processes == 1:
        with contextlib.suppress(KeyboardInterrupt):
            run_server()
        return
    # Pre-fork: every child accepts on the same listening socket. No database connection may be
    # shared across the fork.
    connections.close_all()
    children = [_fork_server(run_server) for _ in range(processes)]
    _supervise(children)


def _listen(host: str, port: int) -> socket.socket:
    """Bind the listening socket once, before forking, so every server process accepts on it."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(info[4])
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _fork_server(run_server: Callable[[], None]) -> int:
    pid = os.fork()
    if pid:
        return pid
    # Child: die with the parent, exit on SIGTERM/SIGINT without running the parent's atexit
    # handlers (they would stop the shared task worker).
    code = 0
    try:
        _die_with_parent()
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        signal.signal(signal.SIGINT, lambda *_: os._exit(0))
        run_server()
    except BaseException:  # noqa: BLE001 - the child must never return into the parent's code
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)
    return 0  # pragma: no cover


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to this process when its parent dies (even by SIGKILL)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _supervise(children: list[int]) -> None:
    """Wait until a child exits or we are told to stop, then stop every child."""
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    alive = set(children)
    try:
        while alive and not stopping:
            for pid in list(alive):
                # Only our server processes: waitpid(-1) would also reap the task worker.
                done, _status = os.waitpid(pid, os.WNOHANG)
                if done:
                    alive.discard(pid)
                    click.echo(f"Server process {pid} exited; stopping.", err=True)
                    stopping = True
            time.sleep(0.2)
    finally:
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while alive and time.monotonic() < deadline:
            for pid in list(alive):
                with contextlib.suppress(ChildProcessError):
                    done, _status = os.waitpid(pid, os.WNOHANG)
                    if not done:
                        continue
                alive.discard(pid)
            time.sleep(0.05)
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
