"""`discretion` commands: screen, screen-batch, batch-template, schema.

Each is a few lines over the core: ``casefile`` reads, ``screening`` decides, ``report`` and
``batch`` write. The CLI is the only place that reads the clock: ``--as-of`` defaults to today.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import date
from pathlib import Path

import click

from discretion import batch, docket, report, scratch
from discretion.casefile import case_schema_text, field_reference, load_case
from discretion.errors import DiscretionError
from discretion.policies import Catalogue, Policy, load_policies, shipped
from discretion.screening import screen as screen_case


def parse_as_of(value: str | None) -> date:
    """``--as-of`` as a date; today when not given. Bad values are one-line errors."""
    if value is None:
        return date.today()
    try:
        return docket.parse_date(value, "--as-of")
    except docket.RowError as exc:
        raise DiscretionError(f"--as-of: {exc.reason}") from None


def choose_policy(on: date, policy_id: str | None, policies_dir: Path | None) -> Policy:
    if policies_dir and not policies_dir.is_dir():
        raise DiscretionError(f"--policies-dir: {policies_dir} is not a folder")
    catalogue: Catalogue = load_policies(policies_dir) if policies_dir else shipped()
    if policy_id:
        policy = catalogue.get(policy_id)
        if not policy.in_force_on(on):
            click.secho(
                f"note: {policy.id} was not in force on {on.isoformat()}; screening against it as asked",
                fg="yellow",
                err=True,
            )
        return policy
    return catalogue.select(on)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so a failure never leaves half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise DiscretionError(f"{path}: the folder {directory} does not exist")
    scratch.sweep_beside(path)  # what a killed run left
    try:
        # Staged: locked while written, removed on every way out (an unwritable character,
        # Ctrl-C), swept by the next run after a kill -9.
        with scratch.staged(path) as (fd, tmp), os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.replace(tmp, path)
    except OSError as exc:
        raise DiscretionError(f"{path}: cannot write: {exc.strerror}") from None


_as_of = click.option(
    "--as-of", "as_of", metavar="DATE", help="Screen as of this date, YYYY-MM-DD (default: today)."
)
_policy = click.option(
    "--policy", "policy_id", metavar="ID", help="Use this policy instead of the one in force on the date."
)
# Hidden: lets tests and policy authors point at a directory of draft policy files.
_policies_dir = click.option(
    "--policies-dir",
    type=click.Path(file_okay=False, path_type=Path),
    hidden=True,
)


@click.command()
@click.argument("case", type=click.Path(path_type=Path))
@_as_of
@_policy
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for reading, markdown for notes, json for programs (the Screening contract).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
@_policies_dir
def screen(
    case: Path,
    as_of: str | None,
    policy_id: str | None,
    fmt: str,
    output: Path | None,
    policies_dir: Path | None,
) -> None:
    """Screen CASE (a .yaml or .json case file) against the PD policy in force.

    Shows priorities, unfavourable and favourable factors, risks, other relief to review,
    the facts still missing and any impossible facts, each with its citation.

    Example:

    \b
        discretion screen examples/maria-lopez.yaml --as-of 2026-11-28
        discretion screen case.yaml --format json -o screening.json
    """
    on = parse_as_of(as_of)
    facts = load_case(case)
    policy = choose_policy(on, policy_id, policies_dir)
    result = screen_case(facts, policy, on=on)
    if fmt == "json":
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "markdown":
        text = report.render_markdown(result, facts)
    else:
        to_terminal = output is None and sys.stdout.isatty()
        width = shutil.get_terminal_size((96, 24)).columns - 1 if to_terminal else 96
        text = report.render_text(result, facts, width=width, colour=to_terminal)
    if output:
        write_atomically(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@click.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
@click.option(
    "--markdown", is_flag=True, help="Print the field tables of docs/case-file.md instead of JSON Schema."
)
def schema(output: Path | None, markdown: bool) -> None:
    """Print the JSON Schema of a case file, generated from the facts model.

    Editors such as VS Code use it to complete and check case files as you type.

    Example:

    \b
        discretion schema -o case.schema.json
    """
    text = field_reference() if markdown else case_schema_text()
    if output:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)


@click.command("screen-batch")
@click.argument("cases", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Results CSV: one row per screened case (required unless --parse-only).",
)
@click.option(
    "--errors",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Errors CSV: row, column and reason for each rejected row (default: print the first 20).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    help="Processes that screen in parallel (default 0 = one per CPU for files over 1 MiB, else 1).",
)
@click.option(
    "--parse-only",
    is_flag=True,
    help="Read and check every row (bad rows rejected as usual) but screen nothing and write no results.",
)
# Hidden: the benchmark's resource figures, one JSON line on stderr (the workers' CPU and RSS
# are not visible to whoever waits for this process).
@click.option("--stats", is_flag=True, hidden=True)
@_as_of
@_policy
@_policies_dir
def screen_batch(
    cases: Path,
    output: Path | None,
    errors: Path | None,
    workers: int,
    parse_only: bool,
    stats: bool,
    as_of: str | None,
    policy_id: str | None,
    policies_dir: Path | None,
) -> None:
    """Screen every case in a docket CSV (layout: docs/batch-csv.md) into a results CSV.

    Bad rows are rejected with their row number, column and reason and the run goes on; the
    exit status is 1 when any row was rejected. Start from `discretion batch-template`.

    --parse-only does the same run without screening: a quick check of a docket, and the
    baseline of benchmarks/screen_batch.py.

    Example:

    \b
        discretion screen-batch docket.csv -o results.csv --errors rejected.csv
        discretion screen-batch docket.csv --parse-only --errors rejected.csv
    """
    if output is None and not parse_only:
        raise click.UsageError("Missing option '-o' / '--output' (only --parse-only runs without it).")
    if output is not None and parse_only:
        raise click.UsageError("--parse-only writes no results: leave out -o / --output.")
    on = parse_as_of(as_of)
    policy = choose_policy(on, policy_id, policies_dir)
    for path in (output, errors):
        if path is not None and path.resolve() == cases.resolve():
            raise DiscretionError(f"{path}: would overwrite the cases file; choose another name")
    if errors is not None and output is not None and errors.resolve() == output.resolve():
        raise DiscretionError(f"{errors}: --errors and --output must be different files")
    if workers == 0:
        # Starting workers costs a fraction of a second: worth it only for a real docket.
        big = cases.is_file() and cases.stat().st_size > 2**20
        workers = (os.cpu_count() or 1) if big else 1
    if sys.stderr.isatty() and cases.is_file():
        with click.progressbar(
            length=cases.stat().st_size, label="screening", file=sys.stderr, show_percent=True
        ) as bar:
            done = 0

            def advance(position: int) -> None:
                nonlocal done
                bar.update(position - done)
                done = position

            summary = batch.run(
                cases,
                output,
                policy=policy,
                on=on,
                errors=errors,
                progress=advance,
                workers=workers,
                parse_only=parse_only,
            )
    else:
        summary = batch.run(
            cases, output, policy=policy, on=on, errors=errors, workers=workers, parse_only=parse_only
        )
    for row, column, reason in summary.sample:
        click.echo(f"{cases}: row {row}: {column}: {reason}", err=True)
    if summary.rejected > len(summary.sample) and not errors:
        click.echo(f"... and {summary.rejected - len(summary.sample)} more; use --errors FILE", err=True)
    where = f"; rejected rows in {errors}" if errors and summary.rejected else ""
    processes = f", {workers} workers" if workers > 1 else ""
    target = f" -> {output}" if output else ""
    click.echo(
        f"{summary.line()} (policy {policy.id}, as of {on.isoformat()}{processes}){target}{where}",
        err=True,
    )
    if stats:
        usage = summary.worker_usage.values()
        figures = {
            "workers": len(usage),
            "workers_cpu_s": round(sum(cpu for cpu, _ in usage), 3),
            "workers_peak_rss_kib": [rss for _, rss in usage],
        }
        click.echo("stats: " + json.dumps(figures), err=True)
    if summary.rejected:
        sys.exit(1)


@click.command("batch-template")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
@click.option(
    "--columns", is_flag=True, help="Print the column reference (Markdown) instead of the header row."
)
def batch_template(output: Path | None, columns: bool) -> None:
    """Print the header row of a docket CSV for screen-batch: every column, documented order.

    Each column is a case-file field (docs/batch-csv.md). Leave a cell empty when the fact is
    unknown; delete the columns you never use.

    Example:

    \b
        discretion batch-template -o docket.csv
    """
    text = docket.reference_markdown() if columns else batch.template()
    if output:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)


COMMANDS: list[click.Command] = [screen, schema, screen_batch, batch_template]
