"""Predicates about humanitarian circumstances: age, health, pregnancy, caregiving, being a
victim or witness, fear of return, and relief already being pursued.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from discretion.facts import ApplicationKind, CaseFacts, Relationship
from discretion.predicates import Verdict, predicate, unknown_paths
from discretion.predicates.parameters import enum_values
from discretion.timeline import age_on


class VictimKind(StrEnum):
    DOMESTIC_VIOLENCE = "domestic_violence"
    TRAFFICKING = "trafficking"
    CRIME = "crime"


APPLICATION_WORDS = {
    "cat": "CAT protection",
    "cancellation_non_lpr": "non-LPR cancellation of removal",
    "cancellation_lpr": "LPR cancellation of removal",
    "vawa_cancellation": "VAWA cancellation",
    "adjustment": "adjustment of status",
    "i130": "I-130 petition",
    "i601a": "I-601A waiver",
    "u_visa": "U visa",
    "t_visa": "T visa",
    "sijs": "SIJ status",
    "vawa_self_petition": "VAWA self-petition",
    "tps": "TPS",
    "daca": "DACA",
}


def _age(facts: CaseFacts, on: date) -> int | None:
    born = facts.identity.date_of_birth
    return age_on(born, on) if born else None


@predicate
def age_under(facts: CaseFacts, on: date, *, years: int) -> Verdict:
    """The person is younger than ``years`` on ``on``."""
    age = _age(facts, on)
    if age is None:
        return Verdict.unknown("Date of birth not known.", ("identity.date_of_birth",))
    text = f"Age {age} on {on.isoformat()} (threshold: under {years})."
    return (Verdict.met if age < years else Verdict.not_met)(text, "identity.date_of_birth")


@predicate
def age_at_least(facts: CaseFacts, on: date, *, years: int) -> Verdict:
    """The person is ``years`` old or older on ``on``."""
    age = _age(facts, on)
    if age is None:
        return Verdict.unknown("Date of birth not known.", ("identity.date_of_birth",))
    text = f"Age {age} on {on.isoformat()} (threshold {years})."
    return (Verdict.met if age >= years else Verdict.not_met)(text, "identity.date_of_birth")


@predicate
def serious_health_condition(facts: CaseFacts, on: date, *, include_spouse: bool = False) -> Verdict:
    """The person (or, with ``include_spouse``, their spouse) has a serious physical or mental
    illness or a disability."""
    health = facts.health
    serious = [c.description for c in health.conditions or () if c.serious]
    if health.disability:
        serious.append("disability")
    spouse = [m for m in facts.family or () if m.relationship is Relationship.SPOUSE]
    if include_spouse:
        serious += [
            f"spouse{' ' + m.name if m.name else ''}: serious illness or disability"
            for m in spouse
            if m.serious_illness or m.disability
        ]
    if serious:
        return Verdict.met("Serious health condition: " + "; ".join(serious) + ".", "health.conditions")
    missing = []
    if health.conditions is None:
        missing.append("health.conditions")
    missing += [
        f"health.conditions[{i}].serious" for i, c in enumerate(health.conditions or ()) if c.serious is None
    ]
    if include_spouse:
        if facts.family is None:
            missing.append("family")
        missing += [
            f"family[{i}].serious_illness"
            for i, m in enumerate(facts.family or ())
            if m.relationship is Relationship.SPOUSE and m.serious_illness is None and m.disability is None
        ]
    if missing:
        return Verdict.unknown("Health information is incomplete.", tuple(missing))
    return Verdict.not_met("No serious illness or disability recorded.", "health.conditions")


@predicate
def mental_condition_contributed(facts: CaseFacts, on: date) -> Verdict:
    """A mental condition may have contributed to the criminal conduct."""
    return Verdict.of(
        facts.health.mental_condition_contributed_to_conduct,
        "health.mental_condition_contributed_to_conduct",
        "A mental condition may have contributed to the conduct.",
        "No mental condition is said to have contributed to the conduct.",
        "Not known whether a mental condition contributed to the conduct.",
    )


def _pregnancy_recorded(facts: CaseFacts) -> list[str]:
    """Health conditions whose description records a pregnancy."""
    return [c.description for c in facts.health.conditions or () if "pregnan" in c.description.lower()]


@predicate
def pregnant_or_nursing(
    facts: CaseFacts, on: date, *, include_spouse: bool = False, pregnancy_only: bool = False
) -> Verdict:
    """The person (or, with ``include_spouse``, their spouse) is pregnant or nursing. With
    ``pregnancy_only`` (memos that name pregnancy but not nursing) only the person's own
    pregnancy counts: the combined ``pregnant_or_nursing`` fact cannot tell pregnancy from
    nursing, so it must be confirmed by a health condition that records the pregnancy."""
    own = facts.health.pregnant_or_nursing
    pregnant = facts.health.pregnant
    if pregnant:
        return Verdict.met("Pregnant.", "health.pregnant")
    if pregnancy_only:
        if pregnant is False:
            return Verdict.not_met("Not pregnant.", "health.pregnant")
        recorded = _pregnancy_recorded(facts)
        if recorded:
            return Verdict.met(f"Pregnant: {'; '.join(recorded)}.", "health.conditions")
        if own is None:
            return Verdict.unknown("Not known whether the person is pregnant.", ("health.pregnant",))
        if own:
            return Verdict.unknown(
                "Recorded as pregnant or nursing, but this policy names pregnancy only (not nursing): "
                "say whether the person is pregnant.",
                ("health.pregnant",),
                "health.pregnant_or_nursing",
            )
        return Verdict.not_met("Not pregnant.", "health.pregnant_or_nursing")
    spouse = facts.health.spouse_pregnant_or_nursing if include_spouse else False
    if own:
        return Verdict.met("Pregnant or nursing.", "health.pregnant_or_nursing")
    if spouse:
        return Verdict.met("Spouse is pregnant or nursing.", "health.spouse_pregnant_or_nursing")
    missing = unknown_paths(
        ("health.pregnant_or_nursing", own), ("health.spouse_pregnant_or_nursing", spouse)
    )
    if missing:
        return Verdict.unknown("Not known whether pregnant or nursing.", missing)
    return Verdict.not_met("Not pregnant or nursing.", "health.pregnant_or_nursing")


@predicate
def primary_caretaker(facts: CaseFacts, on: date) -> Verdict:
    """The person is the primary caretaker of a minor, a person with a disability, or a
    seriously ill relative."""
    c = facts.caretaker
    detail = ", ".join(x for x in (c.of_whom, c.dependant_condition) if x)
    return Verdict.of(
        c.primary_caretaker,
        "caretaker.primary_caretaker",
        f"Primary caretaker{': ' + detail if detail else ''}.",
        "Not a primary caretaker.",
        "Not known whether the person is someone's primary caretaker.",
    )


@predicate
@enum_values(kinds=VictimKind)
def crime_victim(facts: CaseFacts, on: date, *, kinds: list[str] | None = None) -> Verdict:
    """The person is a victim of domestic violence, trafficking, or another crime; ``kinds``
    limits it to some of: domestic_violence, trafficking, crime."""
    v = facts.victimisation
    values = {"domestic_violence": v.domestic_violence, "trafficking": v.trafficking, "crime": v.crime_victim}
    chosen = {k: values[k] for k in kinds or values}
    found = [k.replace("_", " ") for k, value in chosen.items() if value]
    if found:
        crime = f" ({v.crime})" if v.crime else ""
        return Verdict.met(f"Victim of {', '.join(found)}{crime}.", *(f"victimisation.{k}" for k in chosen))
    paths = {
        "domestic_violence": "victimisation.domestic_violence",
        "trafficking": "victimisation.trafficking",
        "crime": "victimisation.crime_victim",
    }
    missing = tuple(paths[k] for k, value in chosen.items() if value is None)
    if missing:
        return Verdict.unknown("Not known whether the person is a victim of crime.", missing)
    return Verdict.not_met("Not recorded as a victim of crime.", *(paths[k] for k in chosen))


@predicate
def victim_witness_or_party(facts: CaseFacts, on: date) -> Verdict:
    """The person is a crime victim, or a victim, witness or party in civil or criminal
    proceedings (including a labour or housing dispute)."""
    v = facts.victimisation
    values = {
        "victimisation.crime_victim": (v.crime_victim, "crime victim"),
        "victimisation.domestic_violence": (v.domestic_violence, "domestic-violence victim"),
        "victimisation.trafficking": (v.trafficking, "trafficking victim"),
        "victimisation.witness_or_party_in_proceedings": (
            v.witness_or_party_in_proceedings,
            "witness or party in proceedings",
        ),
        "victimisation.labor_or_housing_dispute": (
            v.labor_or_housing_dispute,
            "party or witness in a labour or housing dispute",
        ),
    }
    found = [label for value, label in values.values() if value]
    if found:
        return Verdict.met(
            "Recorded as: " + ", ".join(found) + ".", *(p for p, (value, _) in values.items() if value)
        )
    missing = tuple(p for p, (value, _) in values.items() if value is None)
    if len(missing) == len(values):
        return Verdict.unknown("Victim or witness status not entered.", missing)
    return Verdict.not_met("Not recorded as a victim, witness or party in proceedings.", *values)


@predicate
def cooperates_with_law_enforcement(facts: CaseFacts, on: date) -> Verdict:
    """The person is cooperating or has cooperated with law-enforcement authorities."""
    return Verdict.of(
        facts.victimisation.helpful_to_law_enforcement,
        "victimisation.helpful_to_law_enforcement",
        "Has helped or is helping law enforcement.",
        "No cooperation with law enforcement recorded.",
        "Not known whether the person has cooperated with law enforcement.",
    )


@predicate
def fears_return(facts: CaseFacts, on: date) -> Verdict:
    """The person fears harm if returned to the home country."""
    return Verdict.of(
        facts.fear.fears_return,
        "fear.fears_return",
        "Fears return to the home country.",
        "No fear of return recorded.",
        "Not known whether the person fears return.",
    )


@predicate
def removal_impracticable(facts: CaseFacts, on: date) -> Verdict:
    """The person's nationality makes removal unlikely (statelessness, or a country that does not
    accept returns)."""
    return Verdict.of(
        facts.identity.removal_impracticable,
        "identity.removal_impracticable",
        "Nationality makes removal unlikely.",
        "Nothing recorded that makes removal impracticable.",
        "Not known whether the person's nationality makes removal unlikely.",
    )


@predicate
@enum_values(kinds=ApplicationKind)
def relief_being_pursued(facts: CaseFacts, on: date, *, kinds: list[str]) -> Verdict:
    """An application for one of ``kinds`` of relief or status is pending or approved (not
    denied)."""
    pending = facts.proceedings.pending_applications
    if pending is None:
        return Verdict.unknown(
            "Pending applications have not been entered.", ("proceedings.pending_applications",)
        )
    wanted = {ApplicationKind(k) for k in kinds}
    matching = [a for a in pending if a.kind in wanted and a.approved is not False]
    # An application filed after `on` was not on file as of `on`.
    found = [a for a in matching if a.filed_on is None or a.filed_on <= on]
    later = [a for a in matching if a.filed_on is not None and a.filed_on > on]
    after = (
        f" Not counted, filed after {on.isoformat()}: "
        + "; ".join(f"{_words(a.kind)} filed {a.filed_on.isoformat()}" for a in later if a.filed_on)
        + "."
        if later
        else ""
    )
    if found:
        shown = "; ".join(
            f"{_words(a.kind)}{' (approved)' if a.approved else ''}"
            + (f" filed {a.filed_on.isoformat()}" if a.filed_on else " (filing date not recorded)")
            for a in found
        )
        return Verdict.met(f"Relief on file: {shown}.{after}", "proceedings.pending_applications")
    return Verdict.not_met(
        f"No pending or approved application of this kind on {on.isoformat()} (see the relief screen "
        f"for possible eligibility).{after}",
        "proceedings.pending_applications",
    )


def _words(kind: ApplicationKind) -> str:
    return APPLICATION_WORDS.get(kind.value, kind.value.replace("_", " "))


@predicate
def labour_or_housing_dispute(facts: CaseFacts, on: date) -> Verdict:
    """The person exercised workplace or tenant rights, or is a witness or party in a labour or
    housing dispute."""
    return Verdict.of(
        facts.victimisation.labor_or_housing_dispute,
        "victimisation.labor_or_housing_dispute",
        "Exercised workplace or tenant rights, or is a witness or party in a labour or housing dispute.",
        "No labour or housing dispute recorded.",
        "Not known whether the person is involved in a labour or housing dispute.",
    )
