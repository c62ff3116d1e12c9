"""`discretion backup` and `discretion restore` (the work is in discretion.web.backup).

Only option parsing lives here, so importing the CLI never imports Django.
"""

from __future__ import annotations

from pathlib import Path

import click

DATA = click.option(
    "--data",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The deployment's data folder (its SQLite database, unless DATABASE_URL is set).",
)


@click.command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The archive to write.",
)
@DATA
def backup(output: Path, data: Path) -> None:
    """Write one encrypted archive of the database and every stored file, while serving.

    Example: discretion backup -o /backups/discretion-2026-12-04.dbk --data ./data
    """
    from discretion.web import backup as ops
    from discretion.web.server import setup_django

    setup_django(data)
    done = ops.backup(output)
    click.echo(
        f"Wrote {done['path']}: {done['cases']} cases, {done['files']} files, "
        f"{done['bytes'] / 1024 / 1024:.1f} MB in {done['seconds']} s."
    )
    if done["missing"]:
        click.echo(
            f"{len(done['missing'])} file(s) were deleted while the backup ran and are not in it.", err=True
        )


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DATA
def restore(archive: Path, data: Path) -> None:
    """Restore an archive into an empty deployment (a new data folder, or an empty DATABASE_URL).

    The archive's key must be in the configured keys. Migrations run afterwards, so an archive
    from an older version is upgraded. Example: discretion restore backup.dbk --data ./restored
    """
    from discretion.web import backup as ops
    from discretion.web.server import setup_django

    setup_django(data)
    done = ops.restore(archive)
    click.echo(
        f"Restored {done['cases']} cases and {done['files']} files (backup of {done['created']}) in {done['seconds']} s."
    )


COMMANDS: list[click.Command] = [backup, restore]
