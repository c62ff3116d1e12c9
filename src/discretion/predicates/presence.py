"""Predicates about time in the United States."""

from __future__ import annotations

from datetime import date

from discretion.facts import CaseFacts, EntryManner
from discretion.partial_dates import bounds
from discretion.predicates import Verdict, predicate
from discretion.timeline import full_years, shown


def presence_start(facts: CaseFacts) -> tuple[date | None, str]:
    """The earliest documented start of presence and the fact path it came from."""
    if facts.entry.first_entry_on:
        return facts.entry.first_entry_on, "entry.first_entry_on"
    if facts.presence.continuous_since:
        return facts.presence.continuous_since, "presence.continuous_since"
    if facts.entry.last_entry_on:
        return facts.entry.last_entry_on, "entry.last_entry_on"
    return None, "entry.first_entry_on"


@predicate
def years_present_at_least(facts: CaseFacts, on: date, *, years: int) -> Verdict:
    """The person has lived in the United States at least ``years`` whole years by ``on``."""
    start, path = presence_start(facts)
    if start is None:
        return Verdict.unknown("Date of first entry not known.", ("entry.first_entry_on",))
    if start > on:
        return Verdict.not_met(
            f"In the U.S. only from {start.isoformat()}, after {on.isoformat()}: not yet present then.", path
        )
    first, last = bounds(start)
    least, most = full_years(last, on), full_years(first, on)
    since = shown(start, facts.basis_of(path))
    if least != most:
        text = (
            f"In the U.S. since {since}: {least} to {most} years as of {on.isoformat()} (threshold {years})."
        )
        if least < years <= most:
            return Verdict.review(f"{text} The exact date decides it.", path)
        return Verdict.met(text, path) if least >= years else Verdict.not_met(text, path)
    months = (on.year - start.year) * 12 + on.month - start.month - (on.day < start.day)
    text = f"In the U.S. since {since}: {most} years as of {on.isoformat()} ({months} months in all; threshold {years})."
    return Verdict.met(text, path) if most >= years else Verdict.not_met(text, path)


@predicate
def lpr_years_at_least(facts: CaseFacts, on: date, *, years: int) -> Verdict:
    """The person has been a lawful permanent resident for at least ``years`` whole years by ``on``."""
    since = facts.immigration_history.lpr_since
    if since is None and facts.entry.manner is EntryManner.WITHOUT_INSPECTION:
        return Verdict.not_met(
            "Entered without inspection and no date of permanent residence is recorded.",
            "immigration_history.lpr_since",
            "entry.manner",
        )
    if since is None:
        return Verdict.unknown(
            "Not known whether (or since when) the person is a lawful permanent resident.",
            ("immigration_history.lpr_since",),
        )
    if since > on:
        return Verdict.not_met(
            f"Lawful permanent resident only from {since.isoformat()}, after {on.isoformat()}.",
            "immigration_history.lpr_since",
        )
    held = full_years(since, on)
    text = f"Lawful permanent resident since {since.isoformat()}: {held} years (threshold {years})."
    return (
        Verdict.met(text, "immigration_history.lpr_since")
        if held >= years
        else Verdict.not_met(text, "immigration_history.lpr_since")
    )
