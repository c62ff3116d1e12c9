"""When a checklist item is needed: one small function per ``when:`` name in ``data/evidence.yaml``.

A trigger reads the facts and returns the occasions for an item (one per U.S.-citizen child,
one per arrest...), each with the fact path it proves and the words that fill the item's
title, plus the questions to ask when a fact it needs is unknown. Unknown is not false: a
trigger that cannot tell asks, it never drops the item silently nor adds it on a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from discretion.facts import (
    ApplicationKind,
    CaseFacts,
    Disposition,
    EntryManner,
    FamilyMember,
    Forum,
    HealthCondition,
    OffenceCategory,
    OffenceLevel,
    Relationship,
    RelativeStatus,
)
from discretion.timeline import add_years, full_years


@dataclass(frozen=True, slots=True)
class Hit:
    """One occasion for an item: ``key`` makes the item id unique (empty for a single item)."""

    key: str
    path: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ask:
    """A fact to find out before the checklist can be complete."""

    path: str
    question: str


@dataclass(frozen=True, slots=True)
class Occasions:
    hits: tuple[Hit, ...] = ()
    asks: tuple[Ask, ...] = ()


Trigger = Callable[[CaseFacts, date | None], Occasions]
TRIGGERS: dict[str, Trigger] = {}


def trigger(fn: Trigger) -> Trigger:
    TRIGGERS[fn.__name__] = fn
    return fn


def _one(path: str, **values: str) -> Occasions:
    return Occasions((Hit("", path, values),))


def _ask(path: str, question: str) -> Occasions:
    return Occasions(asks=(Ask(path, question),))


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _who(member: FamilyMember, index: int) -> tuple[str, str]:
    """A relative's display name and the stable key used in item ids."""
    if member.name:
        return member.name, slug(member.name)
    return f"the respondent's {member.relationship.value} (family[{index}])", f"family-{index}"


_STATUS_WORDS = {RelativeStatus.USC: "U.S.-citizen", RelativeStatus.LPR: "permanent-resident"}


def _relatives(
    facts: CaseFacts, wanted: Callable[[FamilyMember], bool], status: set[RelativeStatus]
) -> Occasions:
    """Hits for relatives that ``wanted`` selects and whose status is in ``status``."""
    if facts.family is None:
        return _ask("family", "Which relatives live in the U.S., and what is each one's status?")
    hits, asks = [], []
    for i, member in enumerate(facts.family):
        if not wanted(member):
            continue
        name, key = _who(member, i)
        if member.status is RelativeStatus.UNKNOWN:
            asks.append(Ask(f"family[{i}].status", f"What is {name}'s immigration status?"))
        elif member.status in status:
            values = {
                "name": name,
                "relationship": member.relationship.value,
                "status": _STATUS_WORDS.get(member.status, member.status.value),
            }
            hits.append(Hit(key, f"family[{i}]", values))
    return Occasions(tuple(hits), tuple(asks))


_QUALIFYING = {RelativeStatus.USC, RelativeStatus.LPR}


@trigger
def always(facts: CaseFacts, on: date | None) -> Occasions:
    return _one("identity")


@trigger
def represented(facts: CaseFacts, on: date | None) -> Occasions:
    kind = facts.representative.kind
    if kind is None:
        return _ask("representative.kind", "Is the respondent represented, and by whom?")
    return Occasions() if kind == "pro_se" else _one("representative")


@trigger
def represented_in_court(facts: CaseFacts, on: date | None) -> Occasions:
    if facts.representative.kind == "pro_se":
        return Occasions()
    if facts.proceedings.in_proceedings is None:
        return _ask("proceedings.in_proceedings", "Has the NTA been filed with the immigration court?")
    return (
        _one("representative")
        if facts.proceedings.in_proceedings and facts.representative.kind
        else Occasions()
    )


@trigger
def usc_child(facts: CaseFacts, on: date | None) -> Occasions:
    return _relatives(facts, lambda m: m.relationship is Relationship.CHILD, {RelativeStatus.USC})


@trigger
def qualifying_spouse(facts: CaseFacts, on: date | None) -> Occasions:
    return _relatives(facts, lambda m: m.relationship is Relationship.SPOUSE, _QUALIFYING)


@trigger
def usc_relative(facts: CaseFacts, on: date | None) -> Occasions:
    # A U.S. birth certificate already proves a child's citizenship.
    return _relatives(facts, lambda m: m.relationship is not Relationship.CHILD, {RelativeStatus.USC})


@trigger
def lpr_relative(facts: CaseFacts, on: date | None) -> Occasions:
    return _relatives(facts, lambda m: True, {RelativeStatus.LPR})


@trigger
def qualifying_other_relative(facts: CaseFacts, on: date | None) -> Occasions:
    def other(member: FamilyMember) -> bool:
        return member.relationship not in (Relationship.CHILD, Relationship.SPOUSE)

    return _relatives(facts, other, _QUALIFYING)


@trigger
def military_self(facts: CaseFacts, on: date | None) -> Occasions:
    question = "Has the respondent served in the U.S. armed forces?"
    return _flag(facts.military.served, "military.served", question)


@trigger
def military_relative(facts: CaseFacts, on: date | None) -> Occasions:
    if facts.family is None:
        return Occasions()  # the family question is asked once, by the family triggers
    hits = []
    for i, member in enumerate(facts.family):
        if member.military_service:
            name, key = _who(member, i)
            hits.append(Hit(key, f"family[{i}].military_service", {"name": name}))
    return Occasions(tuple(hits))


@trigger
def us_education(facts: CaseFacts, on: date | None) -> Occasions:
    e = facts.education
    which = [
        text
        for flag, text in (
            (e.us_high_school_diploma_or_ged, "high-school diploma or GED"),
            (e.us_college, "college transcripts"),
            (e.enrolled_now, "current enrollment letter"),
        )
        if flag
    ]
    if which:
        return _one("education", which="Show: " + ", ".join(which) + ".")
    if e.us_high_school_diploma_or_ged is None and e.enrolled_now is None:
        return _ask(
            "education", "Did the respondent study in the U.S. (diploma, GED, college, enrolled now)?"
        )
    return Occasions()


def _serious_conditions(facts: CaseFacts) -> list[tuple[int, HealthCondition]]:
    return [(i, c) for i, c in enumerate(facts.health.conditions or []) if c.serious is not False]


def _condition_hit(i: int, condition: HealthCondition, **extra: str) -> Hit:
    key = slug(condition.description)[:40] or f"condition-{i}"
    return Hit(key, f"health.conditions[{i}]", {"condition": condition.description, **extra})


@trigger
def own_condition(facts: CaseFacts, on: date | None) -> Occasions:
    if facts.health.conditions is None:
        return _ask("health.conditions", "Does the respondent have a serious physical or mental condition?")
    return Occasions(tuple(_condition_hit(i, c) for i, c in _serious_conditions(facts)))


@trigger
def own_condition_treatment_abroad(facts: CaseFacts, on: date | None) -> Occasions:
    identity = facts.identity
    citizenship = identity.citizenship[0] if identity.citizenship else None
    country = citizenship or identity.country_of_birth or "the home country"
    return Occasions(
        tuple(
            _condition_hit(i, c, country=country)
            for i, c in _serious_conditions(facts)
            if c.treatment_available_in_home_country is not True
        )
    )


@trigger
def pregnant_or_nursing(facts: CaseFacts, on: date | None) -> Occasions:
    hits = []
    if facts.health.pregnant_or_nursing:
        hits.append(Hit("respondent", "health.pregnant_or_nursing", {"who": "the respondent"}))
    if facts.health.spouse_pregnant_or_nursing:
        hits.append(Hit("spouse", "health.spouse_pregnant_or_nursing", {"who": "the respondent's spouse"}))
    return Occasions(tuple(hits))


@trigger
def caretaker(facts: CaseFacts, on: date | None) -> Occasions:
    c = facts.caretaker
    if c.primary_caretaker:
        return Occasions((Hit("", "caretaker", {"name": c.of_whom or "the dependant"}),))
    if facts.family:
        hits = []
        for i, m in enumerate(facts.family):
            if (m.serious_illness or m.disability) and m.dependent:
                name, key = _who(m, i)
                hits.append(Hit(key, f"family[{i}]", {"name": name}))
        if hits:
            return Occasions(tuple(hits))
    if c.primary_caretaker is None:
        return _ask(
            "caretaker.primary_caretaker",
            "Is the respondent the primary caregiver of someone ill, disabled or young?",
        )
    return Occasions()


def _flag(value: bool | None, path: str, question: str, **values: str) -> Occasions:
    """One boolean fact decides: yes -> the item, no -> nothing, unknown -> the question."""
    if value is None:
        return _ask(path, question)
    return _one(path, **values) if value else Occasions()


@trigger
def juvenile_order(facts: CaseFacts, on: date | None) -> Occasions:
    return _one("juvenile.juvenile_court_order") if facts.juvenile.juvenile_court_order else Occasions()


@trigger
def domestic_violence(facts: CaseFacts, on: date | None) -> Occasions:
    flag = facts.victimisation.domestic_violence
    return _flag(flag, "victimisation.domestic_violence", "Has the respondent suffered domestic violence?")


@trigger
def trafficking(facts: CaseFacts, on: date | None) -> Occasions:
    flag = facts.victimisation.trafficking
    return _flag(flag, "victimisation.trafficking", "Has the respondent been trafficked?")


@trigger
def crime_victim(facts: CaseFacts, on: date | None) -> Occasions:
    v = facts.victimisation
    question = "Has the respondent been the victim of a crime in the U.S.?"
    return _flag(v.crime_victim, "victimisation.crime_victim", question, crime=v.crime or "a crime")


@trigger
def presence_known(facts: CaseFacts, on: date | None) -> Occasions:
    for path, start in (
        ("entry.first_entry_on", facts.entry.first_entry_on),
        ("presence.continuous_since", facts.presence.continuous_since),
        ("entry.last_entry_on", facts.entry.last_entry_on),
    ):
        if start is not None:
            return _one(path, since=start.isoformat())
    return _ask("entry.first_entry_on", "When did the respondent first enter the U.S.?")


@trigger
def expedited_removal_exposed(facts: CaseFacts, on: date | None) -> Occasions:
    lpr = facts.immigration_history.lpr_since
    if lpr is not None and (on is None or lpr <= on):
        return Occasions()  # a permanent resident was admitted: expedited removal does not reach them
    manner = facts.entry.manner
    if manner is None:
        return _ask(
            "entry.manner", "How did the respondent last enter: admitted, paroled, or without inspection?"
        )
    if manner not in (EntryManner.WITHOUT_INSPECTION, EntryManner.PAROLED):
        return Occasions()
    words = "without inspection" if manner is EntryManner.WITHOUT_INSPECTION else "on parole"
    start = facts.presence.continuous_since or facts.entry.last_entry_on
    caveat = ""
    if start and on and full_years(start, on) < 2:
        # Telling the client to gather proof that cannot exist yet would hide the real risk.
        caveat = (
            f" Presence runs from {start.isoformat()}: two years are reached only on "
            f"{add_years(start, 2).isoformat()}, so this proof cannot exist before then."
        )
    return _one("entry.manner", manner=words, caveat=caveat)


@trigger
def arrived_as_child(facts: CaseFacts, on: date | None) -> Occasions:
    age = facts.entry.age_at_first_entry
    if age is None and facts.entry.first_entry_on and facts.identity.date_of_birth:
        age = full_years(facts.identity.date_of_birth, facts.entry.first_entry_on)
    if age is None:
        return Occasions()  # the entry date is asked by presence_known
    return _one("entry.first_entry_on", age=str(age)) if age < 18 else Occasions()


@trigger
def employed(facts: CaseFacts, on: date | None) -> Occasions:
    e = facts.employment
    if e.employed is None:
        return _ask("employment.employed", "Does the respondent work, and for whom?")
    return (
        _one("employment", employer=f" ({e.employer})" if e.employer else "") if e.employed else Occasions()
    )


@trigger
def filed_taxes(facts: CaseFacts, on: date | None) -> Occasions:
    e = facts.employment
    if e.filed_taxes is None:
        return _ask(
            "employment.filed_taxes", "Has the respondent filed U.S. tax returns, and for which years?"
        )
    if not e.filed_taxes:
        return Occasions()
    years = sorted(e.tax_years or [])
    label = f" for {years[0]}-{years[-1]}" if len(years) > 1 else (f" for {years[0]}" if years else "")
    return _one("employment.tax_years", years=label)


@trigger
def community_ties(facts: CaseFacts, on: date | None) -> Occasions:
    c = facts.community
    if c.ties is None and not c.activities and not c.support_letters:
        return _ask("community.ties", "Who in the community would write a letter of support?")
    if c.ties is False and not c.support_letters:
        return Occasions()
    return _one("community", count=f" ({c.support_letters} on hand)" if c.support_letters else "")


@trigger
def community_activities(facts: CaseFacts, on: date | None) -> Occasions:
    activities = facts.community.activities
    return _one("community.activities", activities="; ".join(activities)) if activities else Occasions()


def _events(facts: CaseFacts, only_convictions: bool) -> Occasions:
    if facts.criminal_history is None:
        if only_convictions:
            return Occasions()
        return _ask(
            "criminal_history", "Has the respondent ever been arrested, charged or convicted, anywhere?"
        )
    hits = []
    for i, event in enumerate(facts.criminal_history):
        if only_convictions and event.disposition is not Disposition.CONVICTED:
            continue
        when = event.convicted_on or event.arrested_on or event.offence_on
        where = ", ".join(p for p in (event.jurisdiction, when.isoformat() if when else None) if p)
        words = (
            slug(event.offence)[:32].rsplit("-", 1)[0]
            if len(slug(event.offence)) > 32
            else slug(event.offence)
        )
        key = f"{when.isoformat() if when else f'event-{i}'}-{words}"
        disposition = (
            event.disposition.value.replace("_", " ") if event.disposition else "outcome not recorded"
        )
        values = {
            "offence": event.offence,
            "where": f" ({where})" if where else "",
            "disposition": disposition,
        }
        hits.append(Hit(key, f"criminal_history[{i}]", values))
    return Occasions(tuple(hits))


@trigger
def criminal_event(facts: CaseFacts, on: date | None) -> Occasions:
    return _events(facts, only_convictions=False)


@trigger
def conviction(facts: CaseFacts, on: date | None) -> Occasions:
    return _events(facts, only_convictions=True)


@trigger
def any_conviction(facts: CaseFacts, on: date | None) -> Occasions:
    # A minor traffic infraction is disclosed with its disposition; rehabilitation is for crimes.
    crimes = [
        e
        for e in facts.criminal_history or []
        if e.disposition is Disposition.CONVICTED
        and e.level is not OffenceLevel.INFRACTION
        and set(e.categories) != {OffenceCategory.MINOR_TRAFFIC}
    ]
    return _one("criminal_history") if crimes else Occasions()


APPLICATION_LABELS = {
    ApplicationKind.ASYLUM: "asylum (I-589)",
    ApplicationKind.WITHHOLDING: "withholding of removal",
    ApplicationKind.CAT: "Convention Against Torture protection",
    ApplicationKind.CANCELLATION_NON_LPR: "non-LPR cancellation of removal",
    ApplicationKind.CANCELLATION_LPR: "LPR cancellation of removal",
    ApplicationKind.VAWA_CANCELLATION: "VAWA cancellation of removal",
    ApplicationKind.ADJUSTMENT: "adjustment of status",
    ApplicationKind.I130: "I-130 petition",
    ApplicationKind.I601A: "I-601A provisional waiver",
    ApplicationKind.U_VISA: "U visa (I-918)",
    ApplicationKind.T_VISA: "T visa (I-914)",
    ApplicationKind.SIJS: "SIJS petition (I-360)",
    ApplicationKind.VAWA_SELF_PETITION: "VAWA self-petition (I-360)",
    ApplicationKind.TPS: "TPS",
    ApplicationKind.DACA: "DACA",
    ApplicationKind.NATURALIZATION: "naturalization",
}

# Where an application can only be pending; any other kind must say its forum.
_COURT_ONLY = {
    ApplicationKind.WITHHOLDING,
    ApplicationKind.CAT,
    ApplicationKind.CANCELLATION_NON_LPR,
    ApplicationKind.CANCELLATION_LPR,
    ApplicationKind.VAWA_CANCELLATION,
}
_USCIS_ONLY = {
    ApplicationKind.I130,
    ApplicationKind.I601A,
    ApplicationKind.U_VISA,
    ApplicationKind.T_VISA,
    ApplicationKind.SIJS,
    ApplicationKind.VAWA_SELF_PETITION,
    ApplicationKind.DACA,
    ApplicationKind.NATURALIZATION,
}


def _applications(facts: CaseFacts, in_court: bool) -> Occasions:
    hits, asks = [], []
    for i, app in enumerate(facts.proceedings.pending_applications or []):
        forum = app.forum
        if forum is None and app.kind in _COURT_ONLY:
            forum = Forum.COURT
        elif forum is None and app.kind in _USCIS_ONLY:
            forum = Forum.USCIS
        kind = APPLICATION_LABELS.get(app.kind, app.kind.value.replace("_", " "))
        if forum is None:
            if in_court:  # ask once, not from both triggers
                path = f"proceedings.pending_applications[{i}].forum"
                asks.append(Ask(path, f"Is the {kind} application pending with the court or with USCIS?"))
            continue
        if (forum is Forum.COURT) != in_court:
            continue
        values = {
            "kind": kind,
            "receipt": f" ({app.receipt_number})" if app.receipt_number else "",
            "filed": f" on {app.filed_on.isoformat()}" if app.filed_on else "",
        }
        hits.append(Hit(f"{app.kind.value}-{i}", f"proceedings.pending_applications[{i}]", values))
    return Occasions(tuple(hits), tuple(asks))


@trigger
def pending_uscis(facts: CaseFacts, on: date | None) -> Occasions:
    return _applications(facts, in_court=False)


@trigger
def pending_in_court(facts: CaseFacts, on: date | None) -> Occasions:
    return _applications(facts, in_court=True)
