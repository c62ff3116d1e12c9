"""`discretion letter`: the filing copy of the request letter (DOCX, PDF), the preparer's review
sheet (Markdown, PDF), the transmittal e-mail, a marked-up draft on request, and the person's
plain-language summaries.

Everything is rendered in memory first and only then written, each file through a temporary
file and a rename, so a bad template or case never leaves a partial letter in OUTDIR. A
HIGH-risk override given here is recorded in OUTDIR's audit log (one JSON line per override:
when, who ran the command, who decided, why, which risks) and on the review sheet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import json
import os
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click
import pikepdf

from discretion import scratch
from discretion.casefile import load_case
from discretion.cli.screen import _as_of, _policies_dir, _policy, choose_policy, parse_as_of
from discretion.errors import DiscretionError
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts
from discretion.letters import (
    Letter,
    Override,
    build_letter,
    build_summary,
    high_risks,
    render_docx,
    render_pdf,
    render_review_pdf,
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
    try:
        # Each staged (locked, removed on every way out, swept after a kill -9), then all renamed.
        with ExitStack() as stack:
            staged: list[tuple[Path, Path]] = []
            for path, data in outputs.items():
                scratch.sweep_beside(path)
                fd, tmp = stack.enter_context(scratch.staged(path))
                handle = stack.enter_context(os.fdopen(fd, "wb"))
                handle.write(data)
                handle.flush()
                staged.append((tmp, path))
            for tmp, path in staged:
                os.replace(tmp, path)
    except OSError as exc:
        raise DiscretionError(f"{exc.filename or 'output'}: cannot write: {exc.strerror}") from None


AUDIT_LOG = "discretion-audit.jsonl"


def override_from_options(
    facts: CaseFacts, screening: Any, on: dt.date, reason: str | None, signed_by: str | None
) -> Override | None:
    """The HIGH-risk override given on the command line, covering the risks the screen finds now."""
    if reason is None:
        return None
    reason = reason.strip()
    if len(reason) < 10:
        raise DiscretionError(
            "--override-high-risk: say why the request is made despite the risks (10 characters or more)"
        )
    by = (signed_by or facts.representative.name or "").strip()
    if not by:
        raise DiscretionError("--signed-by: name the person who decides to ask despite the risks")
    action = facts.requested_action.value if facts.requested_action else ""
    risks = tuple(r.id for r in high_risks(screening, action))
    if not risks:
        raise DiscretionError(
            "--override-high-risk: the screen rates no HIGH risk for this request; leave it out"
        )
    return Override(by=by, on=on, reason=reason, risks=risks, recorded_in="command line")


def audit_entry(letter: Letter, override: Override) -> bytes:
    entry = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "event": "high_risk_override",
        "user": getpass.getuser(),
        "case": letter.case_id,
        "action": letter.action,
        "decided_by": override.by,
        "reason": override.reason,
        "risks": list(override.risks),
        "policy": letter.provenance.policy_id,
        "policy_sha256": letter.provenance.policy_sha256,
        "facts_sha256": letter.provenance.facts_digest,
        "as_of": letter.date.isoformat(),
    }
    return (json.dumps(entry, ensure_ascii=False) + "\n").encode()


def _append(path: Path, data: bytes) -> None:
    # Appended, never rewritten: an audit log keeps every entry.
    try:
        with path.open("ab") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise DiscretionError(
            f"{path}: cannot record the override in the audit log: {exc.strerror}"
        ) from None


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
@click.option(
    "--draft", is_flag=True, help="Also write a marked-up copy with every review item inline, for editing."
)
@click.option(
    "--override-high-risk",
    "override_reason",
    metavar="REASON",
    help="Ask for an action the screen rates HIGH risk anyway, recording why (audited; on the review sheet).",
)
@click.option("--signed-by", help="Who decides the override (default: the representative).")
@click.option(
    "--send-to",
    metavar="ADDRESS",
    help="A sending channel you have verified (the office's PD e-mail address, or 'ICE eService').",
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
    draft: bool,
    override_reason: str | None,
    signed_by: str | None,
    send_to: str | None,
    policies_dir: Path | None,
) -> None:
    """Write the request letter for CASE to OUTDIR: the filing copy, a review sheet and the e-mail.

    The filing copy (DOCX and PDF) argues the person's own facts under the policy in force on
    the date (or --policy), cites the exhibits that prove each factor, and carries no preparer
    marks. Everything to check before sending is on the review sheet (Markdown and PDF); --draft
    writes a copy with the same items highlighted inline. The transmittal e-mail (.eml) carries
    the PDF. A request the screen rates HIGH risk is refused unless --override-high-risk says why.

    Example:

    \b
        discretion letter examples/maria-lopez.yaml -o out/ --summary en,es
        discretion letter case.yaml -o out/ --exhibits exhibits/ --template firm.docx --draft
    """
    wanted = _choices(formats, FORMATS, "--format")
    langs = _choices(summary_langs, languages(), "--summary") if summary_langs.strip() else []
    if outdir.exists() and not outdir.is_dir():
        raise DiscretionError(f"{outdir}: exists and is not a folder")
    on = parse_as_of(as_of)
    facts = load_case(case)
    policy = choose_policy(on, policy_id, policies_dir)
    screening = screen(facts, policy, on=on)
    override = override_from_options(facts, screening, on, override_reason, signed_by)
    drafted = build_letter(
        facts,
        screening,
        policy,
        on=on,
        exhibits=_exhibits(exhibits_dir),
        override=override,
        send_to=send_to,
    )
    stem = drafted.file_stem
    outputs: dict[Path, bytes] = {}
    pdf = None
    if "docx" in wanted:
        outputs[outdir / f"{stem}-request.docx"] = render_docx(drafted, template)
    if "pdf" in wanted:
        pdf = render_pdf(drafted, pdfa=pdfa)
        outputs[outdir / f"{stem}-request.pdf"] = pdf
    if draft:
        marked = drafted.as_draft()
        if "docx" in wanted:
            outputs[outdir / f"{stem}-request-DRAFT.docx"] = render_docx(marked, template)
        if "pdf" in wanted:
            outputs[outdir / f"{stem}-request-DRAFT.pdf"] = render_pdf(marked)
    assert drafted.review is not None and drafted.transmittal is not None
    outputs[outdir / f"{stem}-review.md"] = drafted.review.markdown().encode()
    outputs[outdir / f"{stem}-review.pdf"] = render_review_pdf(drafted.review)
    sender = facts.representative.email
    outputs[outdir / f"{stem}-transmittal.eml"] = drafted.transmittal.message(pdf, sender=sender, on=on)
    for lang in langs:
        summary = build_summary(drafted, facts, lang, screening=screening, policy=policy)
        outputs[outdir / f"{stem}-summary-{lang}.pdf"] = render_summary_pdf(summary)
        outputs[outdir / f"{stem}-summary-{lang}.docx"] = render_summary_docx(summary)
    try:
        outdir.mkdir(parents=True, exist_ok=True)  # only now: a failed render creates nothing
    except OSError as exc:
        raise DiscretionError(f"{outdir}: cannot create the folder: {exc.strerror}") from None
    _write_all(outputs)
    if override is not None:
        _append(outdir / AUDIT_LOG, audit_entry(drafted, override))
    for path in outputs:
        click.echo(f"wrote {path}")
    if override is not None:
        click.echo(f"recorded the HIGH-risk override in {outdir / AUDIT_LOG}")
    review = drafted.review
    click.echo(
        f"policy {policy.id} as of {on.isoformat()}; {len(review.items)} item(s) to check on the review sheet"
        + (f", {len(review.blocking)} to resolve before sending:" if review.blocking else ".")
    )
    for item in review.blocking:
        click.secho(f"  - {item.text}", fg="yellow")


COMMANDS: list[click.Command] = [letter]
