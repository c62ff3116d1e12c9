"""Rules as data: the shape of every priority, factor, risk and relief flag in the data files.

A rule names one predicate (``test``) with its parameters (``with``), cites its sources, and
carries the confidence tag of the domain digest. Evaluating a rule against facts gives a
:class:`Finding`, which is what screens, checklists and letters consume.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from discretion import predicates
from discretion.facts import CaseFacts, RequestedAction
from discretion.predicates import Outcome

Date = date  # alias: a field named `date` would shadow the type inside its class


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Confidence(StrEnum):
    """The digest's tags: [S] statute read, [C] confirmed, [P] partial, [U] unverified."""

    STATUTE = "statute"
    CONFIRMED = "confirmed"
    PARTIAL = "partial"
    UNVERIFIED = "unverified"

    @property
    def is_unsure(self) -> bool:
        return self in (Confidence.PARTIAL, Confidence.UNVERIFIED)

    @property
    def mark(self) -> str:
        """Short mark shown beside a conclusion that rests on an unsure fact."""
        return {"partial": "[partly confirmed]", "unverified": "[UNVERIFIED]"}.get(self.value, "")


class Kind(StrEnum):
    PRIORITY = "priority"
    AGGRAVATING = "aggravating"
    MITIGATING = "mitigating"
    RISK = "risk"
    RELIEF = "relief"


class Polarity(StrEnum):
    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"


DEFAULT_POLARITY = {
    Kind.PRIORITY: Polarity.UNFAVOURABLE,
    Kind.AGGRAVATING: Polarity.UNFAVOURABLE,
    Kind.MITIGATING: Polarity.FAVOURABLE,
    Kind.RISK: Polarity.UNFAVOURABLE,
    Kind.RELIEF: Polarity.FAVOURABLE,
}


class Source(_Strict):
    """A document the data relies on. Rules cite it by ``id``."""

    id: str
    title: str
    date: Date | None = None
    issuer: str | None = None
    href: str | None = None
    confidence: Confidence
    note: str | None = None


class Citation(_Strict):
    source: str = Field(description="id of a source listed in the file's `sources`")
    pin: str | None = Field(None, description="section, page or paragraph")
    note: str | None = None


class Change(_Strict):
    """A dated change in a relief's availability (a court order, a new memo), worded for the screen."""

    starts: Date = Field(description="The day the change takes effect.")
    text: str
    source: str = Field(description="id of a source listed in the file's `sources`")
    confidence: Confidence


class Gates(_Strict):
    """When and where a relief can be used at all: checked before its threshold is reported.

    ``in_force_from`` dates the program (DACA: 2012-06-15); a screen as of an earlier day never
    offers it. ``forum: court`` relief is decided only by an immigration judge: outside proceedings it
    is "not available now", and after a final order it needs a motion to reopen first. A prior removal
    order (reinstatement exposure, INA 241(a)(5)) sends every relief it can bar to attorney review.
    """

    in_force_from: Date | None = Field(
        None, description="First day the relief exists; omitted when it predates every shipped policy."
    )
    source: str = Field(description="id of the source that dates the relief")
    forum: Literal["court", "uscis", "court_or_uscis"]
    final_order: Literal["motion_to_reopen", "no_bar"]
    prior_order: Literal["review", "no_bar"]
    prior_order_note: str | None = None
    changes: list[Change] = Field(default_factory=list)


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.]*$")
    kind: Kind
    label: str
    polarity: Polarity | None = None
    test: str
    params: dict[str, Any] = Field(default_factory=dict, alias="with")
    cite: list[Citation] = Field(min_length=1)
    confidence: Confidence
    evidence: list[str] = Field(default_factory=list)
    letter: str | None = Field(None, description="The sentence a request letter uses when the rule is met.")
    note: str | None = None
    weigh: str | None = Field(
        None,
        description=(
            "For a factor whose source gives no number: the sentence saying so. The rule's line only measures; "
            "its outcome is `review` with the measured value, never `met` or `not_met`."
        ),
    )
    # risks only
    level: str | None = Field(None, pattern=r"^(high|medium|low)$")
    applies_to: list[RequestedAction] = Field(default_factory=list)
    lowered_by: list[str] = Field(default_factory=list)
    # relief only
    threshold: str | None = None
    gates: Gates | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        default = DEFAULT_POLARITY[self.kind]
        if self.polarity is not None and self.polarity != default:
            raise ValueError(f"polarity {self.polarity.value!r} contradicts kind {self.kind.value!r}")
        if self.kind is Kind.RISK and (self.level is None or not self.lowered_by):
            raise ValueError("a risk needs `level` and `lowered_by` (the facts that would lower it)")
        if self.kind is Kind.RELIEF and not self.threshold:
            raise ValueError("a relief flag needs `threshold`")
        if self.gates is not None and self.kind is not Kind.RELIEF:
            raise ValueError("only a relief flag has `gates`")
        return self

    @property
    def effective_polarity(self) -> Polarity:
        return self.polarity or DEFAULT_POLARITY[self.kind]


@dataclass(frozen=True, slots=True)
class CitationView:
    """A citation resolved against its source: what outputs print."""

    source_id: str
    title: str
    date: date | None
    pin: str | None
    href: str | None
    confidence: Confidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source_id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "pin": self.pin,
            "href": self.href,
            "confidence": self.confidence.value,
        }

    def text(self) -> str:
        parts = [self.title]
        if self.date:
            parts.append(f"({self.date.isoformat()})")
        if self.pin:
            parts.append(self.pin)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's answer for one case: the unit every output is built from."""

    id: str
    kind: Kind
    label: str
    polarity: Polarity
    outcome: Outcome
    reason: str
    facts_used: tuple[str, ...]
    missing: tuple[str, ...]
    citations: tuple[CitationView, ...]
    confidence: Confidence
    evidence: tuple[str, ...] = ()
    letter: str | None = None
    note: str | None = None
    level: str | None = None
    applies_to: tuple[str, ...] = ()
    lowered_by: tuple[str, ...] = ()
    threshold: str | None = None
    supporting: tuple[str, ...] = ()
    against: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "label": self.label,
            "polarity": self.polarity.value,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "facts_used": list(self.facts_used),
            "missing_facts": list(self.missing),
            "citations": [c.to_dict() for c in self.citations],
            "confidence": self.confidence.value,
        }
        if self.note:
            data["note"] = self.note
        if self.kind is Kind.RISK:
            data |= {
                "level": self.level,
                "applies_to": list(self.applies_to),
                "lowered_by": list(self.lowered_by),
            }
        if self.kind is Kind.RELIEF:
            data |= {
                "threshold": self.threshold,
                "meets": list(self.supporting),
                "misses": list(self.against),
            }
        elif self.outcome is Outcome.REVIEW:
            data |= {"meets": list(self.supporting), "misses": list(self.against)}
        if self.kind in (Kind.MITIGATING, Kind.AGGRAVATING, Kind.PRIORITY):
            data["evidence"] = list(self.evidence)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            id=data["id"],
            kind=Kind(data["kind"]),
            label=data["label"],
            polarity=Polarity(data["polarity"]),
            outcome=Outcome(data["outcome"]),
            reason=data["reason"],
            facts_used=tuple(data.get("facts_used", ())),
            missing=tuple(data.get("missing_facts", ())),
            citations=tuple(
                CitationView(
                    c["source"],
                    c["title"],
                    date.fromisoformat(c["date"]) if c.get("date") else None,
                    c.get("pin"),
                    c.get("href"),
                    Confidence(c["confidence"]),
                )
                for c in data.get("citations", ())
            ),
            confidence=Confidence(data["confidence"]),
            evidence=tuple(data.get("evidence", ())),
            note=data.get("note"),
            level=data.get("level"),
            applies_to=tuple(data.get("applies_to", ())),
            lowered_by=tuple(data.get("lowered_by", ())),
            threshold=data.get("threshold"),
            supporting=tuple(data.get("meets", ())),
            against=tuple(data.get("misses", ())),
        )


def predicate_of(rule: Rule) -> tuple[predicates.Predicate, dict[str, Any]]:
    """The predicate ``rule`` runs and its parameters: ``evaluate`` without the Finding."""
    return _weighed(rule), rule.params


def _weighed(rule: Rule) -> predicates.Predicate:
    """``rule``'s predicate; for a rule with ``weigh``, one whose decided outcomes become ``review``."""
    test = predicates.get(rule.test)
    sentence = rule.weigh
    if not sentence:
        return test

    def run(facts: CaseFacts, on: Date, **params: Any) -> predicates.Verdict:
        verdict = test(facts, on, **params)
        if verdict.outcome not in (Outcome.MET, Outcome.NOT_MET):
            return verdict
        # The tool's own line is kept as what the measure reached (`supporting`) or fell short of
        # (`against`), so a letter can still argue a favourable figure counsel has weighed.
        line = (verdict.reason,)
        return predicates.Verdict(
            Outcome.REVIEW,
            f"{verdict.reason.rstrip()} {sentence}",
            verdict.facts_used,
            verdict.missing,
            line if verdict.outcome is Outcome.MET else verdict.supporting,
            line if verdict.outcome is Outcome.NOT_MET else verdict.against,
        )

    return run


def evaluate(rule: Rule, sources: dict[str, Source], facts: CaseFacts, on: date) -> Finding:
    """Run ``rule``'s predicate on ``facts`` as of ``on`` and attach its citations."""
    return evaluate_with(rule, sources, facts, on, None)


def evaluate_with(
    rule: Rule,
    sources: dict[str, Source],
    facts: CaseFacts,
    on: date,
    call: predicates.Predicate | None,
) -> Finding:
    """As ``evaluate``, running ``call`` (the rule's predicate wrapped, e.g. with relief gates) if given."""
    test, params, static = _compiled(rule, sources)
    verdict = (call or test)(facts, on, **params)
    return Finding(
        outcome=verdict.outcome,
        reason=verdict.reason,
        facts_used=verdict.facts_used,
        missing=verdict.missing,
        supporting=verdict.supporting,
        against=verdict.against,
        **static,
    )


# A rule's citations, labels and tuples do not depend on the case, yet building them cost as
# much as running the predicate; a docket of a million cases evaluates each rule a million
# times, so they are built once per (rule, sources). Keyed by id() because a Rule (its `with`
# dict) is unhashable; the stored objects make a reused id a miss, never a wrong hit.
_COMPILED: dict[
    int, tuple[Rule, dict[str, Source], predicates.Predicate, dict[str, Any], dict[str, Any]]
] = {}
_COMPILED_MAX = 20_000  # policies reloaded in a long-lived process must not grow this forever


def _compiled(
    rule: Rule, sources: dict[str, Source]
) -> tuple[predicates.Predicate, dict[str, Any], dict[str, Any]]:
    hit = _COMPILED.get(id(rule))
    if hit is not None and hit[0] is rule and hit[1] is sources:
        return hit[2], hit[3], hit[4]
    static: dict[str, Any] = {
        "id": rule.id,
        "kind": rule.kind,
        "label": rule.label,
        "polarity": rule.effective_polarity,
        "citations": tuple(resolve(c, sources) for c in rule.cite),
        "confidence": rule.confidence,
        "evidence": tuple(rule.evidence),
        "letter": rule.letter,
        "note": rule.note,
        "level": rule.level,
        "applies_to": tuple(a.value for a in rule.applies_to),
        "lowered_by": tuple(rule.lowered_by),
        "threshold": rule.threshold,
    }
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    test = _weighed(rule)
    _COMPILED[id(rule)] = (rule, sources, test, rule.params, static)
    return test, rule.params, static


def resolve(citation: Citation, sources: dict[str, Source]) -> CitationView:
    source = sources[citation.source]
    return CitationView(source.id, source.title, source.date, citation.pin, source.href, source.confidence)
