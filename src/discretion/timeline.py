"""Date arithmetic the rules share: whole years between dates, ages, day counts.

The core never reads the clock; every function takes the dates it compares.
"""

from __future__ import annotations

from datetime import date


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
