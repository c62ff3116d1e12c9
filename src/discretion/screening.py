"""Screen one case against one policy. Pure: same facts, policy and date give the same Screening.

A screening holds the policy's findings (priorities, aggravating and mitigating factors), the
risk warnings of the regime in force, the alternative-relief flags, the facts still missing,
the problems found in the facts, and a short summary. ``Screening.to_dict()`` is the public
JSON contract that the CLI, the web app and the API all print or store.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from discretion.facts import CaseFacts
from discretion.policies import Policy
from discretion.predicates import Outcome
from discretion.rules import Finding, Kind, evaluate

CONTRACT = "discretion.screening/1"


def facts_digest(facts: CaseFacts) -> str:
    """sha256 of the canonical JSON of the facts: what a snapshot was made from."""
    canonical = json.dumps(
        facts.model_dump(mode="json", exclude_none=True), sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Problem:
    """Something impossible or contradictory in the facts, with the field path."""

    path: str
    message: str
    severity: str = "error"  # error | warning

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message, "severity": self.severity}


@dataclass(frozen=True)
class Screening:
    policy_id: str
    policy_title: str
    policy_effective: date
    policy_sha256: str
    policy_status: str
    on: date
    facts_digest: str
    findings: tuple[Finding, ...]
    risks: tuple[Finding, ...] = ()
    relief: tuple[Finding, ...] = ()
    problems: tuple[Problem, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def of_kind(self, kind: Kind, outcome: Outcome | None = None) -> list[Finding]:
        return [f for f in self.findings if f.kind is kind and (outcome is None or f.outcome is outcome)]

    @property
    def missing_facts(self) -> list[dict[str, Any]]:
        """Each missing fact path once, with the rules that need it."""
        needed: dict[str, list[str]] = {}
        for finding in (*self.findings, *self.risks, *self.relief):
            for path in finding.missing:
                needed.setdefault(path, []).append(finding.id)
        return [{"path": p, "needed_by": ids} for p, ids in sorted(needed.items())]

    @property
    def summary(self) -> str:
        met = Outcome.MET
        priorities = self.of_kind(Kind.PRIORITY, met)
        unknown_p = self.of_kind(Kind.PRIORITY, Outcome.UNKNOWN)
        favourable = self.of_kind(Kind.MITIGATING, met)
        unfavourable = self.of_kind(Kind.AGGRAVATING, met)
        high = [r for r in self.risks if r.outcome is met and r.level == "high"]
        flags = [r for r in self.relief if r.outcome is met]
        undecided = [r for r in self.relief if r.outcome is Outcome.UNKNOWN]
        parts = []
        if not self.of_kind(Kind.PRIORITY):
            parts.append("This policy sets no categorical priorities")
        elif priorities:
            parts.append("Falls within priority " + ", ".join(f.label for f in priorities))
        elif unknown_p:
            parts.append(
                f"No priority met on known facts; {len(unknown_p)} priorit{'y' if len(unknown_p) == 1 else 'ies'} undecided"
            )
        else:
            parts.append("Not an enforcement priority on the facts given")
        parts.append(f"{len(favourable)} favourable and {len(unfavourable)} unfavourable factors")
        if high:
            parts.append(f"{len(high)} high risk{'s' if len(high) > 1 else ''} to review")
        if flags:
            parts.append(f"{len(flags)} other relief to review")
        if undecided:
            parts.append(f"{len(undecided)} relief screen{'s' if len(undecided) > 1 else ''} need more facts")
        if self.missing_facts:
            parts.append(f"{len(self.missing_facts)} facts missing")
        if any(p.severity == "error" for p in self.problems):
            parts.append("facts have problems")
        return "; ".join(parts) + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract": CONTRACT,
            "policy": {
                "id": self.policy_id,
                "title": self.policy_title,
                "effective": self.policy_effective.isoformat(),
                "status": self.policy_status,
                "sha256": self.policy_sha256,
            },
            "as_of": self.on.isoformat(),
            "facts_digest": self.facts_digest,
            "summary": self.summary,
            "findings": [f.to_dict() for f in self.findings],
            "risks": [f.to_dict() for f in self.risks],
            "relief": [f.to_dict() for f in self.relief],
            "missing_facts": self.missing_facts,
            "problems": [p.to_dict() for p in self.problems],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Screening:
        policy = data["policy"]
        return cls(
            policy_id=policy["id"],
            policy_title=policy["title"],
            policy_effective=date.fromisoformat(policy["effective"]),
            policy_sha256=policy["sha256"],
            policy_status=policy["status"],
            on=date.fromisoformat(data["as_of"]),
            facts_digest=data["facts_digest"],
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            risks=tuple(Finding.from_dict(f) for f in data["risks"]),
            relief=tuple(Finding.from_dict(f) for f in data["relief"]),
            problems=tuple(Problem(**p) for p in data["problems"]),
        )


def screen(facts: CaseFacts, policy: Policy, *, on: date) -> Screening:
    """Evaluate every rule of ``policy`` on ``facts`` as of ``on``, plus risks, relief and problems."""
    # Imported here: relief and validation are separate screens with their own data.
    from discretion import relief, validation

    sources = policy.sources
    findings = tuple(evaluate(r, sources, facts, on) for r in policy.rules if r.kind is not Kind.RISK)
    risks = tuple(evaluate(r, sources, facts, on) for r in policy.rules if r.kind is Kind.RISK)
    return Screening(
        policy_id=policy.id,
        policy_title=policy.title,
        policy_effective=policy.effective,
        policy_sha256=policy.sha256,
        policy_status=policy.meta.status,
        on=on,
        facts_digest=facts_digest(facts),
        findings=findings,
        risks=risks,
        relief=relief.screen_relief(facts, on=on),
        problems=tuple(validation.check(facts, on=on)),
    )
