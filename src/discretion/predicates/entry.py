"""Predicates about how and when the person came to the United States.

The border-security priorities of every regime turn on these: apprehension at the border,
an unlawful entry after a cut-off date, and whether continuous presence since a date can be
shown. Arrival as a child is a favourable factor in most memos.
"""

from __future__ import annotations

from datetime import date

from discretion.facts import CaseFacts, EntryManner
from discretion.predicates import Verdict, predicate, unknown_paths
from discretion.timeline import age_on


@predicate
def apprehended_at_border(facts: CaseFacts, on: date) -> Verdict:
    """The person was apprehended at the border or a port of entry while attempting to enter
    unlawfully."""
    when = facts.entry.last_entry_on
    at = f" (last entry {when.isoformat()})" if when else ""
    if when is not None and when > on and facts.entry.apprehended_at_entry:
        return Verdict.not_met(
            f"The recorded apprehension at entry{at} is after {on.isoformat()}.",
            "entry.apprehended_at_entry",
            "entry.last_entry_on",
        )
    return Verdict.of(
        facts.entry.apprehended_at_entry,
        "entry.apprehended_at_entry",
        f"Apprehended at the border or a port of entry while attempting to enter unlawfully{at}.",
        "Not apprehended at the border or a port of entry while attempting to enter.",
        "Not known whether the person was apprehended at the border or a port of entry.",
    )


def _last_entry(facts: CaseFacts) -> tuple[date | None, str]:
    if facts.entry.last_entry_on:
        return facts.entry.last_entry_on, "entry.last_entry_on"
    return facts.entry.first_entry_on, "entry.first_entry_on"


@predicate
def entered_unlawfully_after(facts: CaseFacts, on: date, *, date: date) -> Verdict:
    """The person's last entry was unlawful (without inspection, or a re-entry after removal)
    and took place after ``date``."""
    cutoff = date
    last, path = _last_entry(facts)
    if last is None:
        return Verdict.unknown("Date of the last entry not known.", ("entry.last_entry_on",))
    if last <= cutoff:
        return Verdict.not_met(f"Last entry {last.isoformat()} was on or before {cutoff.isoformat()}.", path)
    if last > on:
        first = facts.entry.first_entry_on
        if first is None or first > on or first == last:
            return Verdict.not_met(
                f"Entry {last.isoformat()} is after {on.isoformat()}; no earlier entry is recorded.", path
            )
        return Verdict.unknown(
            f"The last entry ({last.isoformat()}) is after {on.isoformat()}; the manner of the earlier "
            f"entry ({first.isoformat()}) is not recorded.",
            ("entry.manner",),
            path,
            "entry.first_entry_on",
        )
    manner = facts.entry.manner
    if facts.immigration_history.reentered_after_removal:
        return Verdict.met(
            f"Re-entered after removal; last entry {last.isoformat()}, after {cutoff.isoformat()}.",
            path,
            "immigration_history.reentered_after_removal",
        )
    if manner is None:
        return Verdict.unknown(
            f"Last entry {last.isoformat()} was after {cutoff.isoformat()}, but the manner of entry is not known.",
            ("entry.manner",),
            path,
        )
    if manner is EntryManner.WITHOUT_INSPECTION:
        return Verdict.met(
            f"Entered without inspection on {last.isoformat()}, after {cutoff.isoformat()}.",
            path,
            "entry.manner",
        )
    return Verdict.not_met(
        f"Last entry {last.isoformat()} was lawful ({manner.value}), so it was not an unlawful entry.",
        path,
        "entry.manner",
    )


@predicate
def unlawful_entrant_not_present_since(facts: CaseFacts, on: date, *, date: date) -> Verdict:
    """The person entered or re-entered unlawfully and cannot show continuous physical presence
    since ``date`` (no documented presence from that date or earlier)."""
    cutoff = date
    reentered = facts.immigration_history.reentered_after_removal
    manner = facts.entry.manner
    if not reentered and manner in (EntryManner.ADMITTED, EntryManner.PAROLED):
        return Verdict.not_met(
            f"Last entry was lawful ({manner.value}) and no re-entry after removal is recorded.",
            "entry.manner",
        )
    if manner is None and reentered is None:
        return Verdict.unknown("Manner of entry not known.", ("entry.manner",))
    documented = facts.presence.continuous_since
    first = facts.entry.first_entry_on
    arrived = first or facts.entry.last_entry_on
    if arrived is not None and arrived > on:
        return Verdict.not_met(
            f"Entered only on {arrived.isoformat()}, after {on.isoformat()}: not yet in the U.S. then.",
            "entry.first_entry_on" if first else "entry.last_entry_on",
        )
    if documented is not None and documented <= cutoff:
        return Verdict.not_met(
            f"Unlawful entrant, but continuous presence is documented since {documented.isoformat()}, "
            f"on or before {cutoff.isoformat()}.",
            "presence.continuous_since",
            "entry.manner",
        )
    last = facts.entry.last_entry_on
    if last is not None and last > cutoff:
        return Verdict.met(
            f"Entered unlawfully on {last.isoformat()}, after {cutoff.isoformat()}: no continuous presence "
            "since that date is possible.",
            "entry.last_entry_on",
            "entry.manner",
        )
    if documented is not None:
        return Verdict.met(
            f"Unlawful entrant whose continuous presence can be documented only from {documented.isoformat()}, "
            f"after {cutoff.isoformat()}.",
            "presence.continuous_since",
            "entry.manner",
        )
    if first is not None and first > cutoff:
        return Verdict.met(
            f"First entered on {first.isoformat()}, after {cutoff.isoformat()}.", "entry.first_entry_on"
        )
    return Verdict.unknown(
        f"Unlawful entrant; not known whether continuous presence since {cutoff.isoformat()} can be documented.",
        ("presence.continuous_since",),
        "entry.manner",
    )


def age_at_arrival(facts: CaseFacts) -> tuple[int | None, tuple[str, ...]]:
    """Age at first entry, from the recorded age or from birth and entry dates."""
    if facts.entry.age_at_first_entry is not None:
        return facts.entry.age_at_first_entry, ("entry.age_at_first_entry",)
    born, first = facts.identity.date_of_birth, facts.entry.first_entry_on
    if born and first:
        return age_on(born, first), ("identity.date_of_birth", "entry.first_entry_on")
    return None, ()


@predicate
def arrived_as_child(facts: CaseFacts, on: date, *, under: int = 16) -> Verdict:
    """The person first came to the United States before turning ``under``."""
    age, used = age_at_arrival(facts)
    if age is None:
        missing = unknown_paths(
            ("identity.date_of_birth", facts.identity.date_of_birth),
            ("entry.first_entry_on", facts.entry.first_entry_on),
        )
        return Verdict.unknown("Age at first entry not known.", missing)
    first = facts.entry.first_entry_on
    if first is not None and first > on:
        return Verdict.not_met(
            f"First entry {first.isoformat()} is after {on.isoformat()}.", "entry.first_entry_on"
        )
    text = f"Arrived at age {age} (threshold: under {under})."
    return Verdict.met(text, *used) if age < under else Verdict.not_met(text, *used)


@predicate
def arrived_on_or_after(facts: CaseFacts, on: date, *, date: date) -> Verdict:
    """The person was not physically present in the United States before ``date``: their
    earliest known presence begins on or after it."""
    first = facts.entry.first_entry_on or facts.presence.continuous_since
    path = "entry.first_entry_on" if facts.entry.first_entry_on else "presence.continuous_since"
    if first is None:
        return Verdict.unknown("Date of first entry not known.", ("entry.first_entry_on",))
    text = f"First present in the U.S. on {first.isoformat()} (cut-off {date.isoformat()})."
    return Verdict.met(text, path) if first >= date else Verdict.not_met(text, path)
