"""Impossible or contradictory facts, reported with the field path (never raised).

A case file can be well-formed yet impossible: entry before birth, a hearing before the NTA, a
conviction dated in the future. Screening still runs; these problems are listed beside it so
the practitioner fixes the facts before relying on any conclusion.

Severity ``error`` means the facts cannot all be true; ``warning`` means they are unusual enough
that a person should look again (a spouse listed while ``married`` is false, a hearing date that
has already passed). Dates are walked field by field rather than through ``model_dump``: this
runs once per row of a million-row docket, and the dump dominated its cost.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel

from discretion.facts import CaseFacts, Disposition, EntryManner, Relationship, RelativeStatus
from discretion.partial_dates import bounds, is_partial
from discretion.timeline import full_years

# Dates that may lie after the as-of date: they are scheduled, not historical (list indices
# written [*]).
_MAY_BE_FUTURE = frozenset(
    {
        "proceedings.next_hearing.date",
        "proceedings.hearing_notices[*].hearing_on",
        "entry.paroles[*].ends_on",
        "entry.i94_admit_until",
        "tps.valid_until",
        "supervision.next_check_in_on",
    }
)
# A grandfathering petition may have been filed for a parent before the person was born, and a
# relative's naturalization, status or death may precede the person's birth.
_MAY_PRECEDE_BIRTH_PREFIXES = ("immigration_history.grandfathering_filings[", "family[")
_INDEX = re.compile(r"\[\d+\]")
_NOT_CONVICTED = frozenset(
    {Disposition.PENDING, Disposition.DISMISSED, Disposition.ACQUITTED, Disposition.NO_CHARGE}
)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something impossible or contradictory in the facts, with the field path. It lives here,
    not in screening: screening runs this check, and the check must not need screening."""

    path: str
    message: str
    severity: str = "error"  # error | warning

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message, "severity": self.severity}


def check(facts: CaseFacts, *, on: date) -> Iterator[Problem]:
    """Yield every problem found in ``facts`` as of ``on``."""
    yield from _timeline(facts, on)
    yield from _proceedings(facts, on)
    yield from _entry(facts, on)
    yield from _absences(facts)
    yield from _history(facts)
    yield from _criminal(facts)
    yield from _family(facts, on)
    yield from _other(facts, on)
    yield from _records(facts)


# (path of a list, start field, end field, words): an end before its start cannot be true.
_SPANS = (
    ("entry.paroles", "paroled_on", "ends_on", "the parole ends"),
    ("entry.paroles", "paroled_on", "terminated_on", "the parole was terminated"),
    ("presence.proofs", "dated_from", "dated_to", "the proof's last date is"),
    ("health.conditions", "diagnosed_on", "ended_on", "the condition ended"),
    ("family", "date_of_birth", "died_on", "the relative died"),
    ("family", "date_of_birth", "naturalized_on", "the relative was naturalized"),
)


def _records(facts: CaseFacts) -> Iterator[Problem]:
    """Spans inside records (a parole, a proof, an illness, a life) that end before they start,
    and records that contradict themselves."""
    for list_path, start, end, words in _SPANS:
        section, _, name = list_path.rpartition(".")
        holder = getattr(facts, section) if section else facts
        for i, item in enumerate(getattr(holder, name) or ()):
            first, last = getattr(item, start), getattr(item, end)
            if first and last and _earlier(last, first):
                yield Problem(f"{list_path}[{i}].{end}", f"{words} {last}, before {first} ({start})")
    for i, m in enumerate(facts.family or ()):
        if m.deceased is False and m.died_on:
            yield Problem(f"family[{i}].deceased", "says not deceased, but a date of death is recorded")
        if m.citizenship_by and m.status is not RelativeStatus.USC:
            yield Problem(
                f"family[{i}].citizenship_by",
                f"citizenship by {m.citizenship_by.value} is recorded but the status is {m.status.value}",
                "warning",
            )
    for i, event in enumerate(facts.criminal_history or ()):
        if (
            event.time_served_days is not None
            and event.sentence_days is not None
            and event.time_served_days > event.sentence_days
            and not event.sentence_suspended
        ):
            yield Problem(
                f"criminal_history[{i}].time_served_days",
                f"{event.time_served_days} days served, more than the {event.sentence_days} imposed "
                "(pre-trial custody credited? check)",
                "warning",
            )
    t = facts.tps
    if t.granted_on and t.applied_on and _earlier(t.granted_on, t.applied_on):
        yield Problem(
            "tps.granted_on", f"TPS granted {t.granted_on}, before it was applied for ({t.applied_on})"
        )
    v = facts.victimisation
    if v.crime_in_united_states is not None and v.crime_victim is False:
        yield Problem(
            "victimisation.crime_in_united_states",
            "says the person was not a crime victim, but where the crime happened is recorded",
            "warning",
        )


def _timeline(facts: CaseFacts, on: date) -> Iterator[Problem]:
    """No fact happens before birth, and no past event happens after the as-of date."""
    dob = facts.identity.date_of_birth
    if dob and bounds(dob)[0] > on:
        yield Problem("identity.date_of_birth", f"date of birth {dob} is after the as-of date {on}")
    for path, value in _dates(facts):
        if dob and _earlier(value, dob) and not path.startswith(_MAY_PRECEDE_BIRTH_PREFIXES):
            yield Problem(path, f"{value} is before the date of birth {dob}")
        if bounds(value)[0] > on and _INDEX.sub("[*]", path) not in _MAY_BE_FUTURE:
            yield Problem(path, f"{value} is in the future (as of {on})")
    for i, year in enumerate(facts.employment.tax_years or ()):
        if year > on.year:
            yield Problem(f"employment.tax_years[{i}]", f"tax year {year} is in the future (as of {on})")
        elif dob and year < dob.year:
            yield Problem(f"employment.tax_years[{i}]", f"tax year {year} is before the year of birth")


def _earlier(a: date, b: date) -> bool:
    """``a`` is certainly before ``b``: a partial date's whole range lies before the other's."""
    return bounds(a)[1] < bounds(b)[0]


def _proceedings(facts: CaseFacts, on: date) -> Iterator[Problem]:
    p = facts.proceedings
    hearing = p.next_hearing
    if hearing and p.nta_served_on and _earlier(hearing.date, p.nta_served_on):
        yield Problem(
            "proceedings.next_hearing.date",
            f"hearing {hearing.date} is before the NTA was served ({p.nta_served_on})",
        )
    if hearing and hearing.date < on:
        yield Problem(
            "proceedings.next_hearing.date",
            f"the next hearing, {hearing.date}, has already passed (as of {on}); update it",
            "warning",
        )
    first = facts.entry.first_entry_on
    if p.nta_served_on and first and _earlier(p.nta_served_on, first):
        yield Problem(
            "proceedings.nta_served_on",
            f"NTA served {p.nta_served_on}, before the first entry ({first})",
        )
    if p.in_proceedings is False and (p.nta_filed_on or hearing):
        yield Problem(
            "proceedings.in_proceedings",
            "says not in proceedings, but an NTA filing or a hearing is recorded",
            "warning",
        )
    if p.detained is False and p.detention_facility:
        yield Problem(
            "proceedings.detention_facility", "a detention facility is named but detained is false", "warning"
        )
    if p.administratively_closed and hearing:
        yield Problem(
            "proceedings.administratively_closed",
            "the case is marked administratively closed but a next hearing is scheduled",
            "warning",
        )


def _entry(facts: CaseFacts, on: date) -> Iterator[Problem]:
    e = facts.entry
    dob = facts.identity.date_of_birth
    if e.first_entry_on and e.last_entry_on and _earlier(e.last_entry_on, e.first_entry_on):
        yield Problem(
            "entry.last_entry_on",
            f"last entry {e.last_entry_on} is before the first entry {e.first_entry_on}",
        )
    if e.parole_ends_on and e.last_entry_on and _earlier(e.parole_ends_on, e.last_entry_on):
        yield Problem(
            "entry.paroles",
            f"parole ends {e.parole_ends_on}, before the last entry ({e.last_entry_on})",
        )
    if (
        e.manner is not None
        and e.manner is not EntryManner.PAROLED
        and (e.parole_ends_on or e.parole_program)
    ):
        yield Problem(
            "entry.manner",
            f"entry manner is {e.manner.value} but parole details are recorded",
            "warning",
        )
    if e.age_at_first_entry is not None and dob:
        if e.first_entry_on:
            # With partial dates the age is a range: only an age outside it is a problem.
            low = full_years(bounds(dob)[1], bounds(e.first_entry_on)[0])
            high = full_years(bounds(dob)[0], bounds(e.first_entry_on)[1])
            if not low <= e.age_at_first_entry <= high:
                derived = str(low) if low == high else f"{low} to {high}"
                yield Problem(
                    "entry.age_at_first_entry", f"says {e.age_at_first_entry} but the dates give {derived}"
                )
        elif e.age_at_first_entry > full_years(dob, on):
            yield Problem(
                "entry.age_at_first_entry",
                f"says {e.age_at_first_entry}, older than the person is today ({full_years(dob, on)})",
            )
    first = e.first_entry_on
    since = facts.presence.continuous_since
    if first and since and _earlier(since, first):
        yield Problem(
            "presence.continuous_since", f"continuous presence from {since}, before the first entry ({first})"
        )
    if first and e.apprehended_in_interior_on and _earlier(e.apprehended_in_interior_on, first):
        yield Problem(
            "entry.apprehended_in_interior_on",
            f"apprehended inside the U.S. on {e.apprehended_in_interior_on}, before the first entry ({first})",
        )
    lpr = facts.immigration_history.lpr_since
    if first and lpr and _earlier(lpr, first):
        yield Problem("immigration_history.lpr_since", f"LPR since {lpr}, before the first entry ({first})")


def _absences(facts: CaseFacts) -> Iterator[Problem]:
    absences = facts.presence.absences or []
    first = facts.entry.first_entry_on
    for i, a in enumerate(absences):
        if a.returned_on and _earlier(a.returned_on, a.left_on):
            yield Problem(
                f"presence.absences[{i}].returned_on",
                f"returned {a.returned_on} before leaving ({a.left_on})",
            )
        if first and _earlier(a.left_on, first):
            yield Problem(
                f"presence.absences[{i}].left_on", f"left {a.left_on}, before the first entry ({first})"
            )
    ordered = sorted(range(len(absences)), key=lambda i: absences[i].left_on)
    for before, after in zip(ordered, ordered[1:], strict=False):
        back = absences[before].returned_on
        if back is None or _earlier(absences[after].left_on, back):
            until = back.isoformat() if back else "no return recorded"
            yield Problem(
                f"presence.absences[{after}].left_on",
                f"left {absences[after].left_on} while still abroad on absence {before} "
                f"({absences[before].left_on} to {until})",
            )


def _history(facts: CaseFacts) -> Iterator[Problem]:
    h = facts.immigration_history
    if h.final_order is False and (h.final_order_on or h.final_order_in_absentia):
        yield Problem(
            "immigration_history.final_order",
            "says no final order, but an order date or in-absentia is recorded",
        )
    last = facts.entry.last_entry_on
    for i, r in enumerate(h.prior_removals or []):
        if r.removed_on and last and _earlier(r.removed_on, last) and h.reentered_after_removal is False:
            yield Problem(
                "immigration_history.reentered_after_removal",
                f"says no re-entry after removal, but removal {i} ({r.removed_on}) precedes the last entry ({last})",
            )


def _criminal(facts: CaseFacts) -> Iterator[Problem]:
    for i, event in enumerate(facts.criminal_history or []):
        where = f"criminal_history[{i}]"
        if event.offence_on and event.convicted_on and _earlier(event.convicted_on, event.offence_on):
            yield Problem(
                f"{where}.convicted_on",
                f"conviction {event.convicted_on} is before the offence {event.offence_on}",
            )
        if event.offence_on and event.arrested_on and _earlier(event.arrested_on, event.offence_on):
            yield Problem(
                f"{where}.arrested_on", f"arrest {event.arrested_on} is before the offence {event.offence_on}"
            )
        if event.convicted_on and event.disposition in _NOT_CONVICTED:
            assert event.disposition is not None
            yield Problem(
                f"{where}.disposition",
                f"disposition is {event.disposition.value} but a conviction date is recorded",
            )
        if (
            event.sentence_days is not None
            and event.max_penalty_days is not None
            and event.sentence_days > event.max_penalty_days
        ):
            yield Problem(
                f"{where}.sentence_days",
                f"sentence of {event.sentence_days} days exceeds the maximum penalty ({event.max_penalty_days})",
            )


def _family(facts: CaseFacts, on: date) -> Iterator[Problem]:
    dob = facts.identity.date_of_birth
    spouses = 0
    for i, m in enumerate(facts.family or []):
        where = f"family[{i}]"
        if m.date_of_birth and bounds(m.date_of_birth)[0] > on:
            yield Problem(f"{where}.date_of_birth", f"{m.date_of_birth} is in the future (as of {on})")
        if (
            m.date_of_birth
            and m.age is not None
            and m.date_of_birth <= on
            and not is_partial(m.date_of_birth)
        ):
            derived = full_years(m.date_of_birth, on)
            if derived != m.age:
                yield Problem(f"{where}.age", f"says {m.age} but the date of birth gives {derived}")
        if dob and m.date_of_birth and not is_partial(dob) and not is_partial(m.date_of_birth):
            if m.relationship is Relationship.PARENT and m.date_of_birth >= dob:
                yield Problem(
                    f"{where}.date_of_birth", f"a parent born {m.date_of_birth}, not before the person"
                )
            if m.relationship is Relationship.CHILD and full_years(dob, m.date_of_birth) < 12:
                yield Problem(
                    f"{where}.date_of_birth",
                    f"a child born {m.date_of_birth}, when the person was {full_years(dob, m.date_of_birth)}",
                    "error" if m.date_of_birth <= dob else "warning",
                )
        if m.relationship is Relationship.SPOUSE:
            spouses += 1
            if facts.identity.married is False:
                yield Problem(
                    f"{where}.relationship", "a spouse is listed but identity.married is false", "warning"
                )
    if spouses > 1:
        yield Problem("family", f"{spouses} spouses are listed", "warning")


def _other(facts: CaseFacts, on: date) -> Iterator[Problem]:
    dob = facts.identity.date_of_birth
    age = full_years(dob, on) if dob and dob <= on else None
    g = facts.gang
    if age is not None and g.age_at_participation is not None and g.age_at_participation > age:
        yield Problem(
            "gang.age_at_participation", f"says {g.age_at_participation}, older than the person ({age})"
        )
    m = facts.military
    if m.served is False and (m.branch or m.discharge or m.active_duty_months):
        yield Problem(
            "military.served", "says never served, but a branch, discharge or service months is recorded"
        )
    e = facts.entry
    entered_at = e.age_at_first_entry
    if entered_at is None and dob and e.first_entry_on and e.first_entry_on >= dob:
        entered_at = full_years(dob, e.first_entry_on)
    if facts.immigration_history.ever_had_daca and entered_at is not None and entered_at >= 16:
        yield Problem(
            "immigration_history.ever_had_daca",
            f"DACA requires arrival before 16, but the person arrived at {entered_at}",
            "warning",
        )
    years_here = full_years(e.first_entry_on, on) if e.first_entry_on and e.first_entry_on <= on else None
    worked = facts.employment.years_worked_in_us
    if worked is not None and years_here is not None and worked > years_here + 1:
        yield Problem(
            "employment.years_worked_in_us",
            f"{worked} years worked, but only {years_here} years in the U.S.",
            "warning",
        )


def _dates(facts: CaseFacts) -> Iterator[tuple[str, date]]:
    """Every historical or scheduled date in the facts with its path, except birth dates."""
    yield from _walk(facts, "")


def _walk(model: BaseModel, prefix: str) -> Iterator[tuple[str, date]]:
    if not model.model_fields_set:
        return  # a section left at its defaults holds no date
    dates, parts, lists = _plan(type(model))
    for name in dates:
        value = getattr(model, name)
        if value is not None:
            yield prefix + name, value
    for name in parts:
        value = getattr(model, name)
        if value is not None:
            yield from _walk(value, f"{prefix}{name}.")
    for name in lists:
        for i, item in enumerate(getattr(model, name) or ()):
            yield from _walk(item, f"{prefix}{name}[{i}].")


@functools.cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A model's date fields, sub-model fields and lists of records, worked out once per class:
    the walk runs once per row of a million-row docket, and model_dump dominated its cost."""
    dates, parts, lists = [], [], []
    for name, info in model.model_fields.items():
        if name in ("date_of_birth", "disputes"):
            continue  # birth dates are checked on their own; disputes hold alternative values
        for arg in _flatten(info.annotation):
            if arg is date:
                dates.append(name)
            elif isinstance(arg, type) and issubclass(arg, BaseModel):
                parts.append(name)
            elif typing.get_origin(arg) is list:
                (item,) = typing.get_args(arg)
                if isinstance(item, type) and issubclass(item, BaseModel):
                    lists.append(name)
    return tuple(dates), tuple(parts), tuple(lists)


def _flatten(annotation: object) -> list[object]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return [a for arg in typing.get_args(annotation) for a in _flatten(arg)]
    return [annotation]
