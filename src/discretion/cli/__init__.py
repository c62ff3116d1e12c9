"""The ``discretion`` command: thin click wrappers over the core, one module per subject.

Every command turns a DiscretionError into one line on stderr and a non-zero exit; a traceback
reaching a user is a bug.
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

import click

from discretion import scratch
from discretion.errors import DiscretionError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        # Scratch folders of runs that were killed (kill -9, power cut) go now: each is locked
        # by its maker while it lives, so only the dead ones' are removed (scratch.py).
        scratch.sweep()
        previous = _exit_on_signals()
        try:
            return super().invoke(ctx)
        except DiscretionError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)


def _terminated(number: int, frame: object) -> None:
    raise SystemExit(128 + number)  # unwinds like an error: temporary files are removed


def _exit_on_signals() -> dict[int, Any]:
    """SIGTERM and SIGHUP (a closed terminal) end the command through Python's unwinding, so
    every temporary file and folder is cleaned up; by default they kill it on the spot."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, None):
            previous[number] = signal.signal(number, _terminated)
    return previous


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="discretion")
def main() -> None:
    """Screen, advise, gather evidence, write and track prosecutorial-discretion requests.

    A screening and drafting aid for a practitioner, never a legal conclusion.
    """


def _register() -> None:
    # Each module exposes COMMANDS, a list of click commands; they are imported here, not
    # lazily, so a broken command fails the test suite rather than a user's shell.
    from discretion.cli import documents, letters, operations, packets, policies, screen, serve

    for module in (screen, policies, documents, letters, packets, serve, operations):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
