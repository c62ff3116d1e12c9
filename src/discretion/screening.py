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

from discretion import disputes, relief, validation
from discretion.facts import CaseFacts
from discretion.policies import Policy
from discretion.predicates import Outcome, Predicate, Verdict
from discretion.rules import Finding, Kind, Rule, evaluate, predicate_of, resolve
from discretion.validation import Problem

CONTRACT = "discretion.screening/1"


def facts_digest(facts: CaseFacts) -> str:
    """sha256 of the canonical JSON of the facts: what a snapshot was made from."""
    canonical = json.dumps(
        facts.model_dump(mode="json", exclude_none=True), sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def summary_text(
    *,
    any_priorities: bool,
    priorities_met: list[str],
    priorities_unknown: int,
    favourable: int,
    unfavourable: int,
    high_risks: int,
    relief_met: int,
    relief_unknown: int,
    missing: int,
    errors: bool,
    factors_review: int = 0,
    relief_review: int = 0,
    unsure_factors: int = 0,
    unsure_risks: int = 0,
    unsure_relief: int = 0,
    scope: str | None = None,
) -> str:
    """A screening's one-sentence summary from its counts (``Screening.summary`` and the fast path).

    Confidence travels: a met priority's label carries its mark (the caller adds it), and a count
    that includes rules resting on partly confirmed or unverified sources says how many do.
    """

    def unsure(count: int) -> str:
        return f" ({count} on partly confirmed or unverified sources)" if count else ""

    parts = []
    if not any_priorities:
        parts.append("This policy sets no categorical priorities" + (f": {scope}" if scope else ""))
    elif priorities_met:
        parts.append("Falls within priority " + ", ".join(priorities_met))
    elif priorities_unknown:
        parts.append(
            f"No priority met on known facts; {priorities_unknown} priorit{'y' if priorities_unknown == 1 else 'ies'} undecided"
        )
    else:
        parts.append("Not an enforcement priority on the facts given")
    parts.append(f"{favourable} favourable and {unfavourable} unfavourable factors{unsure(unsure_factors)}")
    if factors_review:
        parts.append(
            f"{factors_review} factor{'s' if factors_review > 1 else ''} for counsel to weigh (no number in the memo)"
        )
    if high_risks:
        parts.append(f"{high_risks} high risk{'s' if high_risks > 1 else ''} to review{unsure(unsure_risks)}")
    if relief_met:
        parts.append(f"{relief_met} other relief to review{unsure(unsure_relief)}")
    if relief_review:
        parts.append(f"{relief_review} relief for attorney review first (posture or a prior order)")
    if relief_unknown:
        parts.append(f"{relief_unknown} relief screen{'s' if relief_unknown > 1 else ''} need more facts")
    if missing:
        parts.append(f"{missing} facts missing")
    if errors:
        parts.append("facts have problems")
    return "; ".join(parts) + "."


def marked(label: str, confidence: Any) -> str:
    """``label`` with the confidence mark of a partly confirmed or unverified rule."""
    return f"{label} {confidence.mark}" if confidence.is_unsure else label


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
    forms: tuple[dict[str, Any], ...] = ()  # the regime's forms of PD, each with whether it fits the posture
    enforcement_scope: str | None = None  # the policy's, said in the summary

    def of_kind(self, kind: Kind, outcome: Outcome | None = None) -> list[Finding]:
        return [f for f in self.findings if f.kind is kind and (outcome is None or f.outcome is outcome)]

    @property
    def missing_facts(self) -> list[dict[str, Any]]:
        """Each missing fact path once, with the rules that need it and the records that settle it."""
        from discretion.records import records

        table = records()
        needed: dict[str, list[str]] = {}
        for finding in (*self.findings, *self.risks, *self.relief):
            for path in finding.missing:
                needed.setdefault(path, []).append(finding.id)
        return [
            {"path": p, "needed_by": ids, "records": table.titles(p)} for p, ids in sorted(needed.items())
        ]

    @property
    def summary(self) -> str:
        met = Outcome.MET
        factors = [*self.of_kind(Kind.MITIGATING, met), *self.of_kind(Kind.AGGRAVATING, met)]
        high = [r for r in self.risks if r.outcome is met and r.level == "high"]
        relief = [r for r in self.relief if r.outcome is met]
        return summary_text(
            any_priorities=bool(self.of_kind(Kind.PRIORITY)),
            priorities_met=[marked(f.label, f.confidence) for f in self.of_kind(Kind.PRIORITY, met)],
            priorities_unknown=len(self.of_kind(Kind.PRIORITY, Outcome.UNKNOWN)),
            favourable=len(self.of_kind(Kind.MITIGATING, met)),
            unfavourable=len(self.of_kind(Kind.AGGRAVATING, met)),
            high_risks=len(high),
            relief_met=len(relief),
            relief_unknown=sum(r.outcome is Outcome.UNKNOWN for r in self.relief),
            missing=len(self.missing_facts),
            errors=any(p.severity == "error" for p in self.problems),
            factors_review=sum(
                f.outcome is Outcome.REVIEW and f.kind is not Kind.PRIORITY for f in self.findings
            ),
            relief_review=sum(r.outcome is Outcome.REVIEW for r in self.relief),
            unsure_factors=sum(f.confidence.is_unsure for f in factors),
            unsure_risks=sum(r.confidence.is_unsure for r in high),
            unsure_relief=sum(r.confidence.is_unsure for r in relief),
            scope=self.enforcement_scope,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract": CONTRACT,
            "policy": {
                "id": self.policy_id,
                "title": self.policy_title,
                "effective": self.policy_effective.isoformat(),
                "status": self.policy_status,
                "enforcement_scope": self.enforcement_scope,
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
            "forms_of_discretion": list(self.forms),
            # Only when the facts hold disputed versions: the contract is unchanged otherwise.
            **({"disputes": self.extra["disputes"]} if self.extra.get("disputes") else {}),
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
            enforcement_scope=policy.get("enforcement_scope"),
            on=date.fromisoformat(data["as_of"]),
            facts_digest=data["facts_digest"],
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            risks=tuple(Finding.from_dict(f) for f in data["risks"]),
            relief=tuple(Finding.from_dict(f) for f in data["relief"]),
            problems=tuple(Problem(**p) for p in data["problems"]),
            forms=tuple(data.get("forms_of_discretion", ())),
            extra={"disputes": data["disputes"]} if data.get("disputes") else {},
        )


def posture(facts: CaseFacts, on: date) -> str | None:
    """``final_order``, ``in_proceedings``, ``not_in_proceedings`` as of ``on``; None when not known."""
    h, p = facts.immigration_history, facts.proceedings
    if h.final_order and (h.final_order_on is None or h.final_order_on <= on):
        return "final_order"
    if p.in_proceedings is not None:
        return "in_proceedings" if p.in_proceedings else "not_in_proceedings"
    if (p.nta_served_on is not None and p.nta_served_on <= on) or p.court or p.next_hearing:
        return "in_proceedings"
    return None


_POSTURE_WORDS = {
    "final_order": "after a final order of removal",
    "in_proceedings": "while the case is pending in court",
    "not_in_proceedings": "before any case is filed",
    "any": "in any posture",
}


def forms_of_discretion(facts: CaseFacts, policy: Policy, *, on: date) -> tuple[dict[str, Any], ...]:
    """The forms of PD the regime's sources name, in data order, each saying whether it fits the
    person's posture on ``on``. A form not yet available on ``on`` is left out; one that ended says so."""
    where = posture(facts, on)
    out = []
    for form in policy.meta.forms_of_discretion:
        if form.start is not None and on < form.start:
            continue
        ended = form.end is not None and on >= form.end
        fits = not ended and (form.posture == "any" or where == form.posture)
        if ended:
            assert form.end is not None
            why = f"no longer available: ended on {form.end.isoformat()}"
        elif where is None and form.posture != "any":
            why = f"fits {_POSTURE_WORDS[form.posture]}; whether a case is pending is not known"
        else:
            why = ("fits" if fits else "does not fit") + f": {_POSTURE_WORDS[form.posture]}"
        out.append(
            {
                "action": form.action.value,
                "label": form.label,
                "posture": form.posture,
                "fits": fits,
                "why": why,
                "note": form.note,
                "confidence": form.confidence.value,
                "citations": [resolve(c, policy.sources).to_dict() for c in form.cite],
            }
        )
    return tuple(out)


def screen(facts: CaseFacts, policy: Policy, *, on: date) -> Screening:
    """Evaluate every rule of ``policy`` on ``facts`` as of ``on``, plus risks, relief and problems."""
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
        forms=forms_of_discretion(facts, policy, on=on),
        enforcement_scope=policy.meta.enforcement_scope,
        # Each disputed version screened on its own; the rules whose outcome it changes.
        extra={"disputes": disputes.compare(facts, policy, on=on)} if facts.disputes else {},
    )


# --- The batch fast path -------------------------------------------------------------------
# A docket screens the same policy a million times. `screen_outcomes` calls the very same
# predicates, in the same order, as `screen`, but keeps only their Verdicts: no Finding objects
# (citations, labels...), no facts digest. `tests/core/test_batch.py` checks that it agrees with
# `screen` on every row of a varied docket.


@dataclass(frozen=True, slots=True)
class Plan:
    """A policy's rules in Screening order (findings, risks, relief) with their predicates."""

    policy: Policy
    rules: tuple[Rule, ...]
    calls: tuple[tuple[Predicate, dict[str, Any]], ...]
    findings: int  # rules[:findings] are findings, then `risks` risks, then the relief screens
    risks: int

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


_PLANS: dict[int, Plan] = {}


def plan(policy: Policy) -> Plan:
    """The policy's Plan, built once per policy object (keyed by identity, like rules._compiled)."""
    hit = _PLANS.get(id(policy))
    if hit is not None and hit.policy is policy:
        return hit
    from discretion import relief

    findings = tuple(r for r in policy.rules if r.kind is not Kind.RISK)
    risks = tuple(r for r in policy.rules if r.kind is Kind.RISK)
    # As screen_relief: no relief file, no relief screens; relief runs through its gates.
    extra = relief._shipped()[0] if relief.RELIEF_FILE.exists() else ()
    extra_calls = relief.shipped_calls() if extra else ()
    rules = (*findings, *risks, *extra)
    calls = (*(predicate_of(r) for r in (*findings, *risks)), *extra_calls)
    built = Plan(policy, rules, tuple(calls), len(findings), len(risks))
    if len(_PLANS) > 100:
        _PLANS.clear()
    _PLANS[id(policy)] = built
    return built


@dataclass(frozen=True, slots=True)
class Outcomes:
    """What `screen` decides, without the Findings: one Verdict per rule of `plan.rules`."""

    plan: Plan
    on: date
    verdicts: tuple[Verdict, ...]
    problems: tuple[Problem, ...]

    @property
    def missing_facts(self) -> list[dict[str, Any]]:
        """As `Screening.missing_facts`."""
        from discretion.records import records

        table = records()
        needed: dict[str, list[str]] = {}
        for rule, verdict in zip(self.plan.rules, self.verdicts, strict=True):
            for path in verdict.missing:
                needed.setdefault(path, []).append(rule.id)
        return [
            {"path": p, "needed_by": ids, "records": table.titles(p)} for p, ids in sorted(needed.items())
        ]


def screen_outcomes(facts: CaseFacts, policy: Policy, *, on: date) -> Outcomes:
    """`screen`'s verdicts and problems for ``facts``: the same predicates, no Finding objects."""
    p = plan(policy)
    return Outcomes(
        p,
        on,
        tuple([test(facts, on, **params) for test, params in p.calls]),
        tuple(validation.check(facts, on=on)),
    )
