"""Alternative-relief screens: other paths that may fit better than PD, flagged for attorney review.

Each predicate checks the minimum facts of one form of relief (digest §5 and its flag table) and
never states eligibility. ``met`` means "raise this with the attorney"; ``not_met`` means a
threshold is clearly missed on the facts given; ``unknown`` names the facts to ask. The verdict
lists the facts that meet the threshold (``supporting``) and those that miss it (``against``), so
the practitioner sees why. When a legal question is close (a petty-offence CIMT, a stop-time NTA
whose contents are not known) the screen asks or says so rather than closing the door.

This module holds the shared :class:`Screen` tally and the victim-based, family and DACA screens;
cancellation of removal lives in ``cancellation`` and fear-based protection in ``protection``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from discretion.facts import (
    CaseFacts,
    CriminalEvent,
    Discharge,
    Disposition,
    EntryManner,
    FamilyMember,
    OffenceCategory,
    OffenceLevel,
    Relationship,
    RelativeStatus,
)
from discretion.predicates import Outcome, Verdict, predicate
from discretion.timeline import add_years, age_on, boundary_note, range_text, shown, versus

Cat = OffenceCategory
_SET_ASIDE = {Disposition.DEFERRED, Disposition.VACATED, Disposition.EXPUNGED}
QUALIFYING = {Relationship.SPOUSE, Relationship.PARENT, Relationship.CHILD}
USC_LPR = {RelativeStatus.USC, RelativeStatus.LPR}
_245I_CUTOFF = date(2001, 4, 30)
_245I_PRESENCE_RULE = date(1998, 1, 14)
_DACA_DAY = date(2012, 6, 15)
_DACA_RESIDENCE = date(2007, 6, 15)


@dataclass
class Screen:
    """The facts one relief screen found for and against its threshold, and the facts to ask."""

    name: str
    supporting: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)  # undecidable on the facts as they stand (a date range)

    def meets(self, text: str, *paths: str) -> None:
        self.supporting.append(text)
        self.used.extend(paths)

    def misses(self, text: str, *paths: str) -> None:
        self.against.append(text)
        self.used.extend(paths)

    def ask(self, text: str, *paths: str) -> None:
        if text not in self.questions:
            self.questions.append(text)
        missing = self.missing
        for path in paths:
            if path not in missing:
                missing.append(path)

    def review(self, text: str, *paths: str) -> None:
        """A threshold the facts cannot decide as recorded (a partial date whose range holds the
        boundary): counsel reviews, with the range shown; never met, never missed."""
        if text not in self.reviews:
            self.reviews.append(text)
        self.used.extend(paths)

    def verdict(self) -> Verdict:
        # Questions only matter while the flag is open: a clearly missed threshold is not reopened by them.
        # Verdicts built directly, as Verdict.met / not_met / unknown would build them.
        notes = (" " + " ".join(self.notes)) if self.notes else ""
        supporting, against = tuple(self.supporting), tuple(self.against)
        used = tuple(dict.fromkeys(self.used))
        if against:
            text = f"{self.name}: threshold missed: {'; '.join(against)}.{notes}"
            return Verdict(Outcome.NOT_MET, text, used, (), supporting, against)
        if self.missing:
            found = f" So far: {'; '.join(supporting)}." if supporting else ""
            asks = " ".join(self.questions)
            missing = tuple(self.missing)
            text = f"{self.name}: cannot screen yet. {asks}{found}{notes}"
            return Verdict(Outcome.UNKNOWN, text, used or missing, missing, supporting, against)
        if self.reviews:
            found = f" So far: {'; '.join(supporting)}." if supporting else ""
            text = f"{self.name}: review: {'; '.join(self.reviews)}.{found}{notes}"
            return Verdict(Outcome.REVIEW, text, used, (), supporting, against)
        met = "; ".join(supporting) or "no threshold missed on the facts given"
        text = f"Raise {self.name} with the attorney: {met}.{notes}"
        return Verdict(Outcome.MET, text, used, (), supporting, against)


def record_path(index: int, name: str) -> str:
    return f"criminal_history[{index}].{name}"


def happened_by(event: CriminalEvent, on: date) -> bool:
    """False when every date recorded for the event is after ``on``: as of ``on`` it had not happened."""
    dates = [d for d in (event.offence_on, event.arrested_on, event.convicted_on) if d is not None]
    return not dates or min(dates) <= on


def convictions(facts: CaseFacts, s: Screen, *, on: date) -> Iterator[tuple[int, CriminalEvent]]:
    """Convictions on record as of ``on``; an unsettled or unrecorded disposition is asked about, not
    assumed. Events dated wholly after ``on`` are ignored; a conviction entered after ``on`` for an
    earlier offence is not counted as of ``on``, and a note says so."""
    for index, event in enumerate(facts.criminal_history or ()):
        if not happened_by(event, on):
            continue
        if event.convicted_on is not None and event.convicted_on > on:
            note = (
                f"'{event.offence}' was decided on {event.convicted_on.isoformat()}, after the screening date "
                f"{on.isoformat()}: not counted as a conviction as of that date."
            )
            if note not in s.notes:
                s.notes.append(note)
            continue
        if event.disposition is Disposition.CONVICTED or (event.disposition is None and event.convicted_on):
            yield index, event
        elif event.disposition is None:
            s.ask(f"Outcome of '{event.offence}' not recorded.", record_path(index, "disposition"))
        elif event.disposition is Disposition.PENDING:
            s.ask(
                f"The charge '{event.offence}' is pending: its outcome decides the bars.",
                record_path(index, "disposition"),
            )
        elif event.disposition in _SET_ASIDE:
            # Screened as no conviction so that relief is raised, not hidden; the caveat goes with it.
            note = (
                f"'{event.offence}' is recorded as {event.disposition.value}: screened as no conviction, but a "
                "deferred adjudication counts as a conviction where there was a plea or finding of guilt and some "
                "punishment or restraint was ordered (INA 101(a)(48)(A)), and a vacatur or expungement not based "
                "on a legal defect may still count [UNVERIFIED in digest]."
            )
            if note not in s.notes:
                s.notes.append(note)


def criminal_history_known(facts: CaseFacts, s: Screen) -> bool:
    if facts.criminal_history is None:
        s.ask("Criminal history not entered.", "criminal_history")
        return False
    return True


def who(member: FamilyMember) -> str:
    return member.name or f"a {member.relationship.value}"


def age_of(member: FamilyMember, on: date) -> int | None:
    if member.date_of_birth is not None:
        return age_on(member.date_of_birth, on)
    return member.age


def born_by(member: FamilyMember, on: date) -> bool:
    """False for a relative born after ``on``: as of ``on`` that relative did not exist."""
    return member.date_of_birth is None or member.date_of_birth <= on


def security_bars(facts: CaseFacts, s: Screen) -> None:
    if facts.security.persecutor:
        s.misses("persecutor bar", "security.persecutor")
    if facts.security.terrorism_or_espionage:
        s.misses("security/terrorism ground", "security.terrorism_or_espionage")


def abuse(facts: CaseFacts, s: Screen, relationships: set[Relationship], *, usc_child: bool = False) -> None:
    v = facts.victimisation
    if v.domestic_violence is False:
        s.misses("no abuse reported", "victimisation.domestic_violence")
        return
    if v.domestic_violence is None:
        s.ask(
            "Not known whether the person was abused or subjected to extreme cruelty.",
            "victimisation.domestic_violence",
        )
        return
    s.meets("abused or subjected to extreme cruelty", "victimisation.domestic_violence")
    if v.abuser_status is None or v.abuser_status is RelativeStatus.UNKNOWN:
        s.ask("The abuser's immigration status is not known.", "victimisation.abuser_status")
    elif v.abuser_status not in USC_LPR:
        s.misses(f"the abuser is not a USC or LPR ({v.abuser_status.value})", "victimisation.abuser_status")
    if v.abuser_relationship is None:
        s.ask("The abuser's relationship to the person is not known.", "victimisation.abuser_relationship")
    elif v.abuser_relationship is Relationship.CHILD and usc_child:
        if v.abuser_status is RelativeStatus.LPR:
            s.misses(
                "abuse by an LPR son or daughter does not qualify (USC adult child only)",
                "victimisation.abuser_status",
            )
        else:
            s.meets(
                "abuser is the person's son or daughter (must be a USC aged 21 or over)",
                "victimisation.abuser_relationship",
            )
    elif v.abuser_relationship not in relationships:
        s.misses(
            f"the abuser is the person's {v.abuser_relationship.value}", "victimisation.abuser_relationship"
        )
    else:
        s.meets(f"abuser is the person's {v.abuser_relationship.value}", "victimisation.abuser_relationship")


def answer(s: Screen, value: bool | None, path: str, yes: str, no: str, ask: str) -> None:
    if value is None:
        s.ask(ask, path)
    elif value:
        s.meets(yes, path)
    else:
        s.misses(no, path)


@predicate
def u_visa_flag(facts: CaseFacts, on: date) -> Verdict:
    """U visa (INA 101(a)(15)(U), 214(p)): victim of qualifying crime, substantial abuse, helpful to
    law enforcement, certification obtainable."""
    s = Screen("U visa")
    v = facts.victimisation
    kinds = {
        "victimisation.crime_victim": v.crime_victim,
        "victimisation.domestic_violence": v.domestic_violence,
        "victimisation.trafficking": v.trafficking,
    }
    if any(kinds.values()):
        crime = f" ({v.crime})" if v.crime else ""
        s.meets(f"victim of a crime{crime}", *(p for p, x in kinds.items() if x))
    elif None in kinds.values():
        s.ask("Not known whether the person is a crime victim.", *(p for p, x in kinds.items() if x is None))
    else:
        s.misses("no crime victimisation reported", *kinds)
    answer(
        s,
        v.substantial_harm,
        "victimisation.substantial_harm",
        "substantial physical or mental abuse",
        "no substantial physical or mental abuse",
        "Not known whether the abuse suffered was substantial.",
    )
    answer(
        s,
        v.helpful_to_law_enforcement,
        "victimisation.helpful_to_law_enforcement",
        "has been, is or is likely to be helpful to law enforcement",
        "not helpful to law enforcement",
        "Not known whether the person helped or will help law enforcement.",
    )
    answer(
        s,
        v.certification_obtainable,
        "victimisation.certification_obtainable",
        "a law-enforcement certification can be obtained",
        "no law-enforcement certification obtainable",
        "Not known whether a law-enforcement certification of helpfulness can be had.",
    )
    s.notes.append(
        "The crime must be a listed one that occurred in the U.S. or violated U.S. law [partly confirmed]; "
        "10,000 principal visas a year."
    )
    return s.verdict()


@predicate
def t_visa_flag(facts: CaseFacts, on: date) -> Verdict:
    """T visa (INA 101(a)(15)(T), 214(o)): victim of a severe form of trafficking, present on account
    of it."""
    s = Screen("T visa")
    answer(
        s,
        facts.victimisation.trafficking,
        "victimisation.trafficking",
        "trafficking victim",
        "no trafficking reported",
        "Not known whether the person was trafficked.",
    )
    s.notes.append(
        "Also: present on account of trafficking, complied with reasonable law-enforcement requests "
        "(unless trauma or under 18), extreme hardship involving unusual and severe harm on removal."
    )
    return s.verdict()


@predicate
def sijs_flag(facts: CaseFacts, on: date) -> Verdict:
    """Special Immigrant Juvenile status (INA 101(a)(27)(J)): under 21, a juvenile-court order that
    reunification with a parent is not viable (abuse, neglect, abandonment)."""
    s = Screen("Special Immigrant Juvenile status")
    born = facts.identity.date_of_birth
    if born is None:
        s.ask("Date of birth not known.", "identity.date_of_birth")
    elif age_on(born, on) >= 21:
        s.misses(f"aged {age_on(born, on)} (must be under 21)", "identity.date_of_birth")
    else:
        s.meets(
            f"aged {age_on(born, on)}; turns 21 on {add_years(born, 21).isoformat()}",
            "identity.date_of_birth",
        )
    answer(
        s,
        facts.juvenile.reunification_not_viable,
        "juvenile.reunification_not_viable",
        "reunification with a parent not viable (abuse, neglect, abandonment)",
        "reunification with parents is viable",
        "Not known whether a parent abused, neglected or abandoned the person.",
    )
    order = facts.juvenile.juvenile_court_order
    if order:
        s.meets("juvenile-court order obtained", "juvenile.juvenile_court_order")
    else:
        s.notes.append("A state juvenile-court order is needed before the I-360 petition.")
    if facts.identity.married:
        s.notes.append("The person is married: SIJS requires being unmarried [UNVERIFIED in digest].")
    return s.verdict()


@predicate
def vawa_self_petition_flag(facts: CaseFacts, on: date) -> Verdict:
    """VAWA self-petition (I-360): abused by a USC/LPR spouse or parent, or by a USC son or daughter."""
    s = Screen("VAWA self-petition")
    abuse(facts, s, {Relationship.SPOUSE, Relationship.PARENT}, usc_child=True)
    s.notes.append(
        "Decided by USCIS only; an approved petition allows adjustment even after entry without inspection."
    )
    return s.verdict()


def _immediate_relatives(facts: CaseFacts, on: date, s: Screen) -> bool:
    """Record USC immediate relatives (spouse; son or daughter 21+; parent if the person is under 21)."""
    if facts.family is None:
        s.ask("Family not yet entered.", "family")
        return False
    own_age = age_on(facts.identity.date_of_birth, on) if facts.identity.date_of_birth else None
    found = False
    for i, m in enumerate(facts.family):
        if not born_by(m, on):
            continue
        if m.status is not RelativeStatus.USC:
            # An LPR can petition for a spouse or child, not for a parent (INA 203(a)(2)).
            if (
                m.relationship in (Relationship.SPOUSE, Relationship.PARENT)
                and m.status is RelativeStatus.LPR
            ):
                s.notes.append(
                    f"{who(m)} is an LPR {m.relationship.value}: a preference petition, with a visa wait."
                )
            continue
        age = age_of(m, on)
        if m.relationship is Relationship.SPOUSE:
            s.meets(f"USC spouse {who(m)}", f"family[{i}].status")
            found = True
        elif m.relationship is Relationship.CHILD:
            if age is None:
                s.ask(
                    f"Age of USC child {who(m)} not known (must be 21 to petition).",
                    f"family[{i}].date_of_birth",
                )
            elif age >= 21:
                s.meets(f"USC son or daughter {who(m)} aged {age}", f"family[{i}].date_of_birth")
                found = True
            else:
                s.notes.append(f"USC child {who(m)} can petition at 21, on {_turns_21(m)}.")
        elif m.relationship is Relationship.PARENT:
            if own_age is None:
                s.ask(
                    "The person's date of birth is not known (a USC parent petitions for a child under 21).",
                    "identity.date_of_birth",
                )
            elif own_age < 21:
                s.meets(f"USC parent {who(m)} (the person is under 21)", f"family[{i}].status")
                found = True
    unknown = [
        i
        for i, m in enumerate(facts.family)
        if m.relationship in QUALIFYING and m.status is RelativeStatus.UNKNOWN and born_by(m, on)
    ]
    if not found and unknown and not s.missing:
        s.ask(
            "Immigration status of a spouse, parent or child not known.",
            *(f"family[{i}].status" for i in unknown),
        )
    return found


def _turns_21(member: FamilyMember) -> str:
    return add_years(member.date_of_birth, 21).isoformat() if member.date_of_birth else "a date not known"


@predicate
def family_adjustment_flag(facts: CaseFacts, on: date) -> Verdict:
    """Family-based adjustment (INA 245(a), 245(i)): a USC immediate relative, and inspected and
    admitted or paroled, or grandfathered under 245(i)."""
    s = Screen("Family-based adjustment of status")
    if facts.immigration_history.lpr_since is not None and facts.immigration_history.lpr_since <= on:
        s.misses("the person is already an LPR", "immigration_history.lpr_since")
        return s.verdict()
    if not _immediate_relatives(facts, on, s) and not s.missing:
        s.misses(
            "no U.S.-citizen immediate relative (spouse, son or daughter 21+, or parent of a person under 21)",
            "family",
        )
    manner = facts.entry.manner
    h = facts.immigration_history
    if manner is None:
        s.ask("How the person last entered is not known.", "entry.manner")
    elif manner in (EntryManner.ADMITTED, EntryManner.PAROLED):
        s.meets(
            f"last entry {manner.value} (INA 245(a); overstay and unauthorised work do not bar an immediate relative)",
            "entry.manner",
        )
    elif h.has_245i_petition is None:
        s.ask(
            "Entered without inspection: ask whether a petition or labor certification was filed for the person on or "
            "before 2001-04-30 (INA 245(i)).",
            "immigration_history.has_245i_petition",
        )
    elif not h.has_245i_petition:
        s.misses(
            "entered without inspection and not grandfathered under 245(i): consular processing, usually with an "
            "I-601A provisional waiver",
            "entry.manner",
            "immigration_history.has_245i_petition",
        )
    elif h.section_245i_filed_on is None:
        s.ask(
            "Filing date of the 245(i) petition or labor certification not known.",
            "immigration_history.section_245i_filed_on",
        )
    elif h.section_245i_filed_on > _245I_CUTOFF:
        s.misses(
            f"the petition was filed {h.section_245i_filed_on.isoformat()}, after 2001-04-30 (no 245(i))",
            "immigration_history.section_245i_filed_on",
        )
    elif h.section_245i_filed_on > _245I_PRESENCE_RULE and h.present_on_2000_12_21 is not True:
        if h.present_on_2000_12_21 is None:
            s.ask(
                "Petition filed after 1998-01-14: was the person in the U.S. on 2000-12-21?",
                "immigration_history.present_on_2000_12_21",
            )
        else:
            s.misses(
                "petition filed after 1998-01-14 but not present on 2000-12-21",
                "immigration_history.present_on_2000_12_21",
            )
    else:
        s.meets(
            f"grandfathered under 245(i) (filed {h.section_245i_filed_on.isoformat()}; $1,000 payment)",
            "immigration_history.section_245i_filed_on",
        )
    s.notes.append("Admissibility (criminal and unlawful-presence grounds) is for counsel.")
    return s.verdict()


@predicate
def daca_flag(facts: CaseFacts, on: date) -> Verdict:
    """DACA screen against the 2012 guidelines: under 31 on 2012-06-15, arrived before 16, resident
    since 2007-06-15, education or service, no felony, significant misdemeanour or 3+ misdemeanours."""
    s = Screen("DACA")
    if facts.immigration_history.lpr_since is not None and facts.immigration_history.lpr_since <= on:
        s.misses("the person is already an LPR", "immigration_history.lpr_since")
        return s.verdict()
    born = facts.identity.date_of_birth
    if facts.immigration_history.ever_had_daca:
        s.meets("has had DACA before (renewals have been processed)", "immigration_history.ever_had_daca")
    if born is None:
        s.ask("Date of birth not known.", "identity.date_of_birth")
    elif versus(born, add_years(_DACA_DAY, -31)) == "inside":
        s.review(
            f"born {shown(born)} ({range_text(born)}): under 31 on 2012-06-15 only if born after "
            f"{add_years(_DACA_DAY, -31).isoformat()}, which falls inside that range",
            "identity.date_of_birth",
        )
    elif age_on(born, _DACA_DAY) >= 31:
        s.misses(f"aged {age_on(born, _DACA_DAY)} on 2012-06-15 (must be under 31)", "identity.date_of_birth")
    else:
        s.meets(f"aged {age_on(born, _DACA_DAY)} on 2012-06-15", "identity.date_of_birth")
    first = facts.entry.first_entry_on
    arrived = facts.entry.age_at_first_entry
    if arrived is None and born is not None and first is not None:
        arrived = age_on(born, first)
    if arrived is not None:
        if arrived >= 16:
            s.misses(f"arrived at {arrived} (must be before 16)", "entry.first_entry_on")
        else:
            s.meets(f"arrived at {arrived}", "entry.first_entry_on")
    first_basis = facts.basis_of("entry.first_entry_on")
    if first is None:
        s.ask("Date of first entry not known.", "entry.first_entry_on")
    elif versus(first, _DACA_RESIDENCE) == "inside":
        s.review(
            f"first entry {shown(first, first_basis)} ({range_text(first)}) may be before or after the "
            "2007-06-15 residence cut-off: the exact date decides it (school, medical or lease records)",
            "entry.first_entry_on",
        )
    elif first > _DACA_RESIDENCE:
        s.misses(f"first entry {shown(first, first_basis)}, after 2007-06-15", "entry.first_entry_on")
    elif first == _DACA_RESIDENCE:
        s.meets(
            boundary_note(first, _DACA_RESIDENCE, "first entry")
            + " (residence 'since' the cut-off includes the day)",
            "entry.first_entry_on",
        )
    else:
        s.meets(f"resident since {shown(first, first_basis)}, before 2007-06-15", "entry.first_entry_on")
    e, m = facts.education, facts.military
    if e.enrolled_now or e.us_high_school_diploma_or_ged or (m.served and m.discharge is Discharge.HONORABLE):
        s.meets("in school, a graduate or GED holder, or an honourably discharged veteran", "education")
    else:
        s.notes.append("The education requirement is not shown yet (in school, graduate or GED, or veteran).")
    for index, absence in enumerate(facts.presence.absences or ()):
        if absence.left_on <= _DACA_DAY and (absence.returned_on is None or absence.returned_on >= _DACA_DAY):
            s.misses("outside the U.S. on 2012-06-15", f"presence.absences[{index}]")
        if absence.left_on <= on and (absence.returned_on is None or absence.returned_on > on):
            s.misses(
                f"outside the U.S. on {on.isoformat()} (must be present when filing)",
                f"presence.absences[{index}]",
            )
    _daca_no_lawful_status(facts, s)
    if criminal_history_known(facts, s):
        _daca_record(facts, on, s)
    s.notes.append(
        "Initial DACA requests were accepted but not decided as of late 2025; 2026 status unconfirmed."
    )
    return s.verdict()


def _daca_no_lawful_status(facts: CaseFacts, s: Screen) -> None:
    """No lawful status on 2012-06-15 (digest §5.10). An entry without inspection gives none; an
    admission or parole before that day must be shown to have ended before it."""
    e = facts.entry
    entered = e.last_entry_on or e.first_entry_on
    if e.manner is None:
        s.ask(
            "How the person entered is not known (DACA needs no lawful status on 2012-06-15).", "entry.manner"
        )
        return
    if entered is not None and entered > _DACA_DAY:
        s.notes.append(
            f"The last entry ({entered.isoformat()}) is after 2012-06-15: confirm the person had no lawful "
            "status on 2012-06-15."
        )
        return
    if e.manner is EntryManner.WITHOUT_INSPECTION:
        s.meets("entered without inspection: no lawful status shown on 2012-06-15 (confirm)", "entry.manner")
        return
    if e.manner is EntryManner.PAROLED and e.parole_ends_on is not None:
        if e.parole_ends_on < _DACA_DAY:
            s.meets(f"parole ended {e.parole_ends_on.isoformat()}, before 2012-06-15", "entry.paroles")
        else:
            s.notes.append(
                f"Paroled until {e.parole_ends_on.isoformat()}, so still paroled on 2012-06-15: whether parole "
                "counts as lawful status for DACA is not settled in the digest [UNVERIFIED]; counsel to confirm."
            )
        return
    if e.lawful_status_years == 0:
        s.meets("never in lawful status", "entry.lawful_status_years")
        return
    if e.lawful_status_years is not None and entered is not None:
        ended = add_years(entered, e.lawful_status_years)
        counted = f"{e.lawful_status_years} years in status counted from the entry on {entered.isoformat()}"
        if ended <= _DACA_DAY:
            s.meets(
                f"{counted}: status ended {ended.isoformat()}, before 2012-06-15 (confirm)",
                "entry.lawful_status_years",
            )
        else:
            s.misses(
                f"{counted}: still in lawful status on 2012-06-15 (confirm)", "entry.lawful_status_years"
            )
        return
    s.ask(
        f"The person was {e.manner.value.replace('_', ' ')}: was that status or parole still in effect on "
        "2012-06-15 (DACA needs no lawful status that day)? Record the years spent in lawful status.",
        "entry.lawful_status_years",
        *(("entry.last_entry_on",) if entered is None else ()),
    )


_SIGNIFICANT = {Cat.DOMESTIC_VIOLENCE, Cat.SEXUAL, Cat.BURGLARY, Cat.FIREARMS, Cat.DRUGS_TRAFFICKING, Cat.DUI}


def _daca_record(facts: CaseFacts, on: date, s: Screen) -> None:
    """No felony, no significant misdemeanour, fewer than 3 other misdemeanours (minor traffic aside)."""
    misdemeanours = []
    for index, event in convictions(facts, s, on=on):
        if event.level is None:
            s.ask(f"Level of the conviction '{event.offence}' not recorded.", record_path(index, "level"))
        elif event.level is OffenceLevel.FELONY:
            s.misses(f"felony conviction '{event.offence}'", record_path(index, "level"))
        elif event.level is OffenceLevel.MISDEMEANOR:
            custody = 0 if event.sentence_suspended else (event.sentence_days or 0)
            if _SIGNIFICANT & set(event.categories) or custody > 90:
                s.misses(f"significant misdemeanour '{event.offence}'", record_path(index, "categories"))
            elif Cat.MINOR_TRAFFIC not in event.categories:
                misdemeanours.append(event)
    if len(misdemeanours) >= 3:
        s.misses(f"{len(misdemeanours)} other misdemeanour convictions", "criminal_history")
    elif any(Cat.MINOR_TRAFFIC in e.categories for e in facts.criminal_history or ()):
        s.notes.append("Minor traffic offences are not counted as misdemeanours here [UNVERIFIED in digest].")


@predicate
def military_nationality_flag(
    facts: CaseFacts, on: date, *, national_places: list[str] | None = None
) -> Verdict:
    """Service in the U.S. armed forces, or birth in a place whose people are U.S. nationals, sends
    nationality and naturalization through service to attorney review before other relief."""
    born = facts.identity.country_of_birth
    places = {p.casefold() for p in national_places or ()}
    if born and born.strip().casefold() in places:
        return Verdict.review(
            f"Born in {born}: the person may be a U.S. national (INA 308) [UNVERIFIED]; counsel checks "
            "nationality before any removal relief is weighed.",
            "identity.country_of_birth",
        )
    m = facts.military
    if m.served is None:
        return Verdict.unknown(
            "Not known whether the person served in the U.S. armed forces.", ("military.served",)
        )
    if not m.served:
        return Verdict.not_met("No service in the U.S. armed forces recorded.", "military.served")
    detail = [
        part
        for part in (
            m.branch,
            f"{m.active_duty_months} months of active duty" if m.active_duty_months is not None else None,
            f"discharge {m.discharge.value.replace('_', ' ')}" if m.discharge else None,
        )
        if part
    ]
    served = f" ({', '.join(detail)})" if detail else ""
    return Verdict.review(
        f"Served in the U.S. armed forces{served}: counsel checks whether the person is already a U.S. national or "
        "citizen (through a parent, or by birth in an outlying possession) or may naturalize through service (INA "
        "328, 329) [UNVERIFIED: not in the digest] before any removal relief is weighed. Get the DD-214 and the "
        "service record.",
        "military.served",
        *(
            p
            for p, v in (
                ("military.active_duty_months", m.active_duty_months),
                ("military.discharge", m.discharge),
            )
            if v is not None
        ),
    )
