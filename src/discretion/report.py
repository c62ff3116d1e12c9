"""A screening as a human reads it: plain text for a terminal, Markdown for notes and the web.

Both renderers walk the same :class:`~discretion.screening.Screening` in the same order (header,
summary, priorities, unfavourable and favourable factors, risks, other relief, missing facts,
problems), so what a practitioner sees on screen, pastes into a file note or reads in the web app
says the same thing. Every conclusion that rests on a partial or unverified source carries the
source's confidence mark, and an undecided rule says which fact to ask the client about.

The A-number is printed in full: the practitioner needs it on every page of a file. It is never
logged; these functions only return strings.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import click

from discretion.disputes import describe as describe_disputes
from discretion.facts import CaseFacts
from discretion.predicates import Outcome
from discretion.rules import Confidence, Finding, Kind, Polarity
from discretion.screening import Screening

DISCLAIMER = (
    "A screening aid for a practitioner's review, not a legal conclusion. Items marked "
    f"{Confidence.PARTIAL.mark} or {Confidence.UNVERIFIED.mark} rest on sources not yet fully confirmed."
)
SYMBOL = {Outcome.MET: "●", Outcome.NOT_MET: "○", Outcome.UNKNOWN: "?", Outcome.REVIEW: "◐"}
WORD = {Outcome.MET: "met", Outcome.NOT_MET: "not met", Outcome.UNKNOWN: "unknown", Outcome.REVIEW: "review"}
LEGEND = "● met   ○ not met   ? unknown (ask the client)   ◐ review (counsel weighs the value shown)"
# Unknown first: it is where the work is; then what counsel must weigh, then what counts, then what does not apply.
_ORDER = {Outcome.UNKNOWN: 0, Outcome.REVIEW: 1, Outcome.MET: 2, Outcome.NOT_MET: 3}
_RISK_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Section:
    title: str
    findings: list[Finding]
    empty: str


def sections(screening: Screening) -> list[Section]:
    """The findings grouped as every rendering shows them, each group in reading order."""

    def ordered(items: Iterable[Finding]) -> list[Finding]:
        return sorted(items, key=lambda f: _ORDER[f.outcome])

    findings = screening.findings
    return [
        Section(
            "Priorities",
            ordered(f for f in findings if f.kind is Kind.PRIORITY),
            "This policy sets no categorical enforcement priorities.",
        ),
        Section(
            "Unfavourable factors",
            ordered(f for f in findings if f.kind is Kind.AGGRAVATING),
            "This policy lists no aggravating factors.",
        ),
        Section(
            "Favourable factors",
            ordered(f for f in findings if f.kind is Kind.MITIGATING),
            "This policy lists no mitigating factors.",
        ),
        Section(
            "Risks",
            sorted(screening.risks, key=lambda f: (_ORDER[f.outcome], _RISK_ORDER.get(f.level or "", 3))),
            "No risk warnings for this policy.",
        ),
        Section("Other relief to review", ordered(screening.relief), "No relief screens ran."),
    ]


def question(path: str) -> str:
    """What to ask the client for a missing fact: `family[1].military_service` -> 'Family #2: military service'."""
    words: list[str] = []
    for part in path.replace("]", "").split("."):
        name, _, index = part.partition("[")
        words.append(name.replace("_", " ") + (f" #{int(index) + 1}" if index.isdigit() else ""))
    head = words[0][:1].upper() + words[0][1:]
    return f"{head}: {' › '.join(words[1:])}" if len(words) > 1 else head


def ask(paths: Iterable[str]) -> str:
    """The "Ask" line of an undecided rule: the records to get first, then the facts they settle.

    A practitioner orders the I-94 or files a FOIA; they do not look for ``entry.manner``.
    """
    from discretion.records import records

    table = records()
    paths = list(paths)
    docs = list(dict.fromkeys(t for p in paths for t in table.titles(p)))
    facts = "; ".join(f"{question(p)} ({p})" for p in paths)
    if not docs:
        return f"ask the client: {facts}"
    return f"Get: {'; '.join(docs)}. Settles: {facts}"


def missing_by_weight(screening: Screening) -> list[dict[str, Any]]:
    """Missing facts, the ones that decide the most rules first: the order to ask them in."""
    return sorted(screening.missing_facts, key=lambda m: (-len(m["needed_by"]), m["path"]))


def _a_number(value: str | None) -> str:
    return f"A{value[:3]}-{value[3:6]}-{value[6:]}" if value else "(A-number not given)"


def _header_rows(screening: Screening, facts: CaseFacts) -> list[tuple[str, str]]:
    who = facts.identity
    person = who.name or "(name not given)"
    born = []
    if who.date_of_birth:
        born.append(who.date_of_birth.isoformat())
    if who.country_of_birth:
        born.append(who.country_of_birth)
    rows = [("Case", facts.case_id or "(no case reference)"), ("Person", person)]
    rows.append(("A-number", _a_number(who.a_number)))
    if born:
        rows.append(("Born", ", ".join(born)))
    p = facts.proceedings
    court = ", ".join(x for x in (p.court, f"IJ {p.judge}" if p.judge else None) if x)
    if court:
        rows.append(("Court", court))
    if p.next_hearing:
        h = p.next_hearing
        detail = ", ".join(x for x in (h.kind.value, h.time) if x)
        rows.append(("Next hearing", f"{h.date.isoformat()} ({detail})"))
    if p.detained:
        rows.append(("Detained", p.detention_facility or "yes (facility not given)"))
    if facts.requested_action:
        rows.append(("Requesting", facts.requested_action.value.replace("_", " ")))
    status = screening.policy_status
    rows.append(
        (
            "Policy",
            f"{screening.policy_title} ({screening.policy_id}, effective "
            f"{screening.policy_effective.isoformat()}, {status})",
        )
    )
    rows.append(("As of", screening.on.isoformat()))
    rows.append(("Facts", f"sha256 {screening.facts_digest[:16]}"))
    return rows


def _level(finding: Finding) -> str:
    """A risk's level; one the facts rule out says so, with its reason on the next line."""
    if finding.outcome is Outcome.NOT_MET:
        return f"not a {finding.level} risk on these facts"
    return f"{finding.level} risk"


def _marks(finding: Finding) -> str:
    return finding.confidence.mark


def _citations(finding: Finding) -> list[str]:
    out = []
    for c in finding.citations:
        mark = f" {c.confidence.mark}" if c.confidence.is_unsure else ""
        out.append(f"{c.text()}{mark}")
    return out


def _details(finding: Finding) -> list[tuple[str, str]]:
    """The labelled lines under a finding, shared by both renderers."""
    rows: list[tuple[str, str]] = []
    if finding.reason:
        rows.append(("", finding.reason))
    # A risk that does not apply needs its reason and sources, not the advice on lowering it.
    quiet = finding.kind is Kind.RISK and finding.outcome is Outcome.NOT_MET
    if finding.kind is Kind.RISK and not quiet:
        applies = ", ".join(a.replace("_", " ") for a in finding.applies_to) or "any request"
        rows.append(("Applies to", applies))
        if finding.lowered_by:
            rows.append(("Lowered by", "; ".join(finding.lowered_by)))
    if finding.kind is Kind.RELIEF:
        if finding.threshold:
            rows.append(("Threshold", finding.threshold))
        if finding.supporting:
            rows.append(("Meets", "; ".join(finding.supporting)))
        if finding.against:
            rows.append(("Misses", "; ".join(finding.against)))
    if finding.outcome is Outcome.UNKNOWN and finding.missing:
        rows.append(("Ask", ask(finding.missing)))
    if finding.note and not quiet:
        rows.append(("Note", finding.note))
    for text in _citations(finding):
        rows.append(("Cite", text))
    return rows


def _tone(finding: Finding) -> str | None:
    """Colour by what the outcome means for the client, not by the outcome itself."""
    if finding.outcome in (Outcome.UNKNOWN, Outcome.REVIEW):
        return "yellow"
    if finding.outcome is Outcome.NOT_MET:
        return None
    return "green" if finding.polarity is Polarity.FAVOURABLE else "red"


# --- text ---------------------------------------------------------------------------------


def render_text(screening: Screening, facts: CaseFacts, *, width: int = 96, colour: bool = False) -> str:
    """The screening as plain text for a terminal; ``colour`` adds ANSI styles (TTY only)."""
    width = max(60, min(width, 120))

    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if colour else text  # type: ignore[arg-type]

    lines: list[str] = []
    rule = "═" * width
    lines.append(style("PROSECUTORIAL DISCRETION SCREENING", bold=True))
    lines.append(rule)
    for label, value in _header_rows(screening, facts):
        lines += _wrap(value, width, f"{label:<14}", " " * 14)
        if label == "Policy" and screening.policy_status != "current":
            note = f"Note: this policy is {screening.policy_status}, not the one in force today."
            lines += [style(line, fg="yellow") for line in _wrap(note, width, " " * 14, " " * 14)]
    lines.append("")
    lines.append(style("Summary", bold=True))
    lines += _wrap(screening.summary, width, "  ", "  ")
    for section in sections(screening):
        lines += ["", style(_heading(section), bold=True)]
        if not section.findings:
            lines.append(f"  {section.empty}")
        for finding in section.findings:
            lines += _text_finding(finding, width, style)
    lines += ["", style("Forms of discretion to ask for", bold=True)]
    for text in forms_lines(screening):
        lines += _wrap(text, width, "  ", "    ")
    lines += ["", style(f"Missing facts ({len(screening.missing_facts)}), most decisive first", bold=True)]
    if not screening.missing_facts:
        lines.append("  None: every rule could be decided on the facts given.")
    for item in missing_by_weight(screening):
        get = f" — get: {'; '.join(item['records'])}" if item.get("records") else ""
        lines += _wrap(
            f"{question(item['path'])} ({item['path']}) — needed by {', '.join(item['needed_by'])}{get}",
            width,
            "  ? ",
            "    ",
        )
    lines += ["", style(f"Problems in the facts ({len(screening.problems)})", bold=True)]
    if not screening.problems:
        lines.append("  None found.")
    for problem in screening.problems:
        tag = (
            style("ERROR", fg="red", bold=True)
            if problem.severity == "error"
            else style("warning", fg="yellow")
        )
        lines += _wrap(f"{problem.path}: {problem.message}", width, f"  {tag} ", "    ")
    disputed = screening.extra.get("disputes") or []
    if disputed:
        differ = sum(d["outcome_differs"] for d in disputed)
        lines += ["", style(f"Disputed facts ({len(disputed)}; {differ} change an outcome)", bold=True)]
        for line in describe_disputes(disputed):
            lead = len(line) - len(line.lstrip(" "))
            lines += _wrap(line.strip(), width, "  " + " " * lead, "  " + " " * (lead + 2))
    lines += ["", "─" * width, LEGEND]
    lines += _wrap(DISCLAIMER, width, "", "")
    return "\n".join(lines) + "\n"


def forms_lines(screening: Screening) -> list[str]:
    """The regime's forms of PD, those that fit the posture first, each with its source and mark."""
    if not screening.forms:
        return ["The sources of this policy name no forms of discretion (see the policy's note)."]
    out = []
    for form in sorted(screening.forms, key=lambda f: not f["fits"]):
        mark = Confidence(form["confidence"]).mark
        cites = "; ".join(
            " ".join(x for x in (c["title"], f"({c['date']})" if c.get("date") else None, c.get("pin")) if x)
            for c in form["citations"]
        )
        text = f"{'✓' if form['fits'] else '–'} {form['label']} ({form['why']}){' ' + mark if mark else ''}."
        if form.get("note"):
            text += f" {form['note']}"
        out.append(f"{text} Source: {cites}.")
    return out


def _heading(section: Section) -> str:
    met = sum(f.outcome is Outcome.MET for f in section.findings)
    unknown = sum(f.outcome is Outcome.UNKNOWN for f in section.findings)
    review = sum(f.outcome is Outcome.REVIEW for f in section.findings)
    rest = len(section.findings) - met - unknown - review
    counts = f"{met} met, {unknown} unknown, {rest} not met"
    if review:
        counts = f"{met} met, {review} to review, {unknown} unknown, {rest} not met"
    return f"{section.title} ({counts})" if section.findings else section.title


def _text_finding(finding: Finding, width: int, style: Callable[..., str]) -> list[str]:
    symbol = SYMBOL[finding.outcome]
    tone = _tone(finding)
    head = f"{finding.label}"
    if finding.kind is Kind.RISK and finding.level:
        head += f" [{_level(finding)}]"
    mark = _marks(finding)
    if mark:
        head += f" {mark}"
    status = f"{symbol} {WORD[finding.outcome]:<8}"
    first = f"  {style(status, fg=tone, bold=finding.outcome is Outcome.MET)} "
    out = _wrap(head, width, "  " + " " * (len(status) + 1), " " * (len(status) + 3))
    out[0] = first + out[0].lstrip()
    indent = " " * (len(status) + 3)
    for label, value in _details(finding):
        prefix = f"{indent}{label + ': ' if label else ''}"
        more = indent + ("  " if label else "")
        out += [
            style(line, dim=True) if label == "Cite" else line for line in _wrap(value, width, prefix, more)
        ]
    return out


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text, width=width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    ) or [first.rstrip()]


# --- markdown -------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_<>|"})


def _md(text: str) -> str:
    """Escape text from case files and policy data so it renders literally."""
    return text.translate(_MD_SPECIAL)


def render_markdown(screening: Screening, facts: CaseFacts) -> str:
    """The screening as GitHub-flavoured Markdown, same content and order as the text rendering."""
    out = ["# Prosecutorial discretion screening", ""]
    out += ["| | |", "|---|---|"]
    out += [f"| **{label}** | {_md(value)} |" for label, value in _header_rows(screening, facts)]
    if screening.policy_status != "current":
        out += ["", f"> **Note:** this policy is {_md(screening.policy_status)}, not the one in force today."]
    out += ["", "## Summary", "", _md(screening.summary)]
    for section in sections(screening):
        out += ["", f"## {_heading(section)}", ""]
        if not section.findings:
            out.append(f"_{section.empty}_")
        for finding in section.findings:
            out += _md_finding(finding)
    out += ["", "## Forms of discretion to ask for", ""]
    out += [f"- {_md(text)}" for text in forms_lines(screening)]
    out += ["", f"## Missing facts ({len(screening.missing_facts)}), most decisive first", ""]
    if not screening.missing_facts:
        out.append("_None: every rule could be decided on the facts given._")
    for item in missing_by_weight(screening):
        get = f" — get: {_md('; '.join(item['records']))}" if item.get("records") else ""
        out.append(
            f"- **{_md(question(item['path']))}** (`{item['path']}`) — needed by "
            + ", ".join(f"`{i}`" for i in item["needed_by"])
            + get
        )
    out += ["", f"## Problems in the facts ({len(screening.problems)})", ""]
    if not screening.problems:
        out.append("_None found._")
    for problem in screening.problems:
        tag = "**ERROR**" if problem.severity == "error" else "_warning_"
        out.append(f"- {tag} `{problem.path}`: {_md(problem.message)}")
    disputed = screening.extra.get("disputes") or []
    if disputed:
        differ = sum(d["outcome_differs"] for d in disputed)
        out += ["", f"## Disputed facts ({len(disputed)}; {differ} change an outcome)", ""]
        for line in describe_disputes(disputed):
            lead = len(line) - len(line.lstrip(" "))
            out.append("  " * (lead // 2) + "- " + _md(line.strip().removeprefix("- ")))
    out += ["", "---", "", f"{LEGEND}", "", f"_{_md(DISCLAIMER)}_"]
    return "\n".join(out) + "\n"


def _md_finding(finding: Finding) -> list[str]:
    head = f"- {SYMBOL[finding.outcome]} **{WORD[finding.outcome]}** — {_md(finding.label)}"
    if finding.kind is Kind.RISK and finding.level:
        head += f" _({_level(finding)})_"
    mark = _marks(finding)
    if mark:
        head += f" **{_md(mark)}**"
    lines = [head]
    for label, value in _details(finding):
        lines.append(f"  - {'**' + label + ':** ' if label else ''}{_md(value)}")
    return lines
