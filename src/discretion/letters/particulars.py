"""The particulars of one case as plain values a sentence template can name.

The letter's factor paragraphs are templates kept as data (``data/factors-en.yaml``); this
module only computes the values they read, as of the letter's date: who (relatives with their
names, ages and status), since when and for how long (dates and whole years), where (employer,
school, community), and what (service, conditions, care, convictions, rehabilitation). It
words nothing itself: every phrase is a template too (``phrases:`` in the same file).

Three rules keep a letter from hurting the person or saying what the file does not hold:

- a value the file does not hold is ``None`` (or an empty list), and the template leaves it out;
- a fact dated after the letter's date is left out (and reported: :attr:`Particulars.later`);
- a relative whose immigration status is not lawful, or not known, is never named to ICE: the
  letter counts only relatives with U.S. citizenship or lawful status, and the withheld ones are
  reported for the practitioner to decide (:attr:`Particulars.withheld`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from discretion.facts import (
    ApplicationKind,
    CaseFacts,
    CriminalEvent,
    Discharge,
    Disposition,
    FamilyMember,
    Relationship,
    RelativeStatus,
)
from discretion.predicates.criminal import as_of
from discretion.predicates.entry import age_at_arrival
from discretion.predicates.presence import presence_start
from discretion.timeline import age_on, full_years

# Statuses a letter to ICE may state about a relative. Anyone else is not named (see above).
SAFE_STATUSES = (RelativeStatus.USC, RelativeStatus.LPR, RelativeStatus.OTHER_LAWFUL)

# Dates that may lie after the letter's date: they are scheduled, not historical.
SCHEDULED = frozenset({"proceedings.next_hearing.date", "entry.parole_ends_on"})


@dataclass(frozen=True)
class Particulars:
    """The template values (``values``) and what was kept out of them, with why."""

    values: dict[str, Any]
    later: tuple[tuple[str, date], ...] = ()  # (fact path, date) dated after the letter
    withheld: tuple[str, ...] = ()  # relatives not named, described for the review sheet
    notes: tuple[str, ...] = field(default=())


def particulars(facts: CaseFacts, on: date, relative_phrase: Any = None) -> Particulars:
    """The values for every factor template of ``facts`` as of ``on``.

    ``relative_phrase`` renders one relative's dict into its phrase (the ``phrases.relative``
    template); without it relatives carry no ``phrase``.
    """
    later = tuple(_later_dates(facts, on))
    relatives, withheld = _relatives(facts, on)
    if relative_phrase is not None:
        for r in relatives:
            r["phrase"] = relative_phrase(r)
    ident = facts.identity
    values: dict[str, Any] = {
        "name": ident.name,
        "on": on,
        "age": age_on(ident.date_of_birth, on) if ident.date_of_birth and ident.date_of_birth <= on else None,
        "born_on": ident.date_of_birth if ident.date_of_birth and ident.date_of_birth <= on else None,
        "country": ident.country_of_birth,
        "citizenship": list(ident.citizenship or ()),
        "residence": _residence(facts, on),
        "arrival": _arrival(facts, on),
        "lpr": _lpr(facts, on),
        "relatives": relatives,
        "children": [r for r in relatives if r["relationship"] == "child"],
        "spouse": next((r for r in relatives if r["relationship"] == "spouse"), None),
        "work": _work(facts, on),
        "education": _education(facts),
        "military": _military(facts, relatives),
        "health": _health(facts),
        "care": {"of_whom": facts.caretaker.of_whom, "condition": facts.caretaker.dependant_condition},
        "community": {
            "activities": list(facts.community.activities or ()),
            "letters": facts.community.support_letters or 0,
        },
        "victim": _victim(facts),
        "applications": _applications(facts, on),
        "criminal": _criminal(facts, on),
        "history": _immigration_history(facts, on),
        "entry": _entry(facts, on),
        "gang": {"alleged": facts.gang.alleged, "age": facts.gang.age_at_participation},
    }
    return Particulars(values=values, later=later, withheld=tuple(withheld))


# --- who --------------------------------------------------------------------------------


def relative_values(member: FamilyMember, on: date) -> dict[str, Any]:
    age = age_on(member.date_of_birth, on) if member.date_of_birth else member.age
    return {
        "name": member.name,
        "relationship": member.relationship.value,
        "status": member.status.value,
        "age": age,
        "minor": age is not None and age < 18,
        "born_on": member.date_of_birth,
        "in_us": member.in_us,
        "lives_with": bool(member.lives_with),
        "dependent": bool(member.dependent),
        "ill": bool(member.serious_illness),
        "disabled": bool(member.disability),
        "served": bool(member.military_service),
    }


def _relatives(facts: CaseFacts, on: date) -> tuple[list[dict[str, Any]], list[str]]:
    kept, withheld = [], []
    for member in facts.family or ():
        if member.date_of_birth and member.date_of_birth > on:
            continue  # not yet born on the letter's date (reported with the later dates)
        if member.in_us is False:
            continue
        if member.status not in SAFE_STATUSES:
            status = "undocumented" if member.status is RelativeStatus.UNDOCUMENTED else "of unknown status"
            who = f"{member.name} ({member.relationship.value})" if member.name else member.relationship.value
            withheld.append(f"{who}, recorded as {status}")
            continue
        kept.append(relative_values(member, on))
    return kept, withheld


def matching_relatives(
    relatives: Sequence[Mapping[str, Any]],
    *,
    relationships: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    under: int | None = None,
) -> list[Mapping[str, Any]]:
    """The relatives a rule counted (its ``with:`` parameters), among those a letter may name."""
    kinds = set(relationships or ())
    wanted = set(statuses or ())
    out = []
    for r in relatives:
        if kinds and r["relationship"] not in kinds:
            continue
        if wanted and r["status"] not in wanted:
            continue
        if under is not None and (r["age"] is None or r["age"] >= under):
            continue
        out.append(r)
    return out


# --- since when, for how long -----------------------------------------------------------


def _residence(facts: CaseFacts, on: date) -> dict[str, Any]:
    start, _ = presence_start(facts)
    since = facts.presence.continuous_since
    first = facts.entry.first_entry_on
    start = start if start and start <= on else None
    since = since if since and since <= on else None
    first = first if first and first <= on else None
    basis = since or start
    return {
        "first_entry_on": first,
        "continuous_since": since,
        "since": basis,
        "years": full_years(basis, on) if basis else None,
        "evidence": list(facts.presence.evidence or ()),
        "lawful_years": facts.entry.lawful_status_years or None,
    }


def _arrival(facts: CaseFacts, on: date) -> dict[str, Any]:
    age, _ = age_at_arrival(facts)
    first = facts.entry.first_entry_on
    return {"age": age, "on": first if first and first <= on else None}


def _lpr(facts: CaseFacts, on: date) -> dict[str, Any]:
    since = facts.immigration_history.lpr_since
    if since is None or since > on:
        return {"since": None, "years": None}
    return {"since": since, "years": full_years(since, on)}


# --- where and what ---------------------------------------------------------------------


def _work(facts: CaseFacts, on: date) -> dict[str, Any]:
    e = facts.employment
    years = sorted(y for y in e.tax_years or () if y <= on.year)
    return {
        "employed": e.employed,
        "employer": e.employer,
        "years": e.years_worked_in_us or None,
        "filed_taxes": bool(e.filed_taxes),
        "tax_years": years,
        "first_tax_year": years[0] if years else None,
        "last_tax_year": years[-1] if years else None,
        "tax_years_consecutive": bool(years) and years == list(range(years[0], years[-1] + 1)),
        "primary_earner": bool(e.primary_earner),
    }


def _education(facts: CaseFacts) -> dict[str, Any]:
    e = facts.education
    return {
        "highest": e.highest,
        "diploma": bool(e.us_high_school_diploma_or_ged),
        "college": bool(e.us_college),
        "enrolled": bool(e.enrolled_now),
    }


DISCHARGES = {
    Discharge.HONORABLE: "honorable",
    Discharge.GENERAL: "general",
    Discharge.OTHER_THAN_HONORABLE: "other_than_honorable",
    Discharge.STILL_SERVING: "still_serving",
}


def _military(facts: CaseFacts, relatives: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    m = facts.military
    good = m.discharge not in (Discharge.DISHONORABLE, Discharge.BAD_CONDUCT)
    return {
        "served": bool(m.served) and good,
        "branch": m.branch,
        "months": m.active_duty_months,
        "combat": bool(m.combat),
        "discharge": DISCHARGES.get(m.discharge) if m.discharge else None,
        "in_us_at_enlistment": m.in_us_at_enlistment,
        "relatives": [
            r for r in relatives if r["served"] and r["relationship"] in ("spouse", "parent", "child")
        ],
    }


def _health(facts: CaseFacts) -> dict[str, Any]:
    h = facts.health
    conditions = [
        {
            "description": c.description.strip().rstrip("."),
            "serious": bool(c.serious),
            "mental": bool(c.mental),
            "under_treatment": bool(c.under_treatment),
            "unavailable_at_home": c.treatment_available_in_home_country is False,
        }
        for c in h.conditions or ()
    ]
    serious = [c for c in conditions if c["serious"]]
    return {
        "conditions": conditions,
        "serious": serious,
        "under_treatment": any(c["under_treatment"] for c in serious),
        "unavailable_at_home": any(c["unavailable_at_home"] for c in serious),
        "disability": bool(h.disability),
        "pregnant": bool(h.pregnant),
        "pregnant_or_nursing": bool(h.pregnant_or_nursing),
        "spouse_pregnant_or_nursing": bool(h.spouse_pregnant_or_nursing),
        "mental_condition_contributed": bool(h.mental_condition_contributed_to_conduct),
    }


def _victim(facts: CaseFacts) -> dict[str, Any]:
    v = facts.victimisation
    kinds = [
        k
        for k, value in (
            ("domestic_violence", v.domestic_violence),
            ("trafficking", v.trafficking),
            ("crime", v.crime_victim),
        )
        if value
    ]
    return {
        "kinds": kinds,
        "crime": v.crime,
        "helpful": bool(v.helpful_to_law_enforcement),
        "certification": bool(v.certification_obtainable),
        "witness": bool(v.witness_or_party_in_proceedings),
        "labor_dispute": bool(v.labor_or_housing_dispute),
    }


def _applications(facts: CaseFacts, on: date) -> list[dict[str, Any]]:
    out = []
    for app in facts.proceedings.pending_applications or ():
        if app.filed_on and app.filed_on > on:
            continue
        if app.approved is False:
            continue
        out.append(
            {
                "kind": app.kind.value,
                "forum": app.forum.value if app.forum else None,
                "filed_on": app.filed_on,
                "receipt": app.receipt_number,
                "approved": bool(app.approved),
                "uscis": app.kind in USCIS_KINDS or (app.forum is not None and app.forum.value == "uscis"),
            }
        )
    return out


USCIS_KINDS = {
    ApplicationKind.I130,
    ApplicationKind.I601A,
    ApplicationKind.U_VISA,
    ApplicationKind.T_VISA,
    ApplicationKind.SIJS,
    ApplicationKind.VAWA_SELF_PETITION,
    ApplicationKind.DACA,
    ApplicationKind.NATURALIZATION,
}


# --- the record -------------------------------------------------------------------------


def event_values(event: CriminalEvent, on: date) -> dict[str, Any]:
    when = event.offence_on or event.arrested_on
    return {
        "offense": event.offence.strip().rstrip("."),
        "statute": event.statute,
        "jurisdiction": event.jurisdiction,
        "on": when,
        "convicted_on": event.convicted_on,
        "disposition": event.disposition.value if event.disposition else None,
        "level": event.level.value if event.level else None,
        "sentence_days": event.sentence_days,
        "suspended": bool(event.sentence_suspended),
        "completed": bool(event.completed_sentence),
        "rehabilitation": event.rehabilitation.strip() if event.rehabilitation else None,
        "years_ago": full_years(when, on) if when else None,
        "petty": event.level is not None and event.level.value == "infraction",
    }


def _criminal(facts: CaseFacts, on: date) -> dict[str, Any]:
    if facts.criminal_history is None:
        return {"recorded": False, "events": [], "convictions": [], "pending": []}
    events = []
    for recorded in facts.criminal_history:
        then = as_of(recorded, on)
        if then is not None:
            events.append(event_values(then, on))
    events.sort(key=lambda e: e["on"] or date.max)
    dated = [e["on"] for e in events if e["on"]]
    last = max(dated) if dated else None
    convictions = [e for e in events if e["disposition"] == Disposition.CONVICTED.value]
    return {
        "recorded": True,
        "events": events,
        "convictions": convictions,
        "pending": [e for e in events if e["disposition"] == Disposition.PENDING.value],
        "last_on": last,
        "years_since_last": full_years(last, on) if last else None,
        "all_completed": bool(convictions) and all(e["completed"] for e in convictions),
        "rehabilitation": [e["rehabilitation"] for e in events if e["rehabilitation"]],
        "set_aside": [e for e in events if e["disposition"] in ("vacated", "expunged")],
        "only_petty": bool(events) and all(e["petty"] for e in events),
    }


def _immigration_history(facts: CaseFacts, on: date) -> dict[str, Any]:
    h = facts.immigration_history
    removals = [r for r in h.prior_removals or () if r.removed_on is None or r.removed_on <= on]
    return {
        "removals": [{"on": r.removed_on, "kind": r.kind} for r in removals],
        "final_order": bool(h.final_order) and not (h.final_order_on and h.final_order_on > on),
        "final_order_on": h.final_order_on if h.final_order_on and h.final_order_on <= on else None,
        "in_absentia": bool(h.final_order_in_absentia),
        "missed_hearings": h.missed_hearings or 0,
        "reentered": bool(h.reentered_after_removal),
        "fraud": bool(h.immigration_fraud),
    }


def _entry(facts: CaseFacts, on: date) -> dict[str, Any]:
    e = facts.entry
    last = e.last_entry_on if e.last_entry_on and e.last_entry_on <= on else None
    return {
        "manner": e.manner.value if e.manner else None,
        "last_on": last,
        "apprehended_at_entry": bool(e.apprehended_at_entry),
        "parole_program": e.parole_program,
    }


# --- what is left out -------------------------------------------------------------------


def _later_dates(facts: CaseFacts, on: date) -> Iterable[tuple[str, date]]:
    """Every recorded date after ``on`` other than scheduled ones (the next hearing...)."""

    def walk(value: Any, path: str) -> Iterable[tuple[str, date]]:
        if isinstance(value, date):
            if value > on and path not in SCHEDULED:
                yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{path}[{index}]")

    # The counsel section is the practitioner's own record, not a fact the letter states.
    yield from walk(facts.model_dump(exclude={"counsel"}), "")


def relationship_counts(relatives: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in relatives:
        counts[r["relationship"]] = counts.get(r["relationship"], 0) + 1
    return counts


__all__ = [
    "SAFE_STATUSES",
    "Particulars",
    "Relationship",
    "matching_relatives",
    "particulars",
    "relationship_counts",
]
