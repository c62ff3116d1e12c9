"""Which question comes next: the facts the screening still misses, safety and court dates first.

The case's facts with the person's answers laid over them are screened under the policy in
force today, with the relief screens; the facts that screening reports missing and the person
can answer (``intake.wording``) are the questions, in the wording file's order. What keeps the
person safe and in court (``wording.FIRST``: a court case, detention, the next court date) is
asked first whenever the case does not know it, whatever the screening needs. Each answer can
change what is missing, so the list is worked out again after every page (docassemble's
"ask only what the goal needs", as one pure function here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from discretion.errors import DiscretionError
from discretion.web.intake.proposal import get
from discretion.web.intake.questions import question
from discretion.web.intake.wording import FIRST, QUESTIONS

ORDER = {path: i for i, path in enumerate([*FIRST, *(p for p in QUESTIONS if p not in FIRST)])}
_INDEX = re.compile(r"\.\d+(\.|$)")


@dataclass(frozen=True)
class Plan:
    remaining: tuple[str, ...]  # paths still to ask, in order
    missing: tuple[str, ...]  # every fact the screening misses (for the practitioner's view)

    @property
    def next(self) -> str | None:
        return self.remaining[0] if self.remaining else None


def _safety(facts: dict[str, Any]) -> list[str]:
    out = [p for p in FIRST if get(facts, p) is None]
    if get(facts, "proceedings.in_proceedings") is False:
        # No court case: no court date to ask; detention is still asked.
        out = [p for p in out if p != "proceedings.next_hearing.date"]
    return out


def missing_facts(facts: dict[str, Any], on: date) -> list[str]:
    """Fact paths the screening under the policy in force ``on`` reports missing."""
    from discretion.casefile import parse_facts
    from discretion.screening import screen
    from discretion.web.cases.policy import catalogue

    try:
        parsed = parse_facts(facts, where="facts")
        policy = catalogue().select(on)
    except DiscretionError:
        return []
    return [m["path"] for m in screen(parsed, policy, on=on).missing_facts]


def plan(facts: dict[str, Any], answered: set[str], *, on: date) -> Plan:
    missing = missing_facts(facts, on)
    wanted = []
    for path in [*_safety(facts), *missing]:
        if _INDEX.search(path):
            continue  # a detail of one entry: asked with the entry, or by the practitioner
        if path in answered or path in wanted or question(path) is None:
            continue
        wanted.append(path)
    wanted.sort(key=lambda p: ORDER.get(p, len(ORDER)))
    return Plan(tuple(wanted), tuple(missing))
