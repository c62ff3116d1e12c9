"""Predicates about criminal history: convictions, charges, warrants and the conduct behind them.

Every test here reads ``criminal_history``. ``None`` there means nobody has asked yet, so the
answer is unknown; ``[]`` means the person has no record. Within a record, an event whose level,
disposition or sentence is missing makes the answer unknown only when that event could change
it: two known felonies already meet "at least one felony" whatever the other entries say.

Screens are as of a date ``on``: an event whose earliest recorded date (offence, arrest or
conviction) is after ``on`` had not happened yet and is left out, and a conviction entered after
``on`` counts as a pending charge. An event with no date at all cannot be placed; it is counted,
and the reason says it was assumed to be before ``on``.

Offence levels and categories (``aggravated_felony``, ``cimt``...) are as assessed by counsel
when the case was entered; the tool does not classify statutes itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from discretion.facts import CaseFacts, CriminalEvent, Disposition, Harm, OffenceCategory, OffenceLevel
from discretion.predicates import Verdict, predicate
from discretion.predicates.parameters import enum_values
from discretion.timeline import full_years

HISTORY = "criminal_history"

# A match is True, False, or the fact paths that would decide it.
Match = bool | tuple[str, ...]


@dataclass
class Tally:
    """Events that certainly match, and events that might once their missing facts are known."""

    sure: list[tuple[int, CriminalEvent]] = field(default_factory=list)
    maybe: list[tuple[int, CriminalEvent, tuple[str, ...]]] = field(default_factory=list)
    later: list[tuple[int, CriminalEvent]] = field(default_factory=list)  # dated after `on`

    @property
    def missing(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for _, _, paths in self.maybe:
            seen.update(dict.fromkeys(paths))
        return tuple(seen)


def describe(event: CriminalEvent) -> str:
    """'Burglary (convicted 2015-03-02)': how a reason names one event."""
    when = event.convicted_on or event.offence_on or event.arrested_on
    if event.disposition is Disposition.DEFERRED:
        dated = f", {when.isoformat()}" if when else ""
        return f"{event.offence} (deferred adjudication{dated}: counsel to assess whether it is a conviction)"
    if event.convicted_on:
        return f"{event.offence} (convicted {event.convicted_on.isoformat()})"
    return f"{event.offence} ({when.isoformat()})" if when else event.offence


def listing(events: Iterable[tuple[int, CriminalEvent]]) -> str:
    return "; ".join(describe(e) for _, e in events)


def path(index: int, name: str) -> str:
    return f"{HISTORY}[{index}].{name}"


def is_conviction(index: int, event: CriminalEvent) -> Match:
    """A disposition of 'convicted', or a conviction date with no disposition recorded. A deferred
    adjudication is left undecided for counsel to assess."""
    if event.disposition is None:
        return True if event.convicted_on else (path(index, "disposition"),)
    if event.disposition is Disposition.DEFERRED:
        # A deferred adjudication after a plea may still be a conviction for immigration purposes;
        # the tool will not decide that, so counsel must record the assessed disposition.
        return (path(index, "disposition"),)
    return event.disposition is Disposition.CONVICTED


def undated(event: CriminalEvent) -> bool:
    return not (event.offence_on or event.arrested_on or event.convicted_on)


def as_of(event: CriminalEvent, on: date) -> CriminalEvent | None:
    """The event as it stood on ``on``: None if it had not happened yet; a conviction entered
    after ``on`` was still a pending charge then."""
    dates = [d for d in (event.offence_on, event.arrested_on, event.convicted_on) if d]
    if dates and min(dates) > on:
        return None
    if event.convicted_on and event.convicted_on > on:
        return event.model_copy(
            update={
                "disposition": Disposition.PENDING,
                "convicted_on": None,
                "sentence_days": None,
                "sentence_suspended": None,
                "completed_sentence": None,
            }
        )
    return event


def events_on(facts: CaseFacts, on: date) -> list[tuple[int, CriminalEvent]]:
    """The recorded events that had happened by ``on``, each as it stood then."""
    kept = []
    for index, event in enumerate(facts.criminal_history or ()):
        then = as_of(event, on)
        if then is not None:
            kept.append((index, then))
    return kept


def tally(facts: CaseFacts, on: date, test: Callable[[int, CriminalEvent], Match]) -> Tally:
    result = Tally()
    for index, recorded in enumerate(facts.criminal_history or ()):
        event = as_of(recorded, on)
        if event is None:
            result.later.append((index, recorded))
            continue
        outcome = test(index, event)
        if outcome is True:
            result.sure.append((index, event))
        elif outcome is not False:
            result.maybe.append((index, event, outcome))
    return result


def both(*tests: Callable[[int, CriminalEvent], Match]) -> Callable[[int, CriminalEvent], Match]:
    """All tests must match; a definite False anywhere wins over unknowns."""

    def combined(index: int, event: CriminalEvent) -> Match:
        missing: list[str] = []
        for test in tests:
            outcome = test(index, event)
            if outcome is False:
                return False
            if outcome is not True:
                missing.extend(outcome)
        return tuple(missing) or True

    return combined


def _dating(found: Tally, on: date) -> str:
    """What the reason must say about events left out as later, or counted though undated."""
    notes = []
    if found.later:
        notes.append(f" Not counted, recorded as after {on.isoformat()}: {listing(found.later)}.")
    guessed = [(i, e) for i, e in found.sure if undated(e)]
    if guessed:
        notes.append(f" No date recorded for {listing(guessed)}: assumed to be before {on.isoformat()}.")
    return "".join(notes)


def at_least(facts: CaseFacts, on: date, count: int, found: Tally, what: str) -> Verdict:
    """Met when ``count`` events surely match, unknown when the maybes could get there."""
    if facts.criminal_history is None:
        return Verdict.unknown("Criminal history has not been entered.", (HISTORY,))
    if not facts.criminal_history:
        return Verdict.not_met(f"No criminal record, so no {what}.", HISTORY)
    dating = _dating(found, on)
    sure = len(found.sure)
    shown = f": {listing(found.sure)}" if found.sure else ""
    needed = f" ({count} needed)" if count > 1 else ""
    if sure >= count:
        return Verdict.met(f"{sure} {what}{needed}{shown}.{dating}", HISTORY)
    if sure + len(found.maybe) >= count:
        undecided = "; ".join(describe(e) for _, e, _ in found.maybe)
        return Verdict.unknown(
            f"{sure} {what} certain ({count} needed){shown}; undecided until more is known about: "
            f"{undecided}.{dating}",
            found.missing,
            HISTORY,
        )
    if sure == 0:
        return Verdict.not_met(f"No {what} on record as of {on.isoformat()}.{dating}", HISTORY)
    return Verdict.not_met(f"Only {sure} {what} ({count} needed){shown}.{dating}", HISTORY)


def _level_in(levels: list[str] | None) -> Callable[[int, CriminalEvent], Match]:
    wanted = {OffenceLevel(v) for v in levels} if levels else None

    def test(index: int, event: CriminalEvent) -> Match:
        if wanted is None:
            return True
        if event.level is None:
            return (path(index, "level"),)
        return event.level in wanted

    return test


def _not_in(excluding: list[str] | None) -> Callable[[int, CriminalEvent], Match]:
    excluded = {OffenceCategory(v) for v in excluding or ()}
    return lambda index, event: not excluded.intersection(event.categories)


def _in_categories(categories: list[str] | None) -> Callable[[int, CriminalEvent], Match]:
    wanted = {OffenceCategory(v) for v in categories or ()}
    return lambda index, event: not wanted or bool(wanted.intersection(event.categories))


WORDS = {
    "dui": "DUI",
    "drugs_trafficking": "drug trafficking",
    "drugs_possession": "drug possession",
    "cimt": "crime involving moral turpitude",
    "sexual": "sexual abuse or exploitation",
    "firearms": "firearms",
    "immigration_status": "offences whose element is immigration status",
    "minor_traffic": "minor traffic offences",
}


def _words(values: list[str] | None) -> str:
    return ", ".join(WORDS.get(v, v.replace("_", " ")) for v in values or ())


@predicate
@enum_values(levels=OffenceLevel, categories=OffenceCategory, excluding=OffenceCategory)
def convictions_at_least(
    facts: CaseFacts,
    on: date,
    *,
    count: int = 1,
    levels: list[str] | None = None,
    categories: list[str] | None = None,
    excluding: list[str] | None = None,
) -> Verdict:
    """At least ``count`` convictions of the given ``levels`` (felony, misdemeanor, infraction),
    in any of ``categories`` if given, leaving out offences in the ``excluding`` categories."""
    what = "conviction(s)"
    if levels:
        what = f"{' or '.join(levels)} conviction(s)"
    if categories:
        what += f" for {_words(categories)}"
    if excluding:
        what += f" (not counting {_words(excluding)})"
    test = both(is_conviction, _not_in(excluding), _in_categories(categories), _level_in(levels))
    return at_least(facts, on, count, tally(facts, on, test), what)


@predicate
@enum_values(excluding=OffenceCategory)
def convicted_of_felony(facts: CaseFacts, on: date, *, excluding: list[str] | None = None) -> Verdict:
    """Convicted of an offence the convicting jurisdiction classes as a felony, leaving out
    offences in the ``excluding`` categories (e.g. offences whose element is immigration status)."""
    return convictions_at_least(facts, on, count=1, levels=["felony"], excluding=excluding)


def _separate(found: Tally) -> tuple[Tally, list[str]]:
    """Keep one sure match per incident date; undated sure matches become maybes."""
    by_incident: dict[date, tuple[int, CriminalEvent]] = {}
    kept = Tally(maybe=list(found.maybe), later=list(found.later))
    for index, event in found.sure:
        when = event.offence_on or event.arrested_on
        if when is None:
            kept.maybe.append((index, event, (path(index, "offence_on"),)))
        else:
            by_incident.setdefault(when, (index, event))
    kept.sure = sorted(by_incident.values())
    merged = len(found.sure) - len(kept.sure) - (len(kept.maybe) - len(found.maybe))
    return kept, [f"{merged} conviction(s) share an incident date and count once"] if merged else []


@predicate
@enum_values(excluding=OffenceCategory)
def misdemeanours_at_least(
    facts: CaseFacts,
    on: date,
    *,
    count: int = 3,
    excluding: list[str] | None = None,
    separate_incidents: bool = True,
) -> Verdict:
    """At least ``count`` misdemeanour convictions, not counting the ``excluding`` categories;
    with ``separate_incidents`` convictions arising from the same incident (same offence date)
    count once."""
    test = both(is_conviction, _not_in(excluding), _level_in(["misdemeanor"]))
    found = tally(facts, on, test)
    notes: list[str] = []
    if separate_incidents:
        found, notes = _separate(found)
    what = "misdemeanour conviction(s)"
    if excluding:
        what += f" (not counting {_words(excluding)})"
    if separate_incidents:
        what += " from separate incidents"
    verdict = at_least(facts, on, count, found, what)
    if notes:
        verdict = Verdict(
            verdict.outcome,
            f"{verdict.reason} {'; '.join(notes)}.",
            verdict.facts_used,
            verdict.missing,
        )
    return verdict


@predicate
@enum_values(categories=OffenceCategory)
def significant_misdemeanour(
    facts: CaseFacts,
    on: date,
    *,
    categories: list[str],
    sentence_days_at_least: int = 90,
) -> Verdict:
    """A misdemeanour conviction in one of ``categories`` (e.g. domestic violence, DUI), or any
    misdemeanour with a custodial sentence of at least ``sentence_days_at_least`` days."""
    wanted = {OffenceCategory(v) for v in categories}

    def serious(index: int, event: CriminalEvent) -> Match:
        if wanted.intersection(event.categories):
            return True
        if event.sentence_days is None:
            return (path(index, "sentence_days"),)
        return event.sentence_days >= sentence_days_at_least

    found = tally(facts, on, both(is_conviction, _level_in(["misdemeanor"]), serious))
    what = (
        f"significant misdemeanour(s) ({_words(categories)}, "
        f"or a sentence of {sentence_days_at_least}+ days in custody)"
    )
    return at_least(facts, on, 1, found, what)


def _punishable(index: int, event: CriminalEvent, keep: Callable[[int], bool]) -> Match:
    # An infraction is not a crime, so it is never a "crime punishable by" any term.
    if event.level is OffenceLevel.INFRACTION or OffenceCategory.MINOR_TRAFFIC in event.categories:
        return False
    if event.max_penalty_days is None:
        return (path(index, "max_penalty_days"),)
    return keep(event.max_penalty_days)


@predicate
def convictions_punishable_over(facts: CaseFacts, on: date, *, count: int, days: int = 365) -> Verdict:
    """At least ``count`` convictions for offences punishable by more than ``days`` days."""
    test = both(is_conviction, lambda i, e: _punishable(i, e, lambda d: d > days))
    return at_least(
        facts, on, count, tally(facts, on, test), f"conviction(s) punishable by more than {days} days"
    )


@predicate
def convictions_punishable_under(facts: CaseFacts, on: date, *, count: int, days: int = 365) -> Verdict:
    """At least ``count`` convictions for offences punishable by less than ``days`` days."""
    test = both(is_conviction, lambda i, e: _punishable(i, e, lambda d: d < days))
    return at_least(
        facts, on, count, tally(facts, on, test), f"conviction(s) punishable by less than {days} days"
    )


def _disposition(wanted: set[Disposition]) -> Callable[[int, CriminalEvent], Match]:
    def test(index: int, event: CriminalEvent) -> Match:
        if event.disposition is None:
            return (path(index, "disposition"),)
        return event.disposition in wanted

    return test


@predicate
def criminal_charge_pending(facts: CaseFacts, on: date) -> Verdict:
    """A criminal charge has been filed and not yet resolved."""
    found = tally(facts, on, _disposition({Disposition.PENDING}))
    return at_least(facts, on, 1, found, "unresolved criminal charge(s)")


@predicate
def outstanding_criminal_warrant(facts: CaseFacts, on: date) -> Verdict:
    """The person is subject to an outstanding criminal arrest warrant."""

    def test(index: int, event: CriminalEvent) -> Match:
        if event.outstanding_warrant is None:
            return (
                (path(index, "outstanding_warrant"),) if event.disposition is Disposition.PENDING else False
            )
        return event.outstanding_warrant

    return at_least(facts, on, 1, tally(facts, on, test), "outstanding criminal warrant(s)")


@predicate
def criminal_conduct_recorded(facts: CaseFacts, on: date) -> Verdict:
    """Any arrest, charge or conviction is on record other than one ending in acquittal, so an
    officer could say the person committed acts that constitute a chargeable offence."""
    found = tally(facts, on, lambda i, e: e.disposition is not Disposition.ACQUITTED)
    return at_least(facts, on, 1, found, "recorded arrest(s), charge(s) or conviction(s)")


def _petty(event: CriminalEvent) -> bool:
    """Minor traffic infractions carry no weapon, harm or sophistication worth asking about."""
    return event.level is OffenceLevel.INFRACTION or OffenceCategory.MINOR_TRAFFIC in event.categories


def _conduct(flag: Callable[[CriminalEvent], object], name: str) -> Callable[[int, CriminalEvent], Match]:
    """Events other than acquittals whose ``name`` fact is set; unknown where it is blank."""

    def test(index: int, event: CriminalEvent) -> Match:
        if event.disposition is Disposition.ACQUITTED or _petty(event):
            return False
        value = flag(event)
        if value is None:
            return (path(index, name),)
        return bool(value)

    return test


@predicate
def offence_used_weapon(facts: CaseFacts, on: date) -> Verdict:
    """An offence on record involved the use or threatened use of a firearm or dangerous weapon."""
    found = tally(facts, on, _conduct(lambda e: e.weapon_used, "weapon_used"))
    return at_least(facts, on, 1, found, "offence(s) involving a weapon")


@predicate
def offence_caused_harm(facts: CaseFacts, on: date) -> Verdict:
    """An offence on record caused harm to a person, as recorded in ``harm`` (never the free text)."""

    def test(index: int, event: CriminalEvent) -> Match:
        if event.disposition is Disposition.ACQUITTED or _petty(event):
            return False
        if event.harm is None or event.harm is Harm.UNKNOWN:
            return (path(index, "harm"),)
        return event.harm is not Harm.NONE

    return at_least(facts, on, 1, tally(facts, on, test), "offence(s) that caused harm")


@predicate
def offence_was_sophisticated(facts: CaseFacts, on: date) -> Verdict:
    """An offence on record involved planning or sophistication."""
    found = tally(facts, on, _conduct(lambda e: e.sophisticated, "sophisticated"))
    return at_least(facts, on, 1, found, "sophisticated offence(s)")


SERIOUS = {
    OffenceCategory.AGGRAVATED_FELONY,
    OffenceCategory.VIOLENT,
    OffenceCategory.SEXUAL,
    OffenceCategory.DOMESTIC_VIOLENCE,
    OffenceCategory.DRUGS_TRAFFICKING,
    OffenceCategory.FIREARMS,
    OffenceCategory.TERRORISM,
    OffenceCategory.GANG,
}
SETTLED_IN_FAVOUR = {
    Disposition.ACQUITTED,
    Disposition.DISMISSED,
    Disposition.VACATED,
    Disposition.EXPUNGED,
    Disposition.NO_CHARGE,
}


@predicate
def serious_criminal_conduct(facts: CaseFacts, on: date) -> Verdict:
    """Criminal conduct of a serious kind is on record: a felony, or an offence that is violent,
    sexual, domestic violence, drug trafficking, firearms, gang, terrorism or an aggravated
    felony, or any offence with a weapon. Acquittals, dismissals and set-aside convictions do
    not count. This flags conduct for review; it is not a finding of dangerousness."""

    def test(index: int, event: CriminalEvent) -> Match:
        if event.disposition in SETTLED_IN_FAVOUR:
            return False
        if SERIOUS.intersection(event.categories) or event.weapon_used:
            return True
        if event.level is None:
            return (path(index, "level"),)
        return event.level is OffenceLevel.FELONY

    return at_least(facts, on, 1, tally(facts, on, test), "serious offence(s)")


@predicate
def conviction_set_aside(facts: CaseFacts, on: date) -> Verdict:
    """A conviction on record has been vacated or expunged."""
    found = tally(facts, on, _disposition({Disposition.VACATED, Disposition.EXPUNGED}))
    return at_least(facts, on, 1, found, "vacated or expunged conviction(s)")


@predicate
def rehabilitation_since_offence(facts: CaseFacts, on: date, *, years: int = 5) -> Verdict:
    """The most recent offence is at least ``years`` years old by ``on`` and the record shows
    rehabilitation (a completed sentence or a described programme)."""
    if facts.criminal_history is None:
        return Verdict.unknown("Criminal history has not been entered.", (HISTORY,))
    events = [(i, e) for i, e in events_on(facts, on) if e.disposition is not Disposition.ACQUITTED]
    if not events:
        return Verdict.not_met(
            f"No criminal record as of {on.isoformat()}, so rehabilitation does not arise.", HISTORY
        )
    dated = [(e.offence_on or e.arrested_on or e.convicted_on, i) for i, e in events]
    undated = [path(i, "offence_on") for when, i in dated if when is None]
    if undated:
        return Verdict.unknown("The date of an offence is not known.", tuple(undated), HISTORY)
    latest = max(when for when, _ in dated if when is not None)
    age = full_years(latest, on)
    shown = [describe(e) + f": {e.rehabilitation}" for _, e in events if e.rehabilitation]
    completed = [describe(e) for _, e in events if e.completed_sentence]
    if age < years:
        return Verdict.not_met(
            f"Most recent offence {latest.isoformat()}: {age} years before {on.isoformat()} (needs {years}).",
            HISTORY,
        )
    if not shown and not completed:
        return Verdict.unknown(
            f"Most recent offence {latest.isoformat()} ({age} years ago); no sentence completion or "
            "rehabilitation recorded.",
            tuple(path(i, "rehabilitation") for i, _ in events),
            HISTORY,
        )
    proof = "; ".join(shown) or f"sentence completed for {', '.join(completed)}"
    return Verdict.met(f"Most recent offence {latest.isoformat()} ({age} years ago); {proof}.", HISTORY)
