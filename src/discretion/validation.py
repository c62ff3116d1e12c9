"""Impossible or contradictory facts, reported with the field path (never raised).

A case file can be well-formed yet impossible: entry before birth, a hearing before the NTA, a
conviction dated in the future. Screening still runs; these problems are listed beside it so
the practitioner fixes the facts before relying on any conclusion.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from discretion.facts import CaseFacts
from discretion.screening import Problem


def check(facts: CaseFacts, *, on: date) -> Iterator[Problem]:
    """Yield every problem found in ``facts`` as of ``on``."""
    dob = facts.identity.date_of_birth
    if dob and dob > on:
        yield Problem("identity.date_of_birth", f"date of birth {dob} is after the as-of date {on}")
    for path, value in _dates(facts):
        if dob and value < dob:
            yield Problem(path, f"{value} is before the date of birth {dob}")
        if value > on and not path.startswith(("proceedings.next_hearing", "entry.parole_ends_on")):
            yield Problem(path, f"{value} is in the future (as of {on})")
    p = facts.proceedings
    if p.nta_served_on and p.next_hearing and p.next_hearing.date < p.nta_served_on:
        yield Problem(
            "proceedings.next_hearing.date",
            f"hearing {p.next_hearing.date} is before the NTA was served ({p.nta_served_on})",
        )
    e = facts.entry
    if e.first_entry_on and e.last_entry_on and e.last_entry_on < e.first_entry_on:
        yield Problem(
            "entry.last_entry_on",
            f"last entry {e.last_entry_on} is before the first entry {e.first_entry_on}",
        )
    if dob and e.first_entry_on and e.age_at_first_entry is not None:
        derived = (
            e.first_entry_on.year
            - dob.year
            - ((e.first_entry_on.month, e.first_entry_on.day) < (dob.month, dob.day))
        )
        if derived != e.age_at_first_entry:
            yield Problem(
                "entry.age_at_first_entry", f"says {e.age_at_first_entry} but the dates give {derived}"
            )
    for i, event in enumerate(facts.criminal_history or []):
        if event.offence_on and event.convicted_on and event.convicted_on < event.offence_on:
            yield Problem(
                f"criminal_history[{i}].convicted_on",
                f"conviction {event.convicted_on} is before the offence {event.offence_on}",
            )
    if p.in_proceedings is False and (p.nta_filed_on or p.next_hearing):
        yield Problem(
            "proceedings.in_proceedings",
            "says not in proceedings, but an NTA filing or a hearing is recorded",
            "warning",
        )


def _dates(facts: CaseFacts) -> Iterator[tuple[str, date]]:
    """Every date in the facts with its path, except the date of birth itself."""

    def walk(value: object, path: str) -> Iterator[tuple[str, date]]:
        if isinstance(value, date):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{path}[{index}]")

    for path, value in walk(facts.model_dump(exclude_none=True), ""):
        if path != "identity.date_of_birth" and not path.startswith("family["):
            yield path, value
