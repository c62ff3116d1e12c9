"""The guided fact flow: the sections one after another, what is entered, what is still asked.

The order and the titles are ``sections.SECTIONS``: a section added there (or a field added to
the core's model) joins the flow without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from discretion.web.cases import plain, sections
from discretion.web.cases.models import Case, ScreeningRecord


@dataclass(frozen=True)
class Step:
    section: sections.Section
    entered: bool  # something is recorded in it
    questions: int  # facts the latest screening still needs from it


def progress(case: Case, screening: ScreeningRecord | None) -> list[Step]:
    facts = case.facts or {}
    asked = plain.missing_questions(screening.result if screening else None, facts)
    counts: dict[str, int] = {}
    for q in asked:
        counts[q.section_key] = counts.get(q.section_key, 0) + 1
    return [Step(s, sections.has_facts(s, facts), counts.get(s.key, 0)) for s in sections.SECTIONS]


def step(section: sections.Section) -> tuple[int, int]:
    """(number of this section, number of sections)."""
    return sections.SECTIONS.index(section) + 1, len(sections.SECTIONS)


def following(section: sections.Section) -> sections.Section | None:
    i = sections.SECTIONS.index(section)
    return sections.SECTIONS[i + 1] if i + 1 < len(sections.SECTIONS) else None


def next_url(case: Case, section: sections.Section, then: str) -> str:
    """Where a save goes: the next section ("next"), a section by key, or back to the case."""
    if then == "next":
        nxt = following(section)
        if nxt is not None:
            return reverse("cases:section", kwargs={"code": case.code, "section": nxt.key})
        return reverse("cases:detail", kwargs={"code": case.code}) + "#screening"
    if then in sections.SECTION_BY_KEY:
        return reverse("cases:section", kwargs={"code": case.code, "section": then})
    if then == "screening":
        return reverse("cases:detail", kwargs={"code": case.code}) + "#screening"
    return reverse("cases:detail", kwargs={"code": case.code}) + f"#{section.anchor}"


def first_to_enter(case: Case) -> sections.Section:
    """Where "Enter the facts" starts: the first section with nothing in it."""
    facts = case.facts or {}
    return next((s for s in sections.SECTIONS if not sections.has_facts(s, facts)), sections.SECTIONS[0])


@dataclass(frozen=True)
class SoFar:
    """The screening beside the form: what applies so far and what this section is asked."""

    result: dict[str, Any] | None
    stale: bool
    applies: dict[str, list[str]]  # group title -> labels of what applies
    questions: list[plain.Question]  # this section's
    elsewhere: int  # questions in other sections


GROUP_TITLES = {
    "priority": "Enforcement priorities that apply",
    "aggravating": "Against the request",
    "mitigating": "In the person's favour",
    "risk": "Risks to review",
    "relief": "Other relief to consider",
}


def so_far(case: Case, screening: ScreeningRecord | None, section: sections.Section) -> SoFar:
    result = screening.result if screening else None
    return summarise(
        result, case.facts or {}, section, stale=bool(screening and screening.case_version != case.version)
    )


def summarise(
    result: dict[str, Any] | None, facts: dict[str, Any], section: sections.Section, *, stale: bool = False
) -> SoFar:
    applies: dict[str, list[str]] = {}
    for group in ("findings", "risks", "relief"):
        for f in (result or {}).get(group, []):
            if f.get("outcome") == "met":
                applies.setdefault(GROUP_TITLES.get(f["kind"], f["kind"]), []).append(f["label"])
    asked = plain.missing_questions(result, facts)
    mine = [q for q in asked if q.section_key == section.key]
    return SoFar(result, stale, applies, mine, len(asked) - len(mine))
