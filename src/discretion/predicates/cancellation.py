"""Cancellation-of-removal screens (INA 240A): the continuous-presence clock and its bars.

The clock runs from the first entry (restarted after an absence over 90 days) and stops at the
earlier of a valid NTA (one that named the hearing's time and place: Pereira; Niz-Chavez) or
the commission of a 212(a)(2) offence (Barton v. Barr). Offence categories are counsel's tags;
the screen never classifies a statute itself. Flags are for attorney review, never eligibility.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from discretion.facts import (
    ApplicationKind,
    CaseFacts,
    CriminalEvent,
    Discharge,
    EntryManner,
    OffenceCategory,
    Relationship,
    RelativeStatus,
)
from discretion.predicates import Verdict, predicate
from discretion.predicates.relief import (
    QUALIFYING,
    USC_LPR,
    Screen,
    abuse,
    age_of,
    born_by,
    convictions,
    criminal_history_known,
    record_path,
    security_bars,
    who,
)
from discretion.timeline import add_years, add_years_range, full_years, shown

Cat = OffenceCategory
# Offences "under" INA 212(a)(2), 237(a)(2) or 237(a)(3) as counsel tags them (cancellation bar).
_BARRING = {Cat.AGGRAVATED_FELONY, Cat.CIMT, Cat.DRUGS_POSSESSION, Cat.DRUGS_TRAFFICKING}
_BARRING |= {Cat.FIREARMS, Cat.DOMESTIC_VIOLENCE}
# 212(a)(2) offences whose commission stops the clock (INA 240A(d)(1)(B); Barton v. Barr).
_STOP_TIME = {Cat.CIMT, Cat.DRUGS_POSSESSION, Cat.DRUGS_TRAFFICKING}
_OFTEN_CIMT = {Cat.VIOLENT, Cat.SEXUAL, Cat.THEFT, Cat.BURGLARY, Cat.FRAUD}
_YEAR_MAKES_AGGRAVATED = {Cat.VIOLENT, Cat.THEFT, Cat.BURGLARY}
_SIX_MONTHS_DAYS = 184
# INA 240A(d)(2): "in excess of 90 days", "in the aggregate exceeding 180 days".
_SINGLE_LIMIT = 90
_AGGREGATE_LIMIT = 180


def _petty_cimt(event: CriminalEvent, cimts: int, index: int, s: Screen) -> bool | None:
    """The petty-offence reading of a lone CIMT: a possible sentence under 1 year (at 1 year the
    offence is still described in INA 237(a)(2)(A)(i), Cortez Canales) and a sentence imposed of
    6 months or less. None when the facts are missing."""
    if event.max_penalty_days is None:
        s.ask(
            f"Maximum possible sentence for '{event.offence}' not recorded.",
            record_path(index, "max_penalty_days"),
        )
        return None
    if event.max_penalty_days >= 365 or cimts > 1:
        return False
    if event.sentence_days is None:
        s.ask(f"Sentence imposed for '{event.offence}' not recorded.", record_path(index, "sentence_days"))
        return None
    # "Not sentenced to a term of imprisonment in excess of 6 months ... (regardless of the extent to
    # which the sentence was ultimately executed)", INA 212(a)(2)(A)(ii)(II) (statute text read, see the
    # ina_212a2 source in relief.yaml; not in the digest); 184 days is the longest 6 months, so no door is closed early.
    return event.sentence_days <= _SIX_MONTHS_DAYS


def _cancellation_bars(
    facts: CaseFacts, on: date, s: Screen, *, only_aggravated: bool = False, waivable: bool = False
) -> None:
    """INA 240A(b)(1)(C) and the aggravated-felony bars, from counsel's offence categories. With
    ``waivable`` (VAWA cancellation) the other criminal grounds are noted, not counted: a waiver exists."""
    if not criminal_history_known(facts, s):
        return
    found_convictions = list(convictions(facts, s, on=on))
    cimts = sum(Cat.CIMT in e.categories for _, e in found_convictions)
    for index, event in found_convictions:
        cats = set(event.categories)
        if Cat.AGGRAVATED_FELONY in cats:
            s.misses(f"aggravated felony conviction '{event.offence}'", record_path(index, "categories"))
            continue
        if cats & _YEAR_MAKES_AGGRAVATED and (event.sentence_days or 0) >= 365:
            s.notes.append(
                f"'{event.offence}' carried a sentence of a year or more: a crime of violence, theft or burglary "
                "with such a sentence may be an aggravated felony [UNVERIFIED in digest]; confirm the tag."
            )
        if only_aggravated:
            continue
        barring = cats & _BARRING
        if waivable and barring:
            s.notes.append(
                f"'{event.offence}' falls under the criminal grounds that bar VAWA cancellation unless waived "
                "(INA 240A(b)(5)): counsel to assess."
            )
            continue
        if barring == {Cat.CIMT}:
            petty = _petty_cimt(event, cimts, index, s)
            if petty:
                s.notes.append(
                    f"'{event.offence}' may fall under the petty-offence exception and then does not bar "
                    "(INA 212(a)(2)(A)(ii)(II); Matter of Pedroza); counsel to confirm."
                )
                continue
            if petty is None:
                continue
        if barring:
            words = ", ".join(sorted(c.value.replace("_", " ") for c in barring))
            s.misses(
                f"conviction '{event.offence}' ({words}) bars under INA 240A(b)(1)(C)",
                record_path(index, "categories"),
            )
            if Cat.DOMESTIC_VIOLENCE in barring:
                s.notes.append("A DV waiver (INA 240A(b)(5)) may apply to a victim of abuse.")
        elif cats & _OFTEN_CIMT:
            s.notes.append(
                f"Confirm with counsel that '{event.offence}' is not a CIMT (tag it 'cimt' if it is)."
            )


def _custody_bar(facts: CaseFacts, on: date, s: Screen, *, years: int) -> None:
    """INA 101(f)(7): confinement of 180 days or more, as a result of conviction, in the period."""
    since = add_years(on, -years)
    quiet = Screen(s.name)  # disposition questions are asked once, by the bars check
    days = 0
    for _, event in convictions(facts, quiet, on=on):
        when = event.convicted_on or event.offence_on
        if event.sentence_suspended or when is None or when < since:
            continue
        days += event.sentence_days or 0
    if days >= 180:
        s.misses(
            f"custody of {days} days imposed for convictions since {since.isoformat()}: confinement of 180 days "
            "or more in the period bars good moral character (INA 101(f)(7)) if served",
            "criminal_history",
        )


def _stop_offences(
    facts: CaseFacts, on: date, s: Screen
) -> list[tuple[date | None, date | None, int, CriminalEvent]]:
    """(committed, convicted, index, event) for 212(a)(2) offences that can stop the clock, as of ``on``."""
    found = []
    quiet = Screen(s.name)  # disposition questions are asked once, by the bars check
    found_convictions = list(convictions(facts, quiet, on=on))
    cimts = sum(Cat.CIMT in e.categories for _, e in found_convictions)
    for index, event in found_convictions:
        cats = set(event.categories) & _STOP_TIME
        if cats == {Cat.CIMT} and _petty_cimt(event, cimts, index, s) is not False:
            continue
        if cats:
            found.append((event.offence_on, event.convicted_on, index, event))
    return found


Span = tuple[int, date, date]  # days away, left on, returned on


@dataclass(frozen=True, slots=True)
class Readings:
    """The dates from which the Supreme Court's stop-time readings apply (rule data, `with:`).

    Before ``pereira_from`` service of any NTA stopped the clock; from it until ``niz_chavez_from`` a
    later hearing notice with the time and place was read to complete a defective NTA; from
    ``niz_chavez_from`` only an NTA that itself named them stops the clock. ``None``: today's reading.
    """

    pereira_from: date | None = None
    niz_chavez_from: date | None = None

    def before_pereira(self, on: date) -> bool:
        return self.pereira_from is not None and on < self.pereira_from

    def before_niz_chavez(self, on: date) -> bool:
        return self.niz_chavez_from is not None and on < self.niz_chavez_from


TODAY = Readings()


def _clock(
    facts: CaseFacts,
    on: date,
    s: Screen,
    *,
    start: date,
    years: int,
    nta_stops: bool = True,
    absences: list[Span] | None = None,
    readings: Readings = TODAY,
) -> None:
    """Continuous time from ``start``: ``years`` must pass before any stop-time event and by ``on``.

    With ``absences``, those in the ``years`` immediately before the period's end (the earliest
    stop-time event, or ``on``) may not total over 180 days (INA 240A(d)(2)); older trips do not count.
    """
    earliest, enough = add_years_range(start, years)  # a partial start date gives a range of anniversaries
    if earliest <= on < enough:
        s.review(
            f"{years} years from {shown(start)} are reached between {earliest.isoformat()} and {enough.isoformat()}; "
            f"the screening date {on.isoformat()} falls inside that range, so the exact date of entry decides it "
            "(school, medical, lease or CBP records)",
            "entry.first_entry_on",
        )
        return
    served = facts.proceedings.nta_served_on
    if nta_stops and served is not None and earliest <= served < enough and served <= on:
        s.review(
            f"the NTA served {shown(served)} falls inside the range of possible {years}-year anniversaries "
            f"({earliest.isoformat()} to {enough.isoformat()}) of a partly known entry date: the exact date decides "
            "whether it stopped the clock",
            "entry.first_entry_on",
            "proceedings.nta_served_on",
        )
        return
    stopped = _nta_stop(facts, on, s, start=start, enough=enough, readings=readings) if nta_stops else False
    stopped = _offence_stops(facts, on, s, enough=enough) or stopped
    if on < enough and not stopped:
        p = facts.proceedings
        defective_counts = not readings.before_niz_chavez(on)
        if nta_stops and p.in_proceedings and p.nta_has_time_and_place is False and defective_counts:
            s.meets(
                f"{years} years will be reached on {enough.isoformat()} while the case is pending: the NTA "
                "lacked the hearing's time and place, so it does not stop the clock (Pereira; Niz-Chavez)",
                "entry.first_entry_on",
                "proceedings.nta_has_time_and_place",
            )
            s.notes.append(
                "Presence keeps accruing while the application is pending before the judge [UNVERIFIED in "
                "digest]: mind the timing of any request that would end the case."
            )
        elif nta_stops and p.in_proceedings and p.nta_has_time_and_place is None and defective_counts:
            s.ask(
                f"{years} years only on {enough.isoformat()}: whether the clock still runs depends on whether "
                "the NTA named the hearing's time and place.",
                "proceedings.nta_has_time_and_place",
            )
        else:
            s.misses(
                f"{full_years(start, on)} years since {start.isoformat()} as of {on.isoformat()}; {years} "
                f"years only on {enough.isoformat()}",
                "entry.first_entry_on",
            )
        return
    if not stopped:
        boundary = " (the anniversary itself: the boundary day counts)" if enough == on else ""
        s.meets(
            f"{years} years from {start.isoformat()} reached on {enough.isoformat()}{boundary}",
            "entry.first_entry_on",
        )
        if absences:
            _aggregate_absences(facts, on, s, years=years, absences=absences)


def _nta_stop(
    facts: CaseFacts, on: date, s: Screen, *, start: date, enough: date, readings: Readings = TODAY
) -> bool:
    """Record whether the NTA stopped the clock before ``enough``; True when it did. The reading
    applied is the one in force on ``on`` (Pereira, Niz-Chavez: ``readings``), never a later one."""
    p = facts.proceedings
    if p.nta_served_on is not None and p.nta_served_on > on:
        return False  # served after the screening date: not yet a stop-time event on that date
    if p.nta_served_on is None:
        if p.in_proceedings:
            s.ask("In proceedings but the NTA service date is not known.", "proceedings.nta_served_on")
        return False
    if p.nta_served_on >= enough:
        return False
    served = p.nta_served_on.isoformat()
    if p.nta_has_time_and_place is True:
        s.misses(
            f"the NTA served {served} stopped the clock after {full_years(start, p.nta_served_on)} years",
            "proceedings.nta_served_on",
            "proceedings.nta_has_time_and_place",
        )
        return True
    if p.nta_has_time_and_place is not True and readings.before_pereira(on):
        assert readings.pereira_from is not None
        s.misses(
            f"the NTA served {served} stopped the clock after {full_years(start, p.nta_served_on)} years: as of "
            f"{on.isoformat()}, before Pereira v. Sessions ({readings.pereira_from.isoformat()}), service of an NTA "
            "stopped the clock whether or not it named the hearing's time and place [UNVERIFIED: the earlier "
            f"reading is not in the digest]; from {readings.pereira_from.isoformat()} an NTA without them does not",
            "proceedings.nta_served_on",
        )
        return True
    if p.nta_has_time_and_place is False and readings.before_niz_chavez(on):
        assert readings.niz_chavez_from is not None
        niz = readings.niz_chavez_from.isoformat()
        reading = (
            f"as of {on.isoformat()}, before Niz-Chavez v. Garland ({niz}), a later hearing notice naming the time "
            "and place was read to complete a defective NTA and stop the clock on its service [UNVERIFIED: that "
            f"reading is not in the digest]; from {niz} it no longer does"
        )
        notices = p.hearing_notices
        if notices is not None:
            dated = sorted(n.issued_on for n in notices if n.issued_on is not None and n.issued_on <= on)
            if dated and dated[0] < enough:
                s.misses(
                    f"the NTA served {served} lacked the time and place, but the hearing notice of "
                    f"{dated[0].isoformat()} stopped the clock after {full_years(start, dated[0])} years: {reading}",
                    "proceedings.hearing_notices",
                )
                return True
            if len(dated) == len(notices):
                s.meets(
                    f"the NTA served {served} lacked the hearing's time and place and no hearing notice was served "
                    f"before the years were reached, so the clock ran on: {reading}",
                    "proceedings.nta_has_time_and_place",
                    "proceedings.hearing_notices",
                )
                return False
        s.ask(
            f"The NTA served {served} lacked the hearing's time and place; as of {on.isoformat()}, before "
            f"Niz-Chavez v. Garland ({readings.niz_chavez_from.isoformat()}), a later hearing notice naming them "
            "was read to complete the NTA and stop the clock on its service [UNVERIFIED: that reading is not in "
            "the digest]. Get the hearing notices (EOIR FOIA): when was the first one naming the time and place "
            f"served? From {readings.niz_chavez_from.isoformat()} a later notice no longer cures the NTA.",
            "proceedings.hearing_notices",
        )
        return False
    if p.nta_has_time_and_place is False:
        s.meets(
            f"the NTA served {served} lacked the hearing's time and place, so it did not stop the clock "
            "(Pereira; Niz-Chavez: a later hearing notice does not cure it)",
            "proceedings.nta_has_time_and_place",
        )
    else:
        s.ask(
            f"The NTA served {served} stops the clock early unless it lacked the hearing's time and place "
            "(Pereira; Niz-Chavez): read the NTA itself.",
            "proceedings.nta_has_time_and_place",
        )
    return False


def _offence_stops(facts: CaseFacts, on: date, s: Screen, *, enough: date) -> bool:
    """Record 212(a)(2) offences committed before ``enough`` (Barton v. Barr); True when one did."""
    stopped = False
    for committed, convicted, index, event in _stop_offences(facts, on, s):
        if committed is not None and committed < enough:
            s.misses(
                f"'{event.offence}' committed {committed.isoformat()} stopped the clock (the commission date "
                "counts, not the conviction date; Barton v. Barr)",
                record_path(index, "offence_on"),
            )
            stopped = True
        elif committed is None and convicted is not None and convicted < enough:
            s.misses(
                f"'{event.offence}' (convicted {convicted.isoformat()}) stopped the clock",
                record_path(index, "convicted_on"),
            )
            stopped = True
        elif committed is None:
            s.ask(
                f"Date '{event.offence}' was committed not recorded (stop-time).",
                record_path(index, "offence_on"),
            )
    return stopped


def _period_end(facts: CaseFacts, on: date, s: Screen) -> date:
    """The earliest known stop-time event (a valid NTA, a 212(a)(2) offence), else ``on``."""
    ends = [on]
    p = facts.proceedings
    if p.nta_served_on is not None and p.nta_served_on <= on and p.nta_has_time_and_place is True:
        ends.append(p.nta_served_on)
    ends += [committed for committed, _, _, _ in _stop_offences(facts, on, s) if committed is not None]
    return min(ends)


def _aggregate_absences(facts: CaseFacts, on: date, s: Screen, *, years: int, absences: list[Span]) -> None:
    end = _period_end(facts, on, s)
    window = add_years(end, -years)
    total = sum(max(0, (min(back, end) - max(left, window)).days) for _, left, back in absences)
    if total > _AGGREGATE_LIMIT:
        s.misses(
            f"absences in the {years} years before {end.isoformat()} total {total} days "
            f"(over {_AGGREGATE_LIMIT})",
            "presence.absences",
        )


def _absence_days(facts: CaseFacts, on: date, s: Screen, since: date) -> list[tuple[int, date, date]]:
    """Absences since ``since`` as of ``on``: trips begun after ``on`` are ignored; one still under way
    on ``on`` is counted up to ``on``."""
    spans = []
    for index, absence in enumerate(facts.presence.absences or ()):
        if absence.left_on > on:
            continue
        if absence.returned_on is not None and absence.returned_on > on:
            absence = absence.model_copy(update={"returned_on": on})
        if absence.returned_on is None:
            if absence.left_on >= since:
                s.ask(
                    f"Return date of the absence from {absence.left_on} not recorded.",
                    f"presence.absences[{index}].returned_on",
                )
            continue
        if absence.returned_on >= since:
            spans.append(((absence.returned_on - absence.left_on).days, absence.left_on, absence.returned_on))
    return spans


_HONOURABLE = (Discharge.HONORABLE, Discharge.STILL_SERVING)


def _military_exempt(facts: CaseFacts) -> bool:
    """INA 240A(d)(3): 24 months' active duty, separated under honourable conditions (or still
    serving), in the U.S. at enlistment: no continuous residence or presence requirement at all."""
    m = facts.military
    return bool(
        m.served
        and (m.active_duty_months or 0) >= 24
        and m.in_us_at_enlistment
        and m.discharge in _HONOURABLE
    )


def _military_open(facts: CaseFacts) -> tuple[str, ...]:
    """The service facts still missing before (d)(3) can be ruled out; () when it is settled."""
    m = facts.military
    if not m.served or _military_exempt(facts):
        return ()
    if (m.active_duty_months is not None and m.active_duty_months < 24) or m.in_us_at_enlistment is False:
        return ()
    if m.discharge is not None and m.discharge not in _HONOURABLE:
        return ()
    paths = []
    if m.active_duty_months is None:
        paths.append("military.active_duty_months")
    if m.discharge is None:
        paths.append("military.discharge")
    if m.in_us_at_enlistment is None:
        paths.append("military.in_us_at_enlistment")
    return tuple(paths)


def _veteran_clock(facts: CaseFacts, s: Screen, *, years: int, what: str) -> bool:
    """Apply INA 240A(d)(3) before any continuity threshold: True when the clock is not needed
    (the requirement does not apply, or the service facts that might lift it must be asked first)."""
    if _military_exempt(facts):
        s.meets(
            f"24+ months of active-duty service, honourably discharged or still serving, in the U.S. at enlistment: "
            f"the {years} years' {what} are not required (INA 240A(d)(3))",
            "military.served",
            "military.active_duty_months",
            "military.discharge",
            "military.in_us_at_enlistment",
        )
        return True
    return False


def _veteran_gap(facts: CaseFacts, s: Screen, trial: Screen, *, years: int, what: str) -> bool:
    """A clock that misses for a veteran whose (d)(3) facts are missing asks for them instead."""
    open_paths = _military_open(facts)
    if not open_paths or not trial.against:
        return False
    s.ask(
        f"Served in the U.S. armed forces: the {years} years' {what} would not be required under INA 240A(d)(3) "
        "with 24 months of active duty, an honourable discharge (or still serving) and presence in the U.S. at "
        "enlistment. Get the DD-214 to settle it. On the clock alone: " + "; ".join(trial.against) + ".",
        *open_paths,
    )
    _merge(s, trial, against=False)
    return True


def _merge(s: Screen, trial: Screen, *, against: bool = True) -> None:
    s.supporting.extend(trial.supporting)
    if against:
        s.against.extend(trial.against)
    s.used.extend(trial.used)
    s.notes.extend(n for n in trial.notes if n not in s.notes)
    s.questions.extend(q for q in trial.questions if q not in s.questions)
    s.missing.extend(p for p in trial.missing if p not in s.missing)
    s.reviews.extend(r for r in trial.reviews if r not in s.reviews)


def _presence_start(facts: CaseFacts, on: date, s: Screen) -> tuple[date | None, list[Span]]:
    """Start of the unbroken period, restarted after any absence over 90 days (INA 240A(d)(2)),
    and the absences recorded since the first entry."""
    start = facts.entry.first_entry_on or facts.presence.continuous_since or facts.entry.last_entry_on
    if start is None:
        s.ask("Date of first entry not known.", "entry.first_entry_on")
        return None, []
    if facts.presence.absences is None:
        s.ask("Absences from the U.S. not yet asked.", "presence.absences")
        return start, []
    spans = _absence_days(facts, on, s, start)
    for days, left, back in spans:
        if days > _SINGLE_LIMIT:
            s.notes.append(
                f"The absence of {days} days ({left.isoformat()} to {back.isoformat()}) is over {_SINGLE_LIMIT} "
                f"days and broke continuity: the clock restarts on {back.isoformat()}."
            )
            start = max(start, back)
    return start, spans


def _qualifying_relatives(facts: CaseFacts, on: date, s: Screen, relationships: set[Relationship]) -> None:
    """A USC/LPR spouse, parent or child on ``on``. A child must be under 21 (INA 101(b)(1): "an
    unmarried person under twenty-one years of age"; the digest names only "child", so the age element
    is marked [partly confirmed]); a relative born after ``on`` does not count. The relative's status is
    taken as recorded: the facts hold no date from which it was held."""
    if facts.family is None:
        s.ask("Family not yet entered.", "family")
        return
    found = asked = False
    too_old: list[str] = []
    for i, m in enumerate(facts.family):
        if m.relationship not in relationships or m.status not in USC_LPR or not born_by(m, on):
            continue
        label = f"{who(m)} ({m.status.value.upper()} {m.relationship.value})"
        if m.relationship is Relationship.CHILD:
            age = age_of(m, on)
            if age is None:
                s.ask(
                    f"Age of {label} not known: a qualifying child must be under 21.",
                    f"family[{i}].date_of_birth",
                )
                asked = True
                continue
            if age >= 21:
                too_old.append(f"{who(m)} is {age}")
                s.used.append(f"family[{i}].date_of_birth")
                continue
            s.meets(f"{label}, aged {age}", f"family[{i}].status", f"family[{i}].date_of_birth")
            s.notes.append(
                f"{who(m)} counts as a child only while under 21 and unmarried (INA 101(b)(1)) [partly confirmed]; "
                f"21 on {add_years(m.date_of_birth, 21).isoformat() if m.date_of_birth else 'a date not known'}."
            )
        else:
            s.meets(label, f"family[{i}].status")
        found = True
    if too_old:
        s.notes.append(
            f"Not counted as a qualifying child: {'; '.join(too_old)} (a child must be under 21, INA 101(b)(1)) "
            "[partly confirmed]."
        )
    if found or asked:
        return
    unsure = [
        i
        for i, m in enumerate(facts.family)
        if m.relationship in relationships and m.status is RelativeStatus.UNKNOWN and born_by(m, on)
    ]
    if unsure:
        s.ask(
            "Immigration status of a spouse, parent or child not known.",
            *(f"family[{i}].status" for i in unsure),
        )
    else:
        s.misses("no U.S.-citizen or LPR spouse, parent, or child under 21", "family")


def _pending(facts: CaseFacts, on: date, kind: ApplicationKind, s: Screen) -> None:
    for app in facts.proceedings.pending_applications or ():
        if app.kind is kind and (app.filed_on is None or app.filed_on <= on):
            when = f" on {app.filed_on.isoformat()}" if app.filed_on else ""
            s.meets(f"already filed{when}", "proceedings.pending_applications")


def _timed_clock(
    facts: CaseFacts, on: date, s: Screen, *, years: int, what: str, run: Callable[[Screen], None]
) -> None:
    """Run the continuity clock ``run`` unless INA 240A(d)(3) lifts it; a veteran whose service facts
    are missing is asked for them before a missed clock counts against the flag."""
    if _veteran_clock(facts, s, years=years, what=what):
        return
    if not _military_open(facts):
        run(s)
        return
    trial = Screen(s.name)
    run(trial)
    if not _veteran_gap(facts, s, trial, years=years, what=what):
        _merge(s, trial)


@predicate
def non_lpr_cancellation_flag(
    facts: CaseFacts, on: date, *, pereira_from: date | None = None, niz_chavez_from: date | None = None
) -> Verdict:
    """Non-LPR cancellation of removal (INA 240A(b)(1)): 10 years' continuous presence before the
    earlier of a valid NTA or a 212(a)(2) offence, no long absences, a USC/LPR spouse, parent or
    child, no barring conviction."""
    s = Screen("Non-LPR cancellation of removal")
    lpr_since = facts.immigration_history.lpr_since
    if lpr_since is not None and lpr_since <= on:
        s.misses("the person is an LPR (see LPR cancellation)", "immigration_history.lpr_since")
        return s.verdict()
    readings = Readings(pereira_from, niz_chavez_from)

    def run(target: Screen) -> None:
        start, absences = _presence_start(facts, on, target)
        if start is not None:
            _clock(facts, on, target, start=start, years=10, absences=absences, readings=readings)

    _timed_clock(facts, on, s, years=10, what="continuous physical presence", run=run)
    _qualifying_relatives(facts, on, s, QUALIFYING)
    _cancellation_bars(facts, on, s)
    if facts.criminal_history:
        _custody_bar(facts, on, s, years=10)
    security_bars(facts, s)
    if facts.immigration_history.prior_relief_granted:
        s.misses(
            "prior cancellation, suspension or 212(c) relief", "immigration_history.prior_relief_granted"
        )
    _pending(facts, on, ApplicationKind.CANCELLATION_NON_LPR, s)
    s.notes.append(
        "Hardship to the relative must be exceptional and extremely unusual (counsel's call); only in "
        "removal proceedings, so a dismissal gives it up."
    )
    return s.verdict()


@predicate
def vawa_cancellation_flag(facts: CaseFacts, on: date) -> Verdict:
    """VAWA cancellation (INA 240A(b)(2)): battered or subjected to extreme cruelty by a USC/LPR
    spouse or parent, 3 years' continuous presence (the NTA does not stop it), no aggravated felony."""
    s = Screen("VAWA cancellation of removal")
    abuse(facts, s, {Relationship.SPOUSE, Relationship.PARENT})
    start = facts.entry.first_entry_on or facts.presence.continuous_since or facts.entry.last_entry_on

    def run(target: Screen) -> None:
        if start is None:
            target.ask("Date of first entry not known.", "entry.first_entry_on")
        else:
            _clock(facts, on, target, start=start, years=3, nta_stops=False)

    _timed_clock(facts, on, s, years=3, what="continuous physical presence", run=run)
    if any(((a.returned_on or on) - a.left_on).days > 90 for a in facts.presence.absences or ()):
        s.notes.append("An absence over 90 days is on record: absences connected to the abuse do not count.")
    _cancellation_bars(facts, on, s, waivable=True)
    security_bars(facts, s)
    s.notes.append("Also needs good moral character and extreme hardship to the person, child or parent.")
    return s.verdict()


@predicate
def lpr_cancellation_flag(
    facts: CaseFacts, on: date, *, pereira_from: date | None = None, niz_chavez_from: date | None = None
) -> Verdict:
    """LPR cancellation (INA 240A(a)): LPR for 5 years, 7 years' continuous residence after any
    admission before a stop-time event, no aggravated felony."""
    s = Screen("LPR cancellation of removal")
    lpr = facts.immigration_history.lpr_since
    if lpr is None:
        # A 212(a) charge does not settle it: a returning LPR can be charged as an applicant for admission.
        s.ask("Not known whether (and since when) the person is an LPR.", "immigration_history.lpr_since")
        return s.verdict()
    if lpr > on:
        s.misses(
            f"LPR only from {lpr.isoformat()}, after the screening date {on.isoformat()}",
            "immigration_history.lpr_since",
        )
        return s.verdict()
    if on < add_years(lpr, 5):
        s.misses(
            f"LPR since {lpr.isoformat()}: 5 years only on {add_years(lpr, 5).isoformat()}",
            "immigration_history.lpr_since",
        )
    else:
        s.meets(f"LPR since {lpr.isoformat()} (5 years reached)", "immigration_history.lpr_since")
    admitted = lpr
    if facts.entry.manner is EntryManner.ADMITTED and facts.entry.first_entry_on:
        admitted = min(lpr, facts.entry.first_entry_on)
    readings = Readings(pereira_from, niz_chavez_from)

    def run(target: Screen) -> None:
        if admitted != lpr:
            target.notes.append(
                "The 7 years are counted from the first entry, taken to be an admission: confirm."
            )
        _clock(facts, on, target, start=admitted, years=7, readings=readings)

    _timed_clock(facts, on, s, years=7, what="continuous residence after admission", run=run)
    _cancellation_bars(facts, on, s, only_aggravated=True)
    security_bars(facts, s)
    if facts.immigration_history.prior_relief_granted:
        s.misses(
            "prior cancellation, suspension or 212(c) relief", "immigration_history.prior_relief_granted"
        )
    return s.verdict()
