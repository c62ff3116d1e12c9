"""Predicates about the person's family: U.S.-citizen and resident relatives, dependants, and
what removal would do to them.

``family`` of ``None`` means relatives have not been asked about (unknown); ``[]`` means the
person has none. A relative born after the screening date ``on`` does not count as of ``on``.
"""

from __future__ import annotations

from datetime import date

from discretion.facts import CaseFacts, FamilyMember, Relationship, RelativeStatus
from discretion.predicates import Verdict, predicate, unknown_paths
from discretion.predicates.parameters import enum_values
from discretion.timeline import age_on


def who(member: FamilyMember) -> str:
    name = f" {member.name}" if member.name else ""
    return f"{member.relationship.value}{name} ({member.status.value.upper() if member.status.value in ('usc', 'lpr') else member.status.value.replace('_', ' ')})"


def born_later(member: FamilyMember, on: date) -> bool:
    """The relative was born after ``on``, so was not yet family then."""
    return member.date_of_birth is not None and member.date_of_birth > on


def _later(facts: CaseFacts, on: date) -> str:
    later = [who(m) for m in facts.family or () if born_later(m, on)]
    return f" Not counted, born after {on.isoformat()}: {'; '.join(later)}." if later else ""


def _unasked() -> Verdict:
    return Verdict.unknown("Family members have not been entered.", ("family",))


@predicate
@enum_values(relationships=Relationship, statuses=RelativeStatus)
def has_relative(
    facts: CaseFacts,
    on: date,
    *,
    relationships: list[str],
    statuses: list[str],
    in_us: bool | None = None,
) -> Verdict:
    """The person has a relative of one of ``relationships`` (spouse, child, parent...) whose
    status is one of ``statuses`` (usc, lpr...); with ``in_us: true`` the relative must live in
    the United States."""
    if facts.family is None:
        return _unasked()
    kinds = {Relationship(r) for r in relationships}
    wanted = {RelativeStatus(s) for s in statuses}
    sure: list[tuple[FamilyMember, list[str]]] = []
    maybe: list[tuple[FamilyMember, list[str]]] = []
    for index, member in enumerate(facts.family):
        if member.relationship not in kinds or born_later(member, on):
            continue
        if in_us and member.in_us is False:
            continue
        missing = []
        if member.status is RelativeStatus.UNKNOWN and RelativeStatus.UNKNOWN not in wanted:
            missing.append(f"family[{index}].status")
        elif member.status not in wanted:
            continue
        if in_us and member.in_us is None:
            missing.append(f"family[{index}].in_us")
        (maybe if missing else sure).append((member, missing))
    kind_words = " or ".join(relationships)
    status_words = "/".join(s.upper() for s in statuses)
    if sure:
        return Verdict.met("Has " + "; ".join(who(m) for m, _ in sure) + ".", "family")
    if maybe:
        paths = tuple(p for _, ms in maybe for p in ms)
        return Verdict.unknown(
            f"Status or residence not known for: {'; '.join(who(m) for m, _ in maybe)}.", paths, "family"
        )
    return Verdict.not_met(f"No {status_words} {kind_words} recorded.{_later(facts, on)}", "family")


@predicate
def has_minor_child(facts: CaseFacts, on: date, *, under: int = 18) -> Verdict:
    """The person has a child under ``under`` years old on ``on`` (any status)."""
    if facts.family is None:
        return _unasked()
    sure, missing = [], []
    for index, member in enumerate(facts.family):
        if member.relationship is not Relationship.CHILD or born_later(member, on):
            continue
        age = age_on(member.date_of_birth, on) if member.date_of_birth else member.age
        if age is None:
            missing.append(f"family[{index}].date_of_birth")
        elif age < under:
            sure.append(f"{member.name or 'child'} (age {age})")
    if sure:
        return Verdict.met(f"Child under {under}: {', '.join(sure)}.", "family")
    if missing:
        return Verdict.unknown("Age of a child not known.", tuple(missing), "family")
    return Verdict.not_met(f"No child under {under} recorded.{_later(facts, on)}", "family")


@predicate
def relative_seriously_ill(facts: CaseFacts, on: date) -> Verdict:
    """A relative has a serious illness or a disability."""
    if facts.family is None:
        return _unasked()
    ill = [m for m in facts.family if (m.serious_illness or m.disability) and not born_later(m, on)]
    if ill:
        return Verdict.met(
            "Seriously ill or disabled relative: " + "; ".join(who(m) for m in ill) + ".", "family"
        )
    missing = tuple(
        f"family[{i}].serious_illness"
        for i, m in enumerate(facts.family)
        if m.serious_illness is None and m.disability is None and not born_later(m, on)
    )
    if missing:
        return Verdict.unknown("Not known whether some relatives are seriously ill.", missing, "family")
    return Verdict.not_met("No seriously ill or disabled relative recorded.", "family")


@predicate
def family_depends_on_person(facts: CaseFacts, on: date) -> Verdict:
    """Removal would take a provider or caregiver from family in the United States: the person
    is the primary caretaker of someone, or a relative in the U.S. depends on them."""
    if facts.caretaker.primary_caretaker:
        whom = f" of {facts.caretaker.of_whom}" if facts.caretaker.of_whom else ""
        return Verdict.met(f"Primary caretaker{whom}.", "caretaker.primary_caretaker")
    if facts.family is None:
        return _unasked()
    dependants = [m for m in facts.family if m.dependent and m.in_us is not False and not born_later(m, on)]
    if dependants:
        earner = " The person is the household's primary earner." if facts.employment.primary_earner else ""
        return Verdict.met(
            "Relatives depend on the person: " + "; ".join(who(m) for m in dependants) + "." + earner,
            "family",
        )
    missing = [
        f"family[{i}].dependent"
        for i, m in enumerate(facts.family)
        if m.dependent is None and not born_later(m, on)
    ]
    if facts.caretaker.primary_caretaker is None:
        missing.append("caretaker.primary_caretaker")
    if missing:
        return Verdict.unknown("Not known whether relatives depend on the person.", tuple(missing), "family")
    return Verdict.not_met("No relative depends on the person.", "family", "caretaker.primary_caretaker")


@predicate
def family_or_community_ties(facts: CaseFacts, on: date) -> Verdict:
    """The person has relatives living in the United States or recorded community ties."""
    relatives = [m for m in facts.family or () if m.in_us is not False and not born_later(m, on)]
    community = (
        facts.community.ties or bool(facts.community.activities) or bool(facts.community.support_letters)
    )
    if relatives or community:
        parts = []
        if relatives:
            parts.append(f"{len(relatives)} relative{'' if len(relatives) == 1 else 's'} in the U.S.")
        if community:
            parts.append("community ties")
        return Verdict.met("Has " + " and ".join(parts) + ".", "family", "community.ties")
    if facts.family is None or facts.community.ties is None:
        missing = unknown_paths(("family", facts.family), ("community.ties", facts.community.ties))
        return Verdict.unknown("Family or community ties not yet entered.", missing)
    return Verdict.not_met(
        "No relatives in the U.S. and no community ties recorded.", "family", "community.ties"
    )
