"""What the person proposes, laid over the case's facts, and what a review accepts of it.

The overlay is what the questionnaire screens to choose the next question: the case's facts,
with each answer filled in only where the case does not know the fact (a practitioner's value
always wins there). ``rows`` is the review's side-by-side difference; ``apply`` writes the
accepted answers into a copy of the case's facts, which the cases app then saves.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from discretion.web.intake.models import Decision, ProposedAnswer
from discretion.web.intake.questions import Question, question, show_entry, show_value


def _parts(path: str) -> list[str]:
    return path.split(".")


def get(facts: dict[str, Any], path: str) -> Any:
    node: Any = facts
    for part in _parts(path):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def put(facts: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = _parts(path)
    node = facts
    for part in parents:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = node[part] = {}
        node = nxt
    node[leaf] = value


def _add(facts: dict[str, Any], answer: ProposedAnswer, *, over: bool) -> None:
    value = answer.as_fact()
    if value is None:
        return
    current = get(facts, answer.path)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        put(facts, answer.path, [*(current or []), *copy.deepcopy(value)])
    elif current is None or over:
        put(facts, answer.path, copy.deepcopy(value))


def overlay(case_facts: dict[str, Any], answers: list[ProposedAnswer]) -> dict[str, Any]:
    """The case's facts with the person's answers where the case does not know the fact."""
    out = copy.deepcopy(case_facts or {})
    for a in answers:
        if a.decision == Decision.ACCEPTED:
            continue  # already in the case's facts
        if a.dont_know or a.value is None:
            continue
        if isinstance(a.value, list) and a.value and isinstance(a.value[0], dict):
            _add(out, a, over=False)
        elif get(out, a.path) is None:
            put(out, a.path, copy.deepcopy(a.value))
    return out


def apply(case_facts: dict[str, Any], accepted: list[ProposedAnswer]) -> dict[str, Any]:
    """The case's facts with the accepted answers written in (entries are added to a list)."""
    out = copy.deepcopy(case_facts or {})
    for a in accepted:
        _add(out, a, over=True)
    return out


@dataclass
class Row:
    """One line of the review: what the case says now and what the person says."""

    answer: ProposedAnswer
    question: str
    path: str
    in_case: str
    proposed: str
    entries: list[str]
    differs: bool  # the case already has another value: accepting replaces it
    nothing_to_accept: bool  # "I don't know", or "none" where the case already has entries


def _show_case(q: Question, value: Any) -> str:
    if value is None:
        return ""
    if q.kind == "entries":
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}" if value else "None"
    return show_value(q, value)


def rows(case_facts: dict[str, Any], answers: list[ProposedAnswer]) -> list[Row]:
    """The review table, in English (the practitioner's side)."""
    out = []
    with translation.override("en"):
        for a in answers:
            q = question(a.path)
            if q is None:
                continue
            current = get(case_facts, a.path)
            entries: list[str] = []
            if a.dont_know:
                proposed, differs, nothing = "Does not know", False, True
            elif q.kind == "entries":
                entries = [show_entry(q, e) for e in a.value or []]
                proposed = "None" if not a.value else f"Add {len(a.value)}"
                differs = False
                nothing = not a.value and current is not None
            else:
                proposed = show_value(q, a.value)
                differs = current is not None and current != a.value
                nothing = current == a.value
            out.append(Row(a, q.text, a.path, _show_case(q, current), proposed, entries, differs, nothing))
    return out
