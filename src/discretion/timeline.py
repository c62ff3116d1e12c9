"""Date arithmetic the rules share: whole years between dates, ages, day counts.

The core never reads the clock; every function takes the dates it compares.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from discretion import partial_dates

if TYPE_CHECKING:
    from discretion.facts import CaseFacts


def full_years(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end`` (an anniversary counts on its day; Feb 29 -> Mar 1)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def age_on(date_of_birth: date, on: date) -> int:
    return full_years(date_of_birth, on)


def add_years(start: date, years: int) -> date:
    """``start`` plus ``years``; Feb 29 becomes Feb 28 in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


# --- dates as the case file holds them: partial, claimed or documented, derived --------------
# A date may be partial (a PartialDate, `discretion.partial_dates`): a comparison whose boundary
# falls inside its range is "inside" and the rule says review, never a verdict. A date may be only
# the person's word (`claimed`): a reason that rests on it says so. An exact tie with a cut-off is
# a boundary, and the reason shows the comparison.


def versus(value: date, boundary: date) -> str:
    """``before`` / ``same`` / ``after`` / ``inside`` (a partial date whose range holds the boundary)."""
    return partial_dates.compare(value, boundary)


def shown(value: date, basis: object = None) -> str:
    """A date for a reason: 'June 2009 (day unknown)', with '(claimed)' when only the person says so."""
    text = partial_dates.describe(value)
    return f"{text} (claimed)" if getattr(basis, "value", basis) == "claimed" else text


def range_text(value: date) -> str:
    first, last = partial_dates.bounds(value)
    return f"{first.isoformat()} to {last.isoformat()}"


def add_years_range(value: date, years: int) -> tuple[date, date]:
    """``value`` plus ``years`` for both ends of its range (``add_years`` alone loses the range)."""
    first, last = partial_dates.bounds(value)
    return add_years(first, years), add_years(last, years)


def boundary_note(value: date, boundary: date, what: str) -> str:
    """The words for an exact tie: the comparison shown, the boundary named as one."""
    return (
        f"{what} {value.isoformat()} falls exactly on the boundary {boundary.isoformat()}: "
        "the comparison is on the day itself, so the exact date must be confirmed from the document"
    )


def last_entry(facts: CaseFacts, on: date | None = None) -> tuple[date | None, str]:
    """The last arrival in the U.S. as of ``on``, derived, not assumed: the recorded last entry, or a
    later return from an absence on record. Arrivals dated after ``on`` have not happened then."""
    last = facts.entry.last_entry_on or facts.entry.first_entry_on
    where = "entry.last_entry_on" if facts.entry.last_entry_on else "entry.first_entry_on"
    if on is not None and last is not None and last > on:
        first = facts.entry.first_entry_on
        last, where = (
            (first, "entry.first_entry_on") if first and first <= on else (None, "entry.last_entry_on")
        )
    for index, absence in enumerate(facts.presence.absences or ()):
        back = absence.returned_on
        if back is None or (on is not None and back > on):
            continue
        if last is None or back > last:
            last, where = back, f"presence.absences[{index}].returned_on"
    return last, where
