"""Predicates about how and when the person came to the United States.

The border-security priorities of every regime turn on these: apprehension at the border,
an unlawful entry after a cut-off date, and whether continuous presence since a date can be
shown. Arrival as a child is a favourable factor in most memos.
"""

from __future__ import annotations

from datetime import date

from discretion.facts import CaseFacts, EntryManner
from discretion.predicates import Verdict, predicate, unknown_paths
from discretion.timeline import age_on, boundary_note, last_entry, range_text, shown, versus


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


def _basis(facts: CaseFacts, path: str) -> object:
    """The claimed / documented marker of a date path, a section date or an absence's return."""
    if path.startswith("presence.absences["):
        index = int(path.split("[", 1)[1].split("]", 1)[0])
        return (facts.presence.absences or ())[index].basis
    return facts.basis_of(path)


@predicate
def entered_unlawfully_after(facts: CaseFacts, on: date, *, date: date) -> Verdict:
    """The person's last entry was unlawful (without inspection, or a re-entry after removal)
    and took place after ``date``. The last entry is derived from the absences on record, a partial
    date whose range holds the cut-off is review, and a claimed date is set against the documents."""
    cutoff = date
    recorded, _ = _last_entry(facts)
    last, path = (
        last_entry(facts, on) if recorded is None or recorded <= on else (recorded, "entry.last_entry_on")
    )
    if last is None:
        return Verdict.unknown("Date of the last entry not known.", ("entry.last_entry_on",))
    basis = _basis(facts, path)
    when = shown(last, basis)
    derived = path.startswith("presence.absences[")
    if derived and last <= on and versus(last, cutoff) == "after" and facts.entry.last_entry_on is not None:
        return Verdict.unknown(
            f"The last entry is the return on {when} recorded among the absences, later than the recorded last "
            f"entry ({facts.entry.last_entry_on.isoformat()}), and after the cut-off {cutoff.isoformat()}: record "
            "how and when that return was made (the I-94 or a CBP FOIA shows it).",
            ("entry.last_entry_on", "entry.manner"),
            path,
        )
    comparison = versus(last, cutoff)
    if comparison == "inside":
        return Verdict.review(
            f"Last entry {when} ({range_text(last)}) may be before or after the cut-off {cutoff.isoformat()}: the "
            "exact date decides it (I-94, passport stamp, CBP FOIA).",
            path,
        )
    if comparison in ("before", "same"):
        tie = (
            f" {boundary_note(last, cutoff, 'The last entry')}; 'after' the cut-off excludes the day."
            if comparison == "same"
            else ""
        )
        documented = facts.presence.continuous_since
        if (
            getattr(basis, "value", basis) == "claimed"
            and documented is not None
            and versus(documented, cutoff) == "after"
        ):
            return Verdict.review(
                f"The claimed last entry {when} is on or before the cut-off {cutoff.isoformat()}, but continuous "
                f"presence is documented only from {shown(documented)}, after it: both dates are compared; gather "
                "proof of the earlier date before relying on it.",
                path,
                "presence.continuous_since",
            )
        return Verdict.not_met(f"Last entry {when} was on or before {cutoff.isoformat()}.{tie}", path)
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
        came = f"the return on {when} recorded among the absences" if derived else when
        return Verdict.met(
            f"Entered without inspection on {came}, after {cutoff.isoformat()}.",
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
    comparison = versus(first, date)
    when = shown(first, facts.basis_of(path))
    if comparison == "inside":
        return Verdict.review(
            f"First present in the U.S. {when} ({range_text(first)}): the cut-off {date.isoformat()} falls inside "
            "that range, so the exact date decides it.",
            path,
        )
    text = f"First present in the U.S. on {when} (cut-off {date.isoformat()})."
    if comparison == "same":
        text += f" {boundary_note(first, date, 'The first presence')}; 'on or after' includes the day."
    return Verdict.met(text, path) if comparison in ("same", "after") else Verdict.not_met(text, path)
