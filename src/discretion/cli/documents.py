"""`discretion` commands: checklist (evidence to gather) and offices (where a request goes).

Thin wrappers over :mod:`discretion.evidence` and :mod:`discretion.offices`; this module only
chooses the policy, reads the exhibits folder and lays the results out as text, Markdown or
JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from discretion.casefile import load_case
from discretion.cli.screen import choose_policy, parse_as_of
from discretion.errors import DocumentError, NoPolicyInForce
from discretion.evidence import (
    MISSING,
    NEEDS_TRANSLATION,
    PROVIDED,
    Checklist,
    ChecklistItem,
    build_checklist,
)
from discretion.offices import OfficeMatch, directory, find_court
from discretion.screening import Screening, screen

_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for reading, markdown for notes, json for programs.",
)
_BOX = {PROVIDED: "[x]", MISSING: "[ ]", NEEDS_TRANSLATION: "[T]"}


@click.command()
@click.argument("case", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--as-of", "as_of", metavar="DATE", help="Screen as of this date, YYYY-MM-DD (default: today).")
@click.option("--policy", "policy_id", metavar="ID", help="Use this policy instead of the one in force.")
@click.option(
    "--exhibits",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    help="Exhibits folder (with exhibits.yaml naming item ids under proves:) to mark items provided.",
)
@_FORMAT
@click.option("--policies-dir", type=click.Path(file_okay=False, path_type=Path), hidden=True)
def checklist(
    case: Path,
    as_of: str | None,
    policy_id: str | None,
    folder: Path | None,
    fmt: str,
    policies_dir: Path | None,
) -> None:
    """Print the evidence checklist for CASE: required and recommended documents, and questions.

    Each item says what it proves, which rules it supports, its source and confidence, and
    whether it needs a certified English translation. With --exhibits, each item is marked
    provided, missing or needing translation.

    Example:

    \b
        discretion checklist examples/maria-lopez.yaml --as-of 2026-11-28
        discretion checklist case.yaml --exhibits exhibits/ --format markdown
    """
    on = parse_as_of(as_of)
    facts = load_case(case)
    try:
        screening: Screening | None = screen(facts, choose_policy(on, policy_id, policies_dir), on=on)
    except NoPolicyInForce as exc:
        # The documents a case needs do not depend on a policy being in force; only their weight does.
        click.secho(f"note: {exc} Weighing items by the facts alone.", fg="yellow", err=True)
        screening = None
    result = build_checklist(facts, screening, on=on)
    if folder is not None:
        from discretion.packets.manifest import load_exhibits

        result = result.with_exhibits(load_exhibits(folder))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_checklist(result, markdown=fmt == "markdown"))


def render_checklist(result: Checklist, *, markdown: bool = False) -> str:
    """The checklist as plain text or Markdown, required items first."""
    head = "# Evidence checklist" if markdown else "EVIDENCE CHECKLIST"
    lines = [
        head,
        f"Policy {result.policy_id or '(none)'} as of {result.on.isoformat() if result.on else '?'}",
    ]
    if result.exhibits_checked:
        counts = {s: sum(1 for i in result.required if i.status == s) for s in _BOX}
        lines.append(
            f"Required: {counts[PROVIDED]} provided, {counts[MISSING]} missing, "
            f"{counts[NEEDS_TRANSLATION]} need translation"
        )
    for title, items in (("Required", result.required), ("Recommended", result.recommended)):
        lines += ["", f"## {title} ({len(items)})" if markdown else f"{title.upper()} ({len(items)})"]
        for item in items:
            lines += _item_lines(item, markdown, result.exhibits_checked)
    if result.questions:
        lines += ["", "## Ask the client" if markdown else "ASK THE CLIENT"]
        for q in result.questions:
            lines.append(
                f"{'- ' if markdown else '  ? '}{q.question} ({q.path}; for {', '.join(q.for_items)})"
            )
    if result.unmatched_exhibits:
        lines += ["", "## Exhibits not matched" if markdown else "EXHIBITS NOT MATCHED"]
        lines += [f"{'- ' if markdown else '  ! '}{m}" for m in result.unmatched_exhibits]
    cites = "; ".join(c.text() for c in result.translation_citations)
    lines += ["", f"Translations: {result.translation_rule} ({cites})"]
    lines.append(
        "A screening and drafting aid, not a legal conclusion. [UNVERIFIED] marks practice convention."
    )
    return "\n".join(lines)


def _item_lines(item: ChecklistItem, markdown: bool, checked: bool) -> list[str]:
    box = _BOX[item.status] + " " if checked else ""
    mark = f" {item.confidence.mark}" if item.confidence.mark else ""
    exhibits = f" (exhibit {', '.join(item.exhibits)})" if item.exhibits else ""
    status = f" - {item.status}{exhibits}" if checked else ""
    # Markdown needs sub-bullets, or the lines under an item run together into one paragraph.
    bullet, pad = ("- ", "  - ") if markdown else ("  ", "      ")
    title = f"**{item.title}**" if markdown else item.title
    lines = [f"{bullet}{box}{title}{mark}{status}  [{item.id}]"]
    if item.detail:
        lines.append(f"{pad}{item.detail}")
    lines.append(f"{pad}Why: {item.why}")
    lines.append(f"{pad}{'Required' if item.required else 'Recommended'}: {item.requirement}")
    if item.advocacy:
        lines.append(f"{pad}Advocacy argument, not a factor in any PD memo found [UNVERIFIED].")
    if item.note:
        lines.append(f"{pad}Note: {item.note}")
    cites = "; ".join(c.text() for c in item.citations)
    lines.append(f"{pad}Source: {cites} [{item.confidence.value}]")
    if item.translation:
        lines.append(f"{pad}Translation: {item.translation}")
    return lines


@click.group()
def offices() -> None:
    """The OPLA field locations and the immigration courts each covers."""


@offices.command("list")
@_FORMAT
def offices_list(fmt: str) -> None:
    """List every OPLA field location with its address and courts.

    Example:

    \b
        discretion offices list --format markdown
    """
    data = directory()
    grouped = [(office, [c for c in data.courts if c.office_id == office.id]) for office in data.meta.offices]
    orphans = [c for c in data.courts if c.office_id is None]
    if fmt == "json":
        payload = {
            "last_verified": data.last_verified.isoformat(),
            "verified_how": data.meta.verified_how,
            "offices": [
                {
                    "id": office.id,
                    "name": f"OPLA {office.name}",
                    "area": office.area,
                    "address": office.address,
                    "address_confidence": office.address_confidence.value,
                    "email": office.email,
                    "locations": [loc.model_dump() for loc in office.locations],
                    "courts": [c.to_dict() for c in courts],
                }
                for office, courts in grouped
            ],
            "unrouted_courts": [c.to_dict() for c in orphans],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    md = fmt == "markdown"
    out = [
        "# OPLA field locations" if md else "OPLA FIELD LOCATIONS",
        f"Last verified {data.last_verified.isoformat()}: {data.meta.verified_how}",
    ]
    for office, courts in grouped:
        address = "; ".join(office.address) or "no main address on file"
        out += ["", f"## OPLA {office.name}" if md else f"OPLA {office.name}", f"  Area: {office.area}"]
        out.append(f"  Address: {address} [{office.address_confidence.value}, {_verify()}]")
        out.append(f"  PD e-mail: {office.email or 'not on file - ' + _verify()}")
        for court in courts:
            where = f" -> {court.location_id}" if court.location_id else ""
            out.append(f"  {'- ' if md else ''}{court.code}  {court.name}{where} [routing {court.routing}]")
    if orphans:
        out += ["", "Courts whose OPLA office is not published:"]
        out += [f"  {c.code}  {c.name}" for c in orphans]
    click.echo("\n".join(out))


def _verify() -> str:
    return "verify before sending"


@offices.command("show")
@click.argument("court")
@_FORMAT
def offices_show(court: str, fmt: str) -> None:
    """Show the OPLA office for COURT (EOIR code, court name or city).

    Example:

    \b
        discretion offices show "New York - Broadway"
        discretion offices show NYV --format json
    """
    data = directory()
    lookup = find_court(court)
    match = data.office_for_court(court)
    if match is None:
        if lookup.court is not None:
            raise DocumentError(
                f"{lookup.court.label}: which OPLA office handles its cases is not published "
                f"({lookup.court.notes or 'no source'}); ask EOIR or OPLA and verify before sending"
            )
        raise DocumentError(lookup.message)
    if fmt == "json":
        click.echo(json.dumps(match.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_office(match, markdown=fmt == "markdown"))


def render_office(match: OfficeMatch, *, markdown: bool = False) -> str:
    """An office match as an address block followed by its channel notes and warnings."""
    court = match.court.label if match.court else "several courts (see warnings)"
    lines: list[Any] = [f"# {match.name}" if markdown else match.name, f"Court: {court}"]
    lines += ["", *match.addressee]
    lines += list(match.address_lines) or [f"(no street address on file - {_verify()})"]
    if match.mailing_lines:
        lines.append("Mailing: " + ", ".join(match.mailing_lines))
    if match.phone:
        lines.append(f"Phone: {match.phone}")
    lines.append(f"PD e-mail: {match.email or 'not on file - ' + _verify()}")
    subject = match.subject_line or "office-specific rule not captured - ask the office"
    tag = f" [{match.subject_line_confidence.value}]" if match.subject_line_confidence else ""
    lines.append(f"Subject line: {subject}{tag}")
    lines.append(f"Verified: {'yes' if match.verified else 'NO'} (data last verified {match.last_verified})")
    lines += ["", "Warnings:"] + [f"  ! {w}" for w in match.warnings]
    lines += ["", "How to send:"] + [f"  - {n}" for n in match.channel_notes]
    lines.append(f"Source: {match.source}")
    return "\n".join(str(x) for x in lines)


COMMANDS: list[click.Command] = [checklist, offices]
