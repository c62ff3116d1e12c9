"""PD policies as dated data: load them strictly, and find the one in force on a date.

One YAML file per policy version lives in ``discretion/policies/``. A policy has dates
(issued, effective, ended, and periods a court suspended it), sources, and rules in three
sections: ``priorities``, ``aggravating``, ``mitigating``, plus ``risks`` for regimes that carry
risk warnings. ``includes`` pulls another policy's sections in (Doyle 2022 weighs Mayorkas's
factors), so a shared list is written once.

The loader is strict, in the OpenFisca manner: unknown keys, duplicate keys or ids, bad dates,
an unknown predicate or parameters that do not fit it are errors naming the file and the entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from discretion import predicates
from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import NoPolicyInForce, PolicyError
from discretion.rules import Citation, Kind, Rule, Source

POLICY_DIR = Path(__file__).parent / "policies"
SECTIONS = {
    "priorities": Kind.PRIORITY,
    "aggravating": Kind.AGGRAVATING,
    "mitigating": Kind.MITIGATING,
    "risks": Kind.RISK,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Suspension(_Strict):
    """A period in which a court order stopped the policy: it is not in force from `start` to `end`."""

    start: date = Field(alias="from")
    end: date | None = Field(
        None, alias="until", description="first day in force again; null = still suspended"
    )
    reason: str
    cite: list[Citation] = Field(min_length=1)


class PolicyFile(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    short_title: str | None = None
    issuer: str
    issued: date
    effective: date
    ended: date | None = Field(None, description="first day no longer in force; null = not ended")
    ended_by: str | None = None
    status: str = Field(pattern=r"^(current|historical|superseded-in-practice|vacated)$")
    confidence_note: str | None = None
    summary: str
    not_priority_argument: str | None = Field(
        None, description="How a letter argues the person is not a priority under this policy."
    )
    suspensions: list[Suspension] = Field(default_factory=list)
    includes: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    priorities: list[dict[str, Any]] = Field(default_factory=list)
    aggravating: list[dict[str, Any]] = Field(default_factory=list)
    mitigating: list[dict[str, Any]] = Field(default_factory=list)
    risks: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> PolicyFile:
        if self.effective < self.issued:
            raise ValueError("effective date is before the issued date")
        if self.ended and self.ended <= self.effective:
            raise ValueError("ended date must be after the effective date")
        for s in self.suspensions:
            if s.end and s.end <= s.start:
                raise ValueError(f"suspension from {s.start} must end after it starts")
        return self


@dataclass(frozen=True)
class Policy:
    """A loaded policy: its metadata, its own and included rules, and the hash of its data."""

    meta: PolicyFile
    rules: tuple[Rule, ...]
    sources: dict[str, Source]
    sha256: str
    path: Path

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def effective(self) -> date:
        return self.meta.effective

    def rules_of(self, kind: Kind) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind is kind)

    def in_force_on(self, on: date) -> bool:
        """effective <= on, ended is null or > on, and no suspension covers ``on``."""
        m = self.meta
        if on < m.effective or (m.ended is not None and on >= m.ended):
            return False
        return not any(s.start <= on and (s.end is None or on < s.end) for s in m.suspensions)

    def suspension_on(self, on: date) -> Suspension | None:
        return next(
            (s for s in self.meta.suspensions if s.start <= on and (s.end is None or on < s.end)), None
        )


def _where(path: Path, lines: dict[tuple[str | int, ...], int], loc: tuple[str | int, ...]) -> str:
    line = line_of(lines, loc)
    return f"{path.name}:{line}" if line else path.name


def _entry_name(data: dict[str, Any], loc: tuple[str | int, ...]) -> str:
    if len(loc) >= 2 and loc[0] in SECTIONS and isinstance(loc[1], int):
        items = data.get(loc[0]) or []
        if loc[1] < len(items) and isinstance(items[loc[1]], dict) and "id" in items[loc[1]]:
            return f"{loc[0][:-1] if loc[0] != 'priorities' else 'priority'} {items[loc[1]]['id']!r}: "
    return ""


def read_policy_file(path: Path) -> tuple[PolicyFile, list[Rule], bytes]:
    """Parse and check one policy file (rules not yet merged with includes)."""
    try:
        data, lines, raw = load_file(path)
    except DataFileError as exc:
        where = f"{path.name}:{exc.line}" if exc.line else path.name
        raise PolicyError(f"{where}: {exc}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"{path.name}: a policy file must be a mapping of keys to values")
    try:
        meta = PolicyFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        top = tuple(err["loc"])
        field = ".".join(str(p) for p in top) or "(top level)"
        msg = "unexpected key" if err["type"] == "extra_forbidden" else err["msg"]
        raise PolicyError(f"{_where(path, lines, top)}: {field}: {msg}") from None
    rules: list[Rule] = []
    seen: set[str] = set()
    source_ids = {s.id for s in meta.sources}
    for section, kind in SECTIONS.items():
        for index, entry in enumerate(getattr(meta, section)):
            loc = (section, index)
            label = f"{section}[{index}]"
            if isinstance(entry, dict) and "id" in entry:
                label = f"{kind.value} {entry['id']!r}"
            if not isinstance(entry, dict):
                raise PolicyError(f"{_where(path, lines, loc)}: {label}: must be a mapping")
            if "kind" in entry:
                raise PolicyError(
                    f"{_where(path, lines, loc)}: {label}: `kind` comes from the section; remove it"
                )
            try:
                rule = Rule.model_validate({**entry, "kind": kind})
            except ValidationError as exc:
                err = exc.errors()[0]
                sub = tuple(err["loc"])
                field = ".".join(str(p) for p in sub)
                msg = "unexpected key" if err["type"] == "extra_forbidden" else err["msg"]
                raise PolicyError(
                    f"{_where(path, lines, (*loc, *sub))}: {label}: {field}: {msg}".replace(": : ", ": ")
                ) from None
            where = _where(path, lines, (*loc, "id"))
            if rule.id in seen:
                raise PolicyError(f"{where}: {label}: duplicate id")
            seen.add(rule.id)
            problem = predicates.check_parameters(rule.test, rule.params)
            if problem:
                raise PolicyError(f"{_where(path, lines, (*loc, 'test'))}: {label}: {problem}")
            for c in rule.cite:
                if c.source not in source_ids:
                    raise PolicyError(f"{where}: {label}: cites unknown source {c.source!r}")
            rules.append(rule)
    for s in meta.suspensions:
        for c in s.cite:
            if c.source not in source_ids:
                raise PolicyError(
                    f"{path.name}: suspension from {s.start}: cites unknown source {c.source!r}"
                )
    if len({s.id for s in meta.sources}) != len(meta.sources):
        raise PolicyError(f"{path.name}: sources: duplicate source id")
    return meta, rules, raw


class Catalogue:
    """Every policy in a directory, with look-ups by id and by date."""

    def __init__(self, policies: Iterable[Policy]):
        self._by_id = {p.id: p for p in sorted(policies, key=lambda p: p.effective)}

    def __iter__(self) -> Iterator[Policy]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, policy_id: str) -> Policy:
        try:
            return self._by_id[policy_id]
        except KeyError:
            known = ", ".join(self._by_id)
            raise PolicyError(f"no policy with id {policy_id!r} (known: {known})") from None

    def in_force(self, on: date) -> list[Policy]:
        """Every policy in force on ``on``, oldest first."""
        return [p for p in self._by_id.values() if p.in_force_on(on)]

    def select(self, on: date) -> Policy:
        """The policy that governs ``on``: of those in force, the most recently effective.

        Raises NoPolicyInForce with a message naming what was suspended or nearest.
        """
        current = self.in_force(on)
        if current:
            return current[-1]
        notes = []
        for p in self._by_id.values():
            s = p.suspension_on(on)
            if s:
                until = s.end.isoformat() if s.end else "further notice"
                notes.append(f"{p.id} was suspended from {s.start} until {until} ({s.reason})")
        earlier = [p for p in self._by_id.values() if p.effective <= on]
        if not notes and earlier:
            last = earlier[-1]
            notes.append(f"the latest earlier policy, {last.id}, ended on {last.meta.ended}")
        if not earlier:
            first = next(iter(self._by_id.values()), None)
            if first:
                notes.append(f"the earliest policy on file, {first.id}, took effect on {first.effective}")
        hint = "; ".join(notes)
        raise NoPolicyInForce(
            f"no PD policy on file was in force on {on.isoformat()}"
            + (f": {hint}" if hint else "")
            + ". Choose one with --policy ID (see `discretion policies list`)."
        )


def load_policy(path: Path, *, directory: Path | None = None) -> Policy:
    """Load one policy file, merging the sections of the policies it ``includes``."""
    return _load(path.resolve(), (directory or path.parent).resolve(), ())


def _load(path: Path, directory: Path, chain: tuple[str, ...]) -> Policy:
    meta, rules, raw = read_policy_file(path)
    digest = hashlib.sha256(raw)
    sources = {s.id: s for s in meta.sources}
    merged = list(rules)
    ids = {r.id for r in rules}
    for included_id in meta.includes:
        if included_id in chain or included_id == meta.id:
            raise PolicyError(f"{path.name}: includes {included_id!r} in a cycle")
        matches = [
            p
            for p in directory.glob("*.yaml")
            if p.stem.startswith(included_id + "-") or p.stem == included_id
        ]
        matches = [p for p in matches if _peek_id(p) == included_id]
        if not matches:
            raise PolicyError(f"{path.name}: includes unknown policy {included_id!r}")
        other = _load(matches[0], directory, (*chain, meta.id))
        digest.update(other.sha256.encode())
        for rule in other.rules:
            if rule.id in ids:
                raise PolicyError(
                    f"{path.name}: rule id {rule.id!r} also comes from included policy {included_id!r}"
                )
            ids.add(rule.id)
            merged.append(rule)
        for sid, source in other.sources.items():
            if sid in sources and sources[sid] != source:
                raise PolicyError(f"{path.name}: source id {sid!r} differs from the one in {included_id!r}")
            sources.setdefault(sid, source)
    return Policy(meta=meta, rules=tuple(merged), sources=sources, sha256=digest.hexdigest(), path=path)


def _peek_id(path: Path) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("id:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return None


def load_policies(directory: Path | None = None) -> Catalogue:
    """Load every ``*.yaml`` policy in ``directory`` (default: the shipped policies)."""
    directory = (directory or POLICY_DIR).resolve()
    policies = [_load(p, directory, ()) for p in sorted(directory.glob("*.yaml"))]
    ids = [p.id for p in policies]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise PolicyError(f"{directory.name}: policy id {dupes[0]!r} is used by more than one file")
    return Catalogue(policies)


@cache
def shipped() -> Catalogue:
    """The shipped policies, loaded once per process."""
    return load_policies()
