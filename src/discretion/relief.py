"""Alternative-relief flags: other paths that may fit better than PD, for attorney review.

Relief rules are statutory and live in ``data/relief.yaml`` (same rule shape as policies, kind
``relief``). Each flag states its threshold, the facts that meet or miss it, and its citation.
A flag is never a legal conclusion: ``met`` means "raise for review", not "eligible".
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion.facts import CaseFacts
from discretion.rulefiles import FileProblems, check_sources, parse_rules, read_data_file
from discretion.rules import Finding, Kind, Rule, Source, evaluate

RELIEF_FILE = Path(__file__).parent / "data" / "relief.yaml"


class ReliefFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    sources: list[Source] = Field(min_length=1)
    relief: list[dict[str, Any]] = Field(min_length=1)


def check_relief(path: Path = RELIEF_FILE) -> tuple[tuple[Rule, ...], dict[str, Source], FileProblems]:
    """Parse the relief file, collecting every problem (one line each) instead of stopping."""
    problems = read_data_file(path)
    if problems.found:
        return (), {}, problems
    parsed: ReliefFile | None = None
    try:
        parsed = ReliefFile.model_validate(problems.data)
    except ValidationError as exc:
        problems.add_errors(
            e for e in exc.errors() if not (e["loc"][:1] == ("relief",) and len(e["loc"]) > 1)
        )
    source_ids = check_sources(problems)
    # `kind: relief` is redundant but harmless; any other kind is a mistake.
    rules = parse_rules(problems, "relief", Kind.RELIEF, source_ids, {}, allow_kind=True)
    sources = {s.id: s for s in parsed.sources} if parsed else {}
    return tuple(rules), sources, problems


def load_relief(path: Path = RELIEF_FILE) -> tuple[tuple[Rule, ...], dict[str, Source]]:
    """The relief rules and their sources; the first problem is raised as a PolicyError."""
    rules, sources, problems = check_relief(path)
    problems.raise_first()
    return rules, sources


@cache
def _shipped() -> tuple[tuple[Rule, ...], dict[str, Source]]:
    return load_relief()


def screen_relief(facts: CaseFacts, *, on: date) -> tuple[Finding, ...]:
    if not RELIEF_FILE.exists():
        return ()
    rules, sources = _shipped()
    return tuple(evaluate(rule, sources, facts, on) for rule in rules)
