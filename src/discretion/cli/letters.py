"""`discretion letter`: write the request letter (DOCX, PDF) and the person's plain-language summaries.

Everything is rendered in memory first and only then written, each file through a temporary
file and a rename, so a bad template or case never leaves a partial letter in OUTDIR.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

import click
import pikepdf

from discretion.casefile import load_case
from discretion.cli.screen import _as_of, _policies_dir, _policy, choose_policy, parse_as_of
from discretion.errors import DiscretionError
from discretion.exhibits import Exhibit
from discretion.letters import (
    build_letter,
    build_summary,
    render_docx,
    render_pdf,
    render_summary_docx,
    render_summary_pdf,
)
from discretion.letters.summary import languages
from discretion.screening import screen

FORMATS = ("docx", "pdf")


def _choices(value: str, allowed: tuple[str, ...] | list[str], option: str) -> list[str]:
    chosen = [v.strip().lower() for v in value.split(",") if v.strip()]
    bad = [v for v in chosen if v not in allowed]
    if bad or not chosen:
        raise DiscretionError(
            f"{option}: {', '.join(bad) or repr(value)} is not one of {', '.join(allowed)} (comma-separated)"
        )
    return list(dict.fromkeys(chosen))


def _exhibits(folder: Path | None) -> list[Exhibit]:
    if folder is None:
        return []
    # Imported here: the packet builder is only needed when exhibits are given.
    from discretion.packets import load_exhibits

    exhibits = load_exhibits(folder)
    return [_with_pages(e) for e in exhibits]


def _with_pages(exhibit: Exhibit) -> Exhibit:
    """Fill in a PDF exhibit's page count for the index; other files keep theirs unknown."""
    if exhibit.pages is not None or exhibit.file is None or exhibit.file.suffix.lower() != ".pdf":
        return exhibit
    try:
        with pikepdf.open(exhibit.file) as pdf:
            return dataclasses.replace(exhibit, pages=len(pdf.pages))
    except (pikepdf.PdfError, OSError):
        return exhibit  # the packet's preflight reports unreadable files; the index just omits pages


def _write_all(outputs: dict[Path, bytes]) -> None:
    """Write every file via a temporary name, then rename them all: no partial letter is left."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in outputs.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise DiscretionError(f"{exc.filename or 'output'}: cannot write: {exc.strerror}") from None


@click.command()
@click.argument("case", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--outdir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write into (created if missing).",
)
@_as_of
@_policy
@click.option("--format", "formats", default="docx,pdf", show_default=True, help="docx, pdf or both.")
@click.option("--pdfa", is_flag=True, help="Write the PDF as PDF/A-2b (archival).")
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A firm's own Word template (see docs/letter-template.md).",
)
@click.option(
    "--exhibits",
    "exhibits_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Exhibits folder (with exhibits.yaml, or files named in order): cited as (Exh. C) and indexed.",
)
@click.option(
    "--summary",
    "summary_langs",
    default="",
    metavar="LANGS",
    help="Also write the person's plain-language summary in these languages, e.g. en,es.",
)
@_policies_dir
def letter(
    case: Path,
    outdir: Path,
    as_of: str | None,
    policy_id: str | None,
    formats: str,
    pdfa: bool,
    template: Path | None,
    exhibits_dir: Path | None,
    summary_langs: str,
    policies_dir: Path | None,
) -> None:
    """Write the request letter for CASE to OUTDIR, as DOCX and PDF.

    The letter argues from the policy in force on the date (or --policy), cites the
    exhibits that prove each factor, and marks everything to verify before sending.
    Warnings for the practitioner are printed here, never in the letter.

    Example:

    \b
        discretion letter examples/maria-lopez.yaml -o out/ --summary en,es
        discretion letter case.yaml -o out/ --exhibits exhibits/ --template firm.docx --pdfa
    """
    wanted = _choices(formats, FORMATS, "--format")
    langs = _choices(summary_langs, languages(), "--summary") if summary_langs.strip() else []
    if outdir.exists() and not outdir.is_dir():
        raise DiscretionError(f"{outdir}: exists and is not a folder")
    on = parse_as_of(as_of)
    facts = load_case(case)
    policy = choose_policy(on, policy_id, policies_dir)
    screening = screen(facts, policy, on=on)
    drafted = build_letter(facts, screening, policy, on=on, exhibits=_exhibits(exhibits_dir))
    stem = "".join(c if c.isalnum() or c in "-_." else "-" for c in drafted.case_id)
    outputs: dict[Path, bytes] = {}
    if "docx" in wanted:
        outputs[outdir / f"{stem}-request.docx"] = render_docx(drafted, template)
    if "pdf" in wanted:
        outputs[outdir / f"{stem}-request.pdf"] = render_pdf(drafted, pdfa=pdfa)
    for lang in langs:
        summary = build_summary(drafted, facts, lang)
        outputs[outdir / f"{stem}-summary-{lang}.pdf"] = render_summary_pdf(summary)
        outputs[outdir / f"{stem}-summary-{lang}.docx"] = render_summary_docx(summary)
    try:
        outdir.mkdir(parents=True, exist_ok=True)  # only now: a failed render creates nothing
    except OSError as exc:
        raise DiscretionError(f"{outdir}: cannot create the folder: {exc.strerror}") from None
    _write_all(outputs)
    for path in outputs:
        click.echo(f"wrote {path}")
    click.echo(f"policy {policy.id} as of {on.isoformat()}; {len(drafted.warnings)} item(s) to check:")
    for warning in drafted.warnings:
        click.secho(f"  - {warning}", fg="yellow")


COMMANDS: list[click.Command] = [letter]
