"""`discretion` commands: serve (the web workbench) and manage (Django's manage.py).

Only option parsing lives here; the web layer (``discretion.web.server``) does the rest, so
importing the CLI never imports Django.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click


@click.command()
@click.option(
    "--demo", is_flag=True, help="Create a demo organisation, people and sample cases, and print the logins."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--data",
    "data",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the SQLite database, uploads and generated files.",
)
@click.option(
    "--cases",
    default=0,
    type=click.IntRange(0, 1_000_000),
    help="With --demo: also bulk-create this many synthetic cases.",
)
@click.option(
    "--demo-password",
    envvar="DISCRETION_DEMO_PASSWORD",
    default="",
    help="With --demo: the password of every demo person (default: a new random one each start).",
)
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Web server threads."
)
@click.option(
    "--processes",
    default=None,
    type=click.IntRange(1, 64),
    help="Web server processes sharing the port (default: the number of CPUs).",
)
@click.option("--no-worker", is_flag=True, help="Do not start the background task worker.")
@click.option(
    "--server",
    type=click.Choice(["gunicorn", "waitress"]),
    default="gunicorn",
    show_default=True,
    help="The app server: gunicorn, or the older waitress pre-fork supervisor (kept for comparison).",
)
def serve(**options: Any) -> None:
    """Start the web workbench (gunicorn app server + supervised background worker).

    Example: discretion serve --demo --data ./demo-data

    DATABASE_URL switches from the embedded SQLite database to PostgreSQL; DISCRETION_STORAGE=s3
    keeps files in an S3-compatible bucket (docs/web.md, "Operations").
    """
    from discretion.web import server

    server.run(**options)


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--data", default="data", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(data: Path, args: tuple[str, ...]) -> None:
    """Run a Django management command for the workbench (migrate, createsuperuser, seed_demo...).

    Example: discretion manage --data ./data seed_demo --cases 10000
    """
    os.environ.setdefault("DISCRETION_DATA_DIR", str(data.resolve()))
    from discretion.web.manage import main

    main(list(args))


@click.group("audit")
def audit() -> None:
    """The web workbench's audit log."""


@audit.command("verify")
@click.option("--data", default="data", show_default=True, type=click.Path(file_okay=False, path_type=Path))
def audit_verify(data: Path) -> None:
    """Check the audit log's hash chain; report the first broken link (exit status 1).

    Example: discretion audit verify --data ./data   (DATABASE_URL for PostgreSQL)
    """
    os.environ.setdefault("DISCRETION_DATA_DIR", str(data.resolve()))
    from discretion.web.manage import main

    main(["audit_verify"])


COMMANDS: list[click.Command] = [serve, manage, audit]
