"""The court picker: courts from the core's directory, searched as the person types, and the
OPLA field location that follows from the court (shown, and overridable).

A court is stored as the directory's own name, so every later lookup (letter, request form,
calendar time zone) finds exactly one court. Text that names no court is refused for a new
entry; an old value (typed before the picker) is kept until someone changes it, and flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from discretion.offices import Court, OfficeMatch, directory, find_court, office_for_case

COURT_PATH = "proceedings.court"
OFFICE_PATH = "proceedings.opla_office"
LIMIT = 12


def _haystack(court: Court) -> str:
    from discretion.web.cases.models import search_key

    return search_key(" ".join((court.name, court.code, court.city, court.state, *court.aliases)))


def search(text: str) -> list[Court]:
    """Courts whose name, code, city, state or alias holds every word typed (accents ignored)."""
    from discretion.web.cases.models import search_key

    words = search_key(text).replace("-", " ").replace(",", " ").split()
    courts = directory().courts
    if not words:
        return []
    hits = [c for c in courts if all(w in _haystack(c) for w in words)]
    code = text.strip().upper()
    hits.sort(key=lambda c: (c.code != code, c.name))
    return hits[:LIMIT]


@dataclass(frozen=True)
class CourtState:
    """What the court field holds: a directory court, an old text matched or not, or nothing."""

    text: str
    court: Court | None
    office: OfficeMatch | None
    court_office: OfficeMatch | None  # the directory's office for the court, whatever was chosen
    status: str  # empty | matched | unmatched
    message: str
    chosen: str  # the override ref, if any
    chosen_name: str
    choices: tuple[tuple[str, str], ...] = ()  # every office, for the override


def describe(text: str | None, chosen: str | None = None) -> CourtState:
    text = (text or "").strip()
    chosen = (chosen or "").strip()
    all_refs = tuple(office_refs())
    refs = dict(all_refs)
    if not text:
        office = office_for_case(None, chosen) if chosen else None
        return CourtState("", None, office, None, "empty", "", chosen, refs.get(chosen, ""), all_refs)
    lookup = find_court(text)
    court_office = directory().office_for(lookup.court) if lookup.court else None
    office = office_for_case(text, chosen)
    if lookup.court is not None:
        return CourtState(
            text, lookup.court, office, court_office, "matched", "", chosen, refs.get(chosen, ""), all_refs
        )
    names = ", ".join(c.name for c in lookup.candidates[:3])
    message = f"“{text}” is not a court in the directory" + (f": did you mean {names}?" if names else ".")
    return CourtState(text, None, office, None, "unmatched", message, chosen, refs.get(chosen, ""), all_refs)


def office_refs() -> list[tuple[str, str]]:
    return directory().office_refs()


def check(submitted: dict[str, Any], stored: dict[str, Any]) -> dict[str, str]:
    """Put the directory's name for the court typed into ``submitted`` (the proceedings section,
    as parsed) and return the errors: a court text that names no single court is refused unless
    it is the value already stored (an old case's), and a chosen office must exist."""
    proceedings = submitted.get("proceedings")
    if not isinstance(proceedings, dict):
        return {}
    old = (stored.get("proceedings") or {}).get("court")
    errors: dict[str, str] = {}
    text = proceedings.get("court")
    if text:
        lookup = find_court(text)
        if lookup.court is not None:
            proceedings["court"] = lookup.court.name
        elif text != old:
            names = " or ".join(f"“{c.name}”" for c in lookup.candidates[:3])
            errors[COURT_PATH] = (
                f"Choose the court from the list: no court in the directory is called “{text}”"
                + (f". Did you mean {names}?" if names else ". Type part of its name, its city or its code.")
            )
    chosen = proceedings.get("opla_office")
    if chosen and chosen not in dict(office_refs()):
        errors[OFFICE_PATH] = "Choose an OPLA field location from the list."
    return errors
