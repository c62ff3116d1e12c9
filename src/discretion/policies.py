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
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from discretion.datafiles import line_of, load_file
from discretion.errors import NoPolicyInForce, PolicyError
from discretion.facts import RequestedAction
from discretion.rulefiles import (
    FieldProblem,
    FileProblems,
    check_sources,
    listed,
    parse_rules,
    read_data_file,
)
from discretion.rules import Citation, Confidence, Kind, Rule, Source

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


class FormOfDiscretion(_Strict):
    """One form of prosecutorial discretion the regime's sources name, and the posture it fits.

    ``posture``: ``in_proceedings`` (a case is pending), ``final_order`` (after an order of removal),
    ``not_in_proceedings`` (no NTA filed yet) or ``any``. ``from``/``until`` bound it in time (a
    vacated rule, a memo issued later than the regime's start).
    """

    action: RequestedAction
    label: str
    posture: Literal["in_proceedings", "final_order", "not_in_proceedings", "any"]
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="until", description="first day no longer available")
    note: str | None = None
    cite: list[Citation] = Field(min_length=1)
    confidence: Confidence


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
    enforcement_scope: str | None = Field(
        None,
        description="Who the policy reaches, said in every screening's summary (e.g. every removable person).",
    )
    suspensions: list[Suspension] = Field(default_factory=list)
    includes: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    priorities: list[dict[str, Any]] = Field(default_factory=list)
    aggravating: list[dict[str, Any]] = Field(default_factory=list)
    mitigating: list[dict[str, Any]] = Field(default_factory=list)
    risks: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    forms_of_discretion: list[FormOfDiscretion] = Field(
        default_factory=list,
        description="The forms of PD this regime's sources name, with the posture each fits.",
    )
    forms_note: str | None = Field(
        None, description="What the sources say (or do not say) about the forms of PD."
    )

    @model_validator(mode="after")
    def _dates(self) -> PolicyFile:
        if self.effective < self.issued:
            raise FieldProblem(
                f"effective date {self.effective} is before the issued date {self.issued}", ("effective",)
            )
        if self.ended and self.ended <= self.effective:
            raise FieldProblem(
                f"ended date {self.ended} must be after the effective date {self.effective}", ("ended",)
            )
        previous: Suspension | None = None
        for index, s in enumerate(self.suspensions):
            if s.end and s.end <= s.start:
                raise FieldProblem(
                    f"it must end after it starts (until {s.end} is not after from {s.start})",
                    ("suspensions", index, "until"),
                )
            if s.start < self.effective or (self.ended and s.start >= self.ended):
                raise FieldProblem(
                    f"it starts outside the policy's time in force ({self.effective} to {self.ended or 'now'})",
                    ("suspensions", index, "from"),
                )
            if previous and (previous.end is None or s.start < previous.end):
                raise FieldProblem(
                    f"it overlaps or precedes the suspension from {previous.start}; list suspensions in order",
                    ("suspensions", index, "from"),
                )
            previous = s
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


def _check_policy_file(path: Path) -> tuple[PolicyFile | None, list[Rule], FileProblems]:
    problems = read_data_file(path)
    if problems.found:
        return None, [], problems
    data = problems.data
    meta: PolicyFile | None = None
    try:
        meta = PolicyFile.model_validate(data)
    except ValidationError as exc:
        # Entries inside sections are checked one by one below, with their rule id.
        errors = [e for e in exc.errors() if not (e["loc"] and e["loc"][0] in SECTIONS and len(e["loc"]) > 1)]
        problems.add_errors(errors)
    source_ids = check_sources(problems)
    seen: dict[str, int] = {}
    rules = [
        r
        for section, kind in SECTIONS.items()
        for r in parse_rules(problems, section, kind, source_ids, seen)
    ]
    for index, form in enumerate(meta.forms_of_discretion if meta else ()):
        for c_index, c in enumerate(form.cite):
            if c.source not in source_ids:
                problems.add(
                    ("forms_of_discretion", index, "cite", c_index),
                    f"cites unknown source {c.source!r} (sources: {listed(source_ids)})",
                )
    for index, s in enumerate(
        data.get("suspensions") or [] if isinstance(data.get("suspensions"), list) else []
    ):
        for c_index, c in enumerate(s.get("cite") or [] if isinstance(s, dict) else []):
            if isinstance(c, dict) and isinstance(c.get("source"), str) and c["source"] not in source_ids:
                problems.add(
                    ("suspensions", index, "cite", c_index),
                    f"cites unknown source {c['source']!r} (sources: {listed(source_ids)})",
                )
    if meta and meta.status == "current" and meta.ended:
        problems.add(("ended",), f"status is current but the policy ended on {meta.ended}", warning=True)
    if meta and meta.status != "current" and not meta.ended:
        problems.add(
            ("status",),
            f"status is {meta.status} but `ended` is not set, so the tool treats it as in force forever",
            warning=True,
        )
    if meta and meta.ended_by and not meta.ended:
        problems.add(("ended_by",), "`ended_by` is given without an `ended` date", warning=True)
    if meta and path.stem != f"{meta.id}-{meta.effective}":
        problems.add(("id",), f"the file should be named {meta.id}-{meta.effective}.yaml", warning=True)
    return meta, rules, problems


def read_policy_file(path: Path) -> tuple[PolicyFile, list[Rule], bytes]:
    """Parse and check one policy file (rules not yet merged with includes)."""
    meta, rules, problems = _check_policy_file(path)
    problems.raise_first()
    assert meta is not None  # no problems means the model validated
    return meta, rules, path.read_bytes()


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
            later = [p for p in self._by_id.values() if p.effective > on]
            if later:
                notes.append(f"the next, {later[0].id}, takes effect on {later[0].effective}")
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
    candidates = {p: _peek_id(p) for p in sorted(directory.glob("*.yaml"))}
    lines = load_file(path)[1]
    for index, included_id in enumerate(meta.includes):
        where = f"{path.name}:{line_of(lines, ('includes', index))}"
        if included_id in chain or included_id == meta.id:
            cycle = " -> ".join((*chain, meta.id, included_id))
            raise PolicyError(f"{where}: includes {included_id!r}, which makes a cycle: {cycle}")
        matches = [p for p, pid in candidates.items() if pid == included_id]
        if not matches:
            known = listed(pid for pid in candidates.values() if pid)
            raise PolicyError(f"{where}: includes unknown policy {included_id!r} (known: {known})")
        other = _load(matches[0], directory, (*chain, meta.id))
        digest.update(other.sha256.encode())
        for rule in other.rules:
            if rule.id in ids:
                raise PolicyError(
                    f"{where}: rule id {rule.id!r} is defined here and again in included policy {included_id!r}"
                )
            ids.add(rule.id)
            merged.append(rule)
        for sid, source in other.sources.items():
            if sid in sources and sources[sid] != source:
                raise PolicyError(
                    f"{where}: source {sid!r} differs from the source with that id in {included_id!r}"
                )
            sources.setdefault(sid, source)
    return Policy(meta=meta, rules=tuple(merged), sources=sources, sha256=digest.hexdigest(), path=path)


def _peek_id(path: Path) -> str | None:
    """The ``id:`` of a policy file without loading it (an unreadable file has none)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith("id:"):
            return line.split(":", 1)[1].split("#", 1)[0].strip().strip("'\"")
    return None


def load_policies(directory: Path | None = None) -> Catalogue:
    """Load every ``*.yaml`` policy in ``directory`` (default: the shipped policies)."""
    directory = (directory or POLICY_DIR).resolve()
    if not directory.is_dir():
        raise PolicyError(f"{directory}: no such policy directory")
    policies = [_load(p, directory, ()) for p in sorted(directory.glob("*.yaml"))]
    by_id: dict[str, list[str]] = {}
    for p in policies:
        by_id.setdefault(p.id, []).append(p.path.name)
    for pid, files in by_id.items():
        if len(files) > 1:
            raise PolicyError(
                f"{directory.name}: policy id {pid!r} is used by more than one file: {', '.join(files)}"
            )
    return Catalogue(policies)


def policy_warnings(directory: Path | None = None) -> list[str]:
    """Things in the policy files that load but look wrong (e.g. a list item split at a comma)."""
    directory = (directory or POLICY_DIR).resolve()
    return [w for path in sorted(directory.glob("*.yaml")) for w in _check_policy_file(path)[2].warnings]


def check_policies(directory: Path | None = None) -> list[str]:
    """Every problem in every policy file of ``directory``, one line each (empty: all good)."""
    directory = (directory or POLICY_DIR).resolve()
    if not directory.is_dir():
        return [f"{directory}: no such policy directory"]
    found: list[str] = []
    files = sorted(directory.glob("*.yaml"))
    if not files:
        return [f"{directory}: no policy files (*.yaml) in this directory"]
    clean: list[Path] = []
    for path in files:
        problems = _check_policy_file(path)[2]
        found.extend(problems.found)
        if not problems.found:
            clean.append(path)
    for path in clean:
        try:
            _load(path, directory, ())
        except PolicyError as exc:
            # A fault in an included file was already listed under that file.
            first = str(exc).split(" (and ", 1)[0]
            if first not in found:
                found.append(first)
    if not found:
        try:
            load_policies(directory)
        except PolicyError as exc:
            found.append(str(exc))
    return found


@cache
def shipped() -> Catalogue:
    """The shipped policies, loaded once per process."""
    return load_policies()
