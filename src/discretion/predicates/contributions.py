"""Predicates about what the person has built and given here: education, military service,
work and taxes, and community ties.
"""

from __future__ import annotations

from datetime import date

from discretion.facts import CaseFacts, Discharge, Relationship
from discretion.predicates import Verdict, predicate, unknown_paths


@predicate
def pursuing_us_education(facts: CaseFacts, on: date) -> Verdict:
    """The person graduated from a U.S. high school (or has a GED), attends or attended a U.S.
    college, or is enrolled in school now."""
    e = facts.education
    checks = {
        "education.us_high_school_diploma_or_ged": (
            e.us_high_school_diploma_or_ged,
            "U.S. high-school diploma or GED",
        ),
        "education.us_college": (e.us_college, "U.S. college studies"),
        "education.enrolled_now": (e.enrolled_now, "currently enrolled"),
    }
    found = [label for value, label in checks.values() if value]
    if found:
        return Verdict.met("Education: " + ", ".join(found) + ".", *(p for p, (v, _) in checks.items() if v))
    missing = tuple(p for p, (v, _) in checks.items() if v is None)
    if missing:
        return Verdict.unknown("Education in the U.S. not fully entered.", missing)
    return Verdict.not_met("No U.S. diploma, college studies or current enrolment recorded.", *checks)


# Immediate relatives; a child younger than 17 cannot have enlisted, so is not asked about.
IMMEDIATE = (Relationship.SPOUSE, Relationship.PARENT, Relationship.CHILD)


@predicate
def military_service(
    facts: CaseFacts, on: date, *, include_family: bool = False, combat_only: bool = False
) -> Verdict:
    """The person (or, with ``include_family``, an immediate relative) served in the U.S.
    armed forces, reserves or National Guard, other than with a dishonourable or bad-conduct
    discharge; with ``combat_only`` only combat service counts."""
    m = facts.military
    bad = m.discharge in (Discharge.DISHONORABLE, Discharge.BAD_CONDUCT)
    if m.served and not bad and (m.combat or not combat_only):
        detail = ", ".join(
            x
            for x in (
                m.branch,
                "combat" if m.combat else None,
                m.discharge.value.replace("_", " ") if m.discharge else None,
            )
            if x
        )
        return Verdict.met(
            f"Served in the U.S. military{f' ({detail})' if detail else ''}.", "military.served"
        )
    immediate = [
        (i, r)
        for i, r in enumerate(facts.family or ())
        if r.relationship in IMMEDIATE and not (r.age is not None and r.age < 17)
    ]
    if include_family and facts.family:
        relatives = [r for _, r in immediate if r.military_service]
        if relatives and not combat_only:
            names = "; ".join(f"{r.relationship.value}{' ' + r.name if r.name else ''}" for r in relatives)
            return Verdict.met(f"Relative(s) served in the U.S. military: {names}.", "family")
    missing = []
    if m.served is None:
        missing.append("military.served")
    if m.served and combat_only and m.combat is None:
        missing.append("military.combat")
    if include_family:
        if facts.family is None:
            missing.append("family")
        else:
            missing += [f"family[{i}].military_service" for i, r in immediate if r.military_service is None]
    if missing and not (m.served and bad):
        return Verdict.unknown("Military service not fully entered.", tuple(missing))
    if m.served and m.discharge is not None and bad:
        return Verdict.not_met(
            f"Served, but discharged {m.discharge.value.replace('_', ' ')}.", "military.discharge"
        )
    return Verdict.not_met("No qualifying U.S. military service recorded.", "military.served")


@predicate
def community_ties(facts: CaseFacts, on: date) -> Verdict:
    """The person has ties to and makes contributions in the community: activities, volunteering
    or letters of support."""
    c = facts.community
    parts = []
    if c.activities:
        parts.append("; ".join(c.activities))
    if c.support_letters:
        parts.append(f"{c.support_letters} letter(s) of support")
    if parts or c.ties:
        return Verdict.met("Community ties: " + ("; ".join(parts) or "recorded") + ".", "community.ties")
    if c.ties is None and c.activities is None and c.support_letters is None:
        return Verdict.unknown("Community ties not entered.", ("community.ties",))
    return Verdict.not_met("No community ties recorded.", "community.ties")


@predicate
def work_history(facts: CaseFacts, on: date, *, years: int = 1) -> Verdict:
    """The person has worked in the United States for at least ``years`` years or has filed
    taxes."""
    e = facts.employment
    parts = []
    if e.years_worked_in_us is not None and e.years_worked_in_us >= years:
        n = e.years_worked_in_us
        parts.append(f"{n} year{'' if n == 1 else 's'} of work in the U.S.")
    if e.filed_taxes:
        parts.append(f"taxes filed{' for ' + str(len(e.tax_years)) + ' year(s)' if e.tax_years else ''}")
    if parts:
        return Verdict.met(
            "Work history: " + "; ".join(parts) + ".",
            "employment.years_worked_in_us",
            "employment.filed_taxes",
        )
    missing = unknown_paths(
        ("employment.years_worked_in_us", e.years_worked_in_us), ("employment.filed_taxes", e.filed_taxes)
    )
    if missing:
        return Verdict.unknown("Work and tax history not fully entered.", missing)
    return Verdict.not_met(
        f"Less than {years} year(s) of U.S. work and no tax filings recorded.",
        "employment.years_worked_in_us",
    )
