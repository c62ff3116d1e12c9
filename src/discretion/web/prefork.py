"""The hand-written pre-fork supervisor around waitress that `discretion serve` used before it
ran gunicorn: kept, as ``discretion serve --server waitress``, so that benchmarks/web_load.py
can measure the two on the same machine in one run (issue 12). Started by web.server as a child
process: ``python -m discretion.web.prefork --fd N --processes P --threads T``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import time
from collections.abc import Callable

import click


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    options = parser.parse_args()
    import django

    django.setup()
    from django.db import connections
    from waitress import serve as waitress_serve

    from discretion.web.wsgi import application

    sock = socket.socket(fileno=options.fd)
    sock.setblocking(False)

    def run_server() -> None:
        # The app decides which proxy's X-Forwarded-* to believe (web/lib/proxy.py); waitress
        # would otherwise drop them all, and every page behind a TLS proxy loops on 301.
        waitress_serve(
            application,
            sockets=[sock],
            threads=options.threads,
            ident="discretion",
            _quiet=True,
            clear_untrusted_proxy_headers=False,
        )

    if options.processes == 1:
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        with contextlib.suppress(KeyboardInterrupt):
            run_server()
        return
    # Pre-fork: every child accepts on the same listening socket. No database connection may be
    # shared across the fork.
    connections.close_all()
    children = [_fork_server(run_server) for _ in range(options.processes)]
    _supervise(children)


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


if __name__ == "__main__":
    main()
