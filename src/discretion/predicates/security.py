"""Predicates about national security and gang involvement.

Gang allegations are handled with care: most memos speak of *participation* in a gang at 16 or
older, and Doyle 2022 warns that inclusion in a gang database alone proves little, so the
reason always says where the allegation comes from.
"""

from __future__ import annotations

from datetime import date

from discretion.facts import CaseFacts, OffenceCategory
from discretion.predicates import Verdict, predicate


@predicate
def national_security_concern(facts: CaseFacts, on: date, *, include_human_rights: bool = False) -> Verdict:
    """The person engaged in or is suspected of terrorism or espionage; with
    ``include_human_rights``, perpetrating human-rights violations counts as well."""
    s = facts.security
    found, missing = [], []
    checks = [("security.terrorism_or_espionage", s.terrorism_or_espionage, "terrorism or espionage")]
    if include_human_rights:
        checks.append(
            ("security.human_rights_violations", s.human_rights_violations, "human-rights violations")
        )
    for path, value, label in checks:
        if value:
            found.append((path, label))
        elif value is None:
            missing.append(path)
    if found:
        return Verdict.met(
            "Engaged in or suspected of " + " and ".join(label for _, label in found) + ".",
            *(p for p, _ in found),
        )
    if missing:
        return Verdict.unknown("National-security questions have not been answered.", tuple(missing))
    text = (
        "No terrorism, espionage or human-rights violations recorded."
        if include_human_rights
        else "No terrorism or espionage recorded."
    )
    return Verdict.not_met(text, *(p for p, _, _ in checks))


@predicate
def gang_participation(
    facts: CaseFacts, on: date, *, min_age: int = 16, include_convictions: bool = True
) -> Verdict:
    """The person participated in a criminal gang at age ``min_age`` or older (``min_age: 0``
    ignores age), or (with ``include_convictions``) was convicted of an offence with a gang
    element."""
    g = facts.gang
    convicted = g.convicted_of_gang_offence
    if include_convictions and facts.criminal_history:
        convicted = convicted or any(OffenceCategory.GANG in e.categories for e in facts.criminal_history)
    if include_convictions and convicted:
        return Verdict.met("Convicted of an offence with a gang element.", "gang.convicted_of_gang_offence")
    source = f" (source: {g.source})" if g.source else " (source not recorded)"
    if g.alleged and min_age <= 0:
        return Verdict.met(f"Gang membership or participation alleged{source}.", "gang.alleged")
    if g.alleged:
        if g.age_at_participation is None:
            return Verdict.unknown(
                f"Gang participation is alleged{source}, but the age at participation is not known.",
                ("gang.age_at_participation",),
                "gang.alleged",
            )
        text = f"Gang participation alleged{source} at age {g.age_at_participation} (threshold {min_age})."
        if g.age_at_participation >= min_age:
            return Verdict.met(text, "gang.alleged", "gang.age_at_participation")
        return Verdict.not_met(text, "gang.alleged", "gang.age_at_participation")
    missing = [p for p, v in (("gang.alleged", g.alleged),) if v is None]
    if include_convictions and convicted is None and facts.criminal_history is None:
        missing.append("gang.convicted_of_gang_offence")
    if missing:
        return Verdict.unknown("Not known whether gang involvement is alleged.", tuple(missing))
    return Verdict.not_met("No gang involvement alleged.", "gang.alleged")


@predicate
def human_rights_violator(facts: CaseFacts, on: date) -> Verdict:
    """The person perpetrated (or is accused of perpetrating) human-rights violations, or is a
    persecutor."""
    s = facts.security
    if s.human_rights_violations or s.persecutor:
        return Verdict.met(
            "Human-rights violations or persecution of others are alleged.",
            "security.human_rights_violations",
            "security.persecutor",
        )
    if s.human_rights_violations is None:
        return Verdict.unknown(
            "Not known whether human-rights violations are alleged.", ("security.human_rights_violations",)
        )
    return Verdict.not_met("No human-rights violations alleged.", "security.human_rights_violations")
