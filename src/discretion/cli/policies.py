"""`discretion policies` commands: list, show, diff, check, docs.

Thin wrappers over ``policies`` (loading, dates), ``policy_diff`` and ``policy_docs``. Text
output is aligned for a terminal, coloured only on a TTY (click strips styles otherwise), and
every unsure rule or source carries its confidence mark, e.g. ``[UNVERIFIED]``.
"""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import click

from discretion.cli.screen import parse_as_of, write_atomically
from discretion.errors import DiscretionError
from discretion.policies import (
    SECTIONS,
    Catalogue,
    Policy,
    check_policies,
    load_policies,
    policy_warnings,
    shipped,
)
from discretion.policy_diff import diff_policies, to_lines
from discretion.policy_docs import (
    citation_text,
    params_text,
    policy_markdown,
    policy_to_dict,
    render_policies_markdown,
    rule_origins,
)
from discretion.relief import RELIEF_FILE, check_relief, load_relief
from discretion.rules import Confidence, Rule

# src/discretion/cli/policies.py -> the repository root, when run from a source checkout.
_REPO_DOCS = Path(__file__).resolve().parents[3] / "docs" / "policies.md"

_policies_dir = click.option(
    "--policies-dir",
    type=click.Path(file_okay=False, path_type=Path),
    hidden=True,
    help="A directory of policy files to use instead of the shipped ones.",
)


def _fmt(*choices: str) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


def _catalogue(policies_dir: Path | None) -> Catalogue:
    return load_policies(policies_dir) if policies_dir else shipped()


def _unsure(confidence: Confidence) -> str:
    mark = confidence.mark
    return (
        " " + click.style(mark, fg="yellow" if confidence is Confidence.PARTIAL else "red", bold=True)
        if mark
        else ""
    )


def _unsure_counts(policy: Policy) -> str:
    counts = Counter(r.confidence for r in policy.rules if r.confidence.is_unsure)
    return ", ".join(
        f"{counts[c]} {c.mark}" for c in (Confidence.UNVERIFIED, Confidence.PARTIAL) if counts[c]
    )


def _wrap(text: str, first: str, rest: str | None = None) -> str:
    """``text`` filled to the terminal width (COLUMNS, 80 to 120), after the prefix ``first``."""
    width = max(80, min(shutil.get_terminal_size((100, 24)).columns, 120))
    hang = " " * len(first) if rest is None else rest
    return textwrap.fill(
        " ".join(text.split()), width, initial_indent=first, subsequent_indent=hang, break_on_hyphens=False
    )


def _pairs(items: list[tuple[str, str]], indent: int = 6, key_width: int = 11) -> None:
    """Aligned ``key: value`` lines; a key repeated in a row is written once."""
    previous = None
    for key, value in items:
        label = f"{key}:" if key != previous else ""
        click.echo(_wrap(value, " " * indent + f"{label:<{key_width}} "))
        previous = key


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group("policies")
def policies() -> None:
    """List, show, compare and check the PD policies on file."""


@policies.command("list")
@click.option(
    "--as-of", "as_of", metavar="DATE", help="Mark what was in force on this date (default: today)."
)
@_fmt("text", "json")
@_policies_dir
def list_policies(as_of: str | None, fmt: str, policies_dir: Path | None) -> None:
    """Every policy on file with its dates and status; `*` marks the one governing the date.

    Example:

    \b
        discretion policies list --as-of 2022-06-01
    """
    on = parse_as_of(as_of)
    catalogue = _catalogue(policies_dir)
    governing = next(iter(catalogue.in_force(on)[-1:]), None)
    if fmt == "json":
        _echo_json(
            {
                "as_of": on.isoformat(),
                "governing": governing.id if governing else None,
                "policies": [_list_entry(p, on) for p in catalogue],
            }
        )
        return
    click.echo(f"PD policies on file, as of {on.isoformat()} (* governs that date, + also in force)")
    width = max([len(p.id) for p in catalogue] + [2])
    click.echo(
        click.style(f"  {'ID':<{width}}  EFFECTIVE   ENDED       STATUS                  TITLE", bold=True)
    )
    for p in catalogue:
        m = p.meta
        flag = "*" if p is governing else "+" if p.in_force_on(on) else " "
        line = f"{flag} {p.id:<{width}}  {m.effective}  {str(m.ended or '-'):<10}  {m.status:<22}  {_short(m.title)}"
        click.echo(click.style(line, bold=True) if p is governing else line)
        for s in m.suspensions:
            now = " (suspended on that date)" if p.suspension_on(on) is s else ""
            click.echo(
                _wrap(
                    s.reason,
                    f"  {'':<{width}}  suspended {s.start} to {s.end or 'further notice'}{now}: ",
                    " " * (width + 14),
                )
            )
        unsure = _unsure_counts(p)
        if unsure:
            click.echo(f"  {'':<{width}}  unsure rules: {unsure}")
    if governing is None:
        click.secho(f"No policy on file was in force on {on.isoformat()}.", fg="yellow")


def _list_entry(p: Policy, on: date) -> dict[str, Any]:
    m = p.meta
    return {
        "id": p.id,
        "title": m.title,
        "effective": m.effective.isoformat(),
        "ended": m.ended.isoformat() if m.ended else None,
        "status": m.status,
        "in_force": p.in_force_on(on),
        "suspended": p.suspension_on(on) is not None,
        "suspensions": [
            {"from": s.start.isoformat(), "until": s.end.isoformat() if s.end else None, "reason": s.reason}
            for s in m.suspensions
        ],
        "unsure_rules": sum(1 for r in p.rules if r.confidence.is_unsure),
    }


@policies.command()
@click.argument("policy_id", metavar="ID")
@_fmt("text", "markdown", "json")
@_policies_dir
def show(policy_id: str, fmt: str, policies_dir: Path | None) -> None:
    """Everything about one policy: dates, suspensions, sources, and every rule with its citation.

    Example:

    \b
        discretion policies show mayorkas-2021
    """
    catalogue = _catalogue(policies_dir)
    policy = catalogue.get(policy_id)
    origins = rule_origins(policy, catalogue)
    if fmt == "json":
        _echo_json(policy_to_dict(policy, origins))
    elif fmt == "markdown":
        click.echo("\n".join(policy_markdown(policy, level=1, origins=origins)).rstrip())
    else:
        _show_text(policy, origins)


def _show_text(policy: Policy, origins: dict[str, str]) -> None:
    m = policy.meta
    click.secho(f"{m.title} ({m.id})", bold=True)
    rows = [
        ("Issuer", m.issuer),
        ("Issued", m.issued),
        ("Effective", m.effective),
        ("Ended", f"{m.ended}" + (f" ({m.ended_by})" if m.ended_by else "") if m.ended else "not ended"),
        ("Status", m.status),
        ("Includes", ", ".join(m.includes) or "none"),
        ("sha256", policy.sha256[:16]),
    ]
    for key, value in rows:
        click.echo(_wrap(str(value), f"  {key:<10} "))
    click.echo("")
    click.echo(_wrap(m.summary, ""))
    if m.confidence_note:
        click.secho(_wrap(m.confidence_note, "Confidence: ", ""), fg="yellow")
    if m.not_priority_argument:
        click.echo(_wrap(m.not_priority_argument, "Not-a-priority argument: ", ""))
    click.echo("")
    click.secho("Suspensions:", bold=True)
    for s in m.suspensions:
        click.echo(_wrap(s.reason, f"  {s.start} to {s.end or 'further notice'}: ", "      "))
        _pairs([("cites", c) for c in citation_text(s.cite, policy.sources, markdown=False)])
    if not m.suspensions:
        click.echo("  none on file")
    click.secho("Sources:", bold=True)
    width = max(len(s) for s in policy.sources)
    for source in policy.sources.values():
        date_text = f" ({source.date})" if source.date else ""
        click.echo(_wrap(source.title + date_text, f"  {source.id:<{width}}  ") + _unsure(source.confidence))
        if source.href:
            click.echo(f"  {'':<{width}}  {source.href}")
    for section, kind in SECTIONS.items():
        rules = policy.rules_of(kind)
        if rules:
            click.echo("")
            click.secho(f"{section.capitalize()} ({len(rules)}):", bold=True)
            for rule in rules:
                _rule_text(rule, policy, origins.get(rule.id, policy.id))


def _rule_text(rule: Rule, policy: Policy, origin: str) -> None:
    label = _wrap(rule.label, f"  {rule.id}  ", "      ")[len(rule.id) + 2 :]
    click.echo(f"  {click.style(rule.id, bold=True)}{label}{_unsure(rule.confidence)}")
    test = rule.test + (f"({params_text(rule.params)})" if rule.params else "")
    lines = [("test", test), ("confidence", rule.confidence.value)]
    if origin != policy.id:
        lines.insert(0, ("from", origin))
    lines += [("cites", c) for c in citation_text(rule.cite, policy.sources, markdown=False)]
    if rule.level:
        lines.append(("risk", f"{rule.level}; lowered by: {'; '.join(rule.lowered_by)}"))
    lines += [("evidence", e) for e in rule.evidence]
    if rule.letter:
        lines.append(("letter", rule.letter))
    if rule.note:
        lines.append(("note", rule.note))
    _pairs(lines)


@policies.command()
@click.argument("old_id", metavar="ID1")
@click.argument("new_id", metavar="ID2")
@_fmt("text", "markdown", "json")
@_policies_dir
def diff(old_id: str, new_id: str, fmt: str, policies_dir: Path | None) -> None:
    """What changed from policy ID1 to ID2: dates, status, sources, rules added/removed/changed.

    Rules are paired by id, else by the same test with similar parameters, else by label.

    Example:

    \b
        discretion policies diff johnson-2014 mayorkas-2021
    """
    catalogue = _catalogue(policies_dir)
    result = diff_policies(catalogue.get(old_id), catalogue.get(new_id))
    if fmt == "json":
        _echo_json(result.to_dict())
        return
    colours = {"+": "green", "-": "red", "~": "yellow"}
    for line in to_lines(result, markdown=fmt == "markdown"):
        click.echo(
            click.style(line, fg=colours.get(line[:1]))
            if fmt == "text" and line[:2].strip() in colours
            else line
        )


@policies.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(directory: Path | None, strict: bool) -> None:
    """Validate every policy file (and, by default, the relief file); one line per problem.

    Exits 1 when there is any problem (or, with --strict, any warning). Warnings are
    things that load but look wrong, such as a list item split in two at a comma.

    Example:

    \b
        discretion policies check
        discretion policies check drafts/
    """
    problems = check_policies(directory)
    warnings = policy_warnings(directory) if directory is None or directory.is_dir() else []
    checked = "policy files in " + str(directory) if directory else "shipped policy files"
    if directory is None and RELIEF_FILE.exists():
        relief = check_relief(RELIEF_FILE)[2]
        problems += relief.found
        warnings += relief.warnings
        checked += " and relief.yaml"
    for problem in problems:
        click.secho(problem, fg="red")
    for warning in warnings:
        click.secho(f"warning: {warning}", fg="yellow")
    tally = f"{_count(problems, 'problem')}, {_count(warnings, 'warning')}"
    if problems or (strict and warnings):
        click.echo(f"{tally} found.", err=True)
        sys.exit(1)
    click.secho(
        f"ok: no problems in the {checked}" + (f" ({_count(warnings, 'warning')})" if warnings else ""),
        fg="green",
    )


def _count(items: list[str], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


@policies.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: docs/policies.md of this checkout; - for stdout).",
)
@click.option("--check", "check_only", is_flag=True, help="Do not write; exit 1 if the file is stale.")
@_policies_dir
@click.option("--relief", "relief_file", type=click.Path(dir_okay=False, path_type=Path), hidden=True)
def docs(output: Path | None, check_only: bool, policies_dir: Path | None, relief_file: Path | None) -> None:
    """Generate docs/policies.md from the policy and relief data.

    Example:

    \b
        discretion policies docs
        discretion policies docs --check
    """
    relief_path = relief_file or RELIEF_FILE
    relief = load_relief(relief_path) if relief_path.exists() else None
    text = render_policies_markdown(_catalogue(policies_dir), relief)
    if str(output) == "-":
        click.echo(text, nl=False)
        return
    target = output or (_REPO_DOCS if _REPO_DOCS.parent.is_dir() else Path("docs/policies.md"))
    if check_only:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            state = "is missing" if current is None else "is stale"
            raise DiscretionError(f"{target} {state}: run `discretion policies docs`")
        click.secho(f"ok: {target} is up to date", fg="green")
        return
    write_atomically(target, text)
    click.echo(f"wrote {target}")


COMMANDS: list[click.Command] = [policies]
