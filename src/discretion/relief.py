"""Alternative-relief flags: other paths that may fit better than PD, for attorney review.

Relief rules are statutory and live in ``data/relief.yaml`` (same rule shape as policies, kind
``relief``). Each flag states its threshold, the facts that meet or miss it, and its citation.
A flag is never a legal conclusion: ``met`` means "raise for review", not "eligible".
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion import predicates
from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import PolicyError
from discretion.facts import CaseFacts
from discretion.rules import Finding, Kind, Rule, Source, evaluate

RELIEF_FILE = Path(__file__).parent / "data" / "relief.yaml"


class ReliefFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    sources: list[Source] = Field(min_length=1)
    relief: list[Rule]


def load_relief(path: Path = RELIEF_FILE) -> tuple[tuple[Rule, ...], dict[str, Source]]:
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        raise PolicyError(f"{path.name}:{exc.line or ''}: {exc}") from None
    if isinstance(data, dict):
        for entry in data.get("relief") or []:
            if isinstance(entry, dict):
                entry.setdefault("kind", "relief")
    try:
        parsed = ReliefFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        msg = "unexpected key" if err["type"] == "extra_forbidden" else err["msg"]
        line = line_of(lines, loc)
        raise PolicyError(f"{path.name}:{line or ''}: {'.'.join(map(str, loc))}: {msg}") from None
    sources = {s.id: s for s in parsed.sources}
    seen: set[str] = set()
    for rule in parsed.relief:
        if rule.kind is not Kind.RELIEF:
            raise PolicyError(f"{path.name}: relief {rule.id!r}: kind must be relief")
        if rule.id in seen:
            raise PolicyError(f"{path.name}: relief {rule.id!r}: duplicate id")
        seen.add(rule.id)
        problem = predicates.check_parameters(rule.test, rule.params)
        if problem:
            raise PolicyError(f"{path.name}: relief {rule.id!r}: {problem}")
        for c in rule.cite:
            if c.source not in sources:
                raise PolicyError(f"{path.name}: relief {rule.id!r}: cites unknown source {c.source!r}")
    return tuple(parsed.relief), sources


@cache
def _shipped() -> tuple[tuple[Rule, ...], dict[str, Source]]:
    return load_relief()


def screen_relief(facts: CaseFacts, *, on: date) -> tuple[Finding, ...]:
    if not RELIEF_FILE.exists():
        return ()
    rules, sources = _shipped()
    return tuple(evaluate(rule, sources, facts, on) for rule in rules)
