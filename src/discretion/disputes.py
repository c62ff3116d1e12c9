"""Disputed facts: each alternative version of a fact is screened, and the differences reported.

A case file records one value for each fact; ``disputes`` adds the other versions (the client
says she entered in 2008, the FOIA shows 2011), each with its source. The screen runs once on
the facts as recorded and once per alternative version, changing only that one fact, and lists
every rule whose outcome changes: which version, from what outcome to what, and the reason each
screen gave. A practitioner then knows which disputes matter before arguing any of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from discretion import fact_paths

if TYPE_CHECKING:
    from discretion.facts import CaseFacts, DisputedFact, FactVersion
    from discretion.policies import Policy
    from discretion.rules import Finding


@dataclass(frozen=True, slots=True)
class Alternative:
    """The case with one disputed fact set to one of its alternative versions."""

    dispute: int
    version: int
    fact: str
    value: Any
    source: str | None
    facts: CaseFacts


def _plain(facts: CaseFacts) -> dict[str, Any]:
    data = facts.model_dump(mode="json", exclude_none=True, exclude={"disputes"})
    return data


def _version_facts(facts: CaseFacts, base: dict[str, Any], fact: str, value: Any) -> CaseFacts:
    from discretion.facts import CaseFacts

    return CaseFacts.model_validate(fact_paths.replaced(base, fact_paths.parse(fact), value))


def check_versions(facts: CaseFacts) -> None:
    """Every dispute names a real fact and every version is a valid value for it (ValueError)."""
    if not facts.disputes:
        return
    base = _plain(facts)
    for d, dispute in enumerate(facts.disputes):
        where = f"disputes[{d}]"
        try:
            fact_paths.field_annotation(dispute.fact)
        except ValueError as exc:
            raise ValueError(f"{where}.fact: {exc}") from None
        for v, version in enumerate(dispute.versions):
            try:
                _version_facts(facts, base, dispute.fact, version.value)
            except ValidationError as exc:
                first = exc.errors()[0]
                msg = str(first["msg"]).removeprefix("Value error, ")
                raise ValueError(
                    f"{where}.versions[{v}].value: {version.value!r} is not a valid {dispute.fact}: {msg}"
                ) from None
            except ValueError as exc:
                raise ValueError(f"{where}.versions[{v}].value: {exc}") from None


def alternatives(facts: CaseFacts) -> list[Alternative]:
    """One Alternative per version of every disputed fact (each changes that one fact only)."""
    if not facts.disputes:
        return []
    base = _plain(facts)
    out = []
    for d, dispute in enumerate(facts.disputes):
        for v, version in enumerate(dispute.versions):
            out.append(
                Alternative(
                    d,
                    v,
                    dispute.fact,
                    version.value,
                    version.source,
                    _version_facts(facts, base, dispute.fact, version.value),
                )
            )
    return out


def recorded_value(facts: CaseFacts, dispute: DisputedFact) -> Any:
    return fact_paths.read(_plain(facts), fact_paths.parse(dispute.fact))


def compare(facts: CaseFacts, policy: Policy, *, on: date) -> list[dict[str, Any]]:
    """For each dispute: the versions, and per version the rules whose outcome differs from the
    screen of the facts as recorded (rule, both outcomes, both reasons). Plain data for the report."""
    from discretion.screening import screen

    if not facts.disputes:
        return []
    recorded = facts.model_copy(update={"disputes": None})
    base = _by_rule(screen(recorded, policy, on=on))
    out: list[dict[str, Any]] = []
    alts = alternatives(facts)
    for d, dispute in enumerate(facts.disputes):
        versions: list[dict[str, Any]] = []
        for alt in (a for a in alts if a.dispute == d):
            version: FactVersion = dispute.versions[alt.version]
            other = _by_rule(screen(alt.facts, policy, on=on))
            changes = [
                {
                    "rule": rule_id,
                    "label": finding.label,
                    "recorded_outcome": finding.outcome.value,
                    "version_outcome": other[rule_id].outcome.value,
                    "recorded_reason": finding.reason,
                    "version_reason": other[rule_id].reason,
                }
                for rule_id, finding in base.items()
                if rule_id in other and other[rule_id].outcome is not finding.outcome
            ]
            versions.append(
                {
                    # As the case would store it (dates as text), so the report is plain JSON.
                    "value": fact_paths.read(_plain(alt.facts), fact_paths.parse(dispute.fact)),
                    "source": version.source,
                    "basis": version.basis.value if version.basis else None,
                    "changes": changes,
                }
            )
        out.append(
            {
                "fact": dispute.fact,
                "recorded_value": recorded_value(facts, dispute),
                "recorded_source": dispute.recorded_source,
                "versions": versions,
                "outcome_differs": any(v["changes"] for v in versions),
            }
        )
    return out


def _by_rule(screening: Any) -> dict[str, Finding]:
    return {f.id: f for f in (*screening.findings, *screening.risks, *screening.relief)}


def describe(comparison: list[dict[str, Any]]) -> list[str]:
    """The comparison as lines for a person: which outcomes differ under which version, and why."""
    lines: list[str] = []
    for item in comparison:
        recorded = item["recorded_value"]
        src = f" ({item['recorded_source']})" if item["recorded_source"] else ""
        lines.append(f"Disputed: {item['fact']} recorded as {_show(recorded)}{src}.")
        for version in item["versions"]:
            vsrc = f" ({version['source']})" if version["source"] else ""
            head = f"  If {item['fact']} is {_show(version['value'])}{vsrc}:"
            if not version["changes"]:
                lines.append(f"{head} no outcome changes.")
                continue
            lines.append(f"{head} {len(version['changes'])} outcome(s) change.")
            for c in version["changes"]:
                lines.append(
                    f"    - {c['label']} [{c['rule']}]: {c['recorded_outcome']} -> {c['version_outcome']}. "
                    f"Recorded: {c['recorded_reason']} This version: {c['version_reason']}"
                )
    return lines


def _show(value: Any) -> str:
    return "unknown" if value is None else (repr(value) if isinstance(value, str) else str(value))
