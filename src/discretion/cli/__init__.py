"""The ``discretion`` command: thin click wrappers over the core, one module per subject.

Every command turns a DiscretionError into one line on stderr and a non-zero exit; a traceback
reaching a user is a bug.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from discretion.errors import DiscretionError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiscretionError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


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
