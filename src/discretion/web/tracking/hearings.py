"""When a hearing starts: the time printed on the notice (``proceedings.next_hearing.time``, free
text) in the time zone of the court (from the court directory, ``discretion.offices``).

Nothing is guessed. A time that does not say morning or afternoon and could be either (1:30) is
not read; a court the directory cannot place, or whose matches lie in different zones, gives no
zone; in both cases the hearing stays an all-day event, and the reason is shown with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from discretion.offices import find_court

_TIME = re.compile(
    r"^\s*(?P<h>\d{1,2})(?:\s*[:.h]\s*(?P<m>\d{2}))?\s*(?:(?P<ap>[ap])\.?\s*m?\.?)?\s*$", re.IGNORECASE
)
# Without a.m. or p.m., 7:00 to 12:59 are read as morning and noon, 13:00 and later as the 24-hour
# clock; 1:00 to 6:59 could be night or afternoon and are not read.
EARLIEST_UNMARKED_HOUR = 7


@dataclass(frozen=True)
class HearingStart:
    on: date
    at: datetime | None  # aware, in the court's zone; None: the time or the zone is not known
    zone: str = ""
    zone_note: str = ""  # why the zone is only partly sure
    problem: str = ""  # why there is no time

    @property
    def clock(self) -> str:
        """ "8:30 AM CST": the time as the court keeps it, with the zone's abbreviation."""
        if self.at is None:
            return ""
        return (
            f"{self.at.hour % 12 or 12}:{self.at:%M} {'AM' if self.at.hour < 12 else 'PM'} {self.at.tzname()}"
        )


def parse_time(text: str | None) -> time | None:
    """The time written on a hearing notice ("8:30 AM", "1:00 p.m.", "13:30"), or None if it
    cannot be read without guessing."""
    match = _TIME.match(text or "")
    if not match:
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    meridiem = (match["ap"] or "").lower()
    if minute > 59:
        return None
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    elif match["m"] is None or not EARLIEST_UNMARKED_HOUR <= hour <= 23:
        return None
    return time(hour, minute)


def court_zone(court: str | None) -> tuple[str, str, str]:
    """(IANA zone, note if only partly sure, problem if none) for the court as written."""
    lookup = find_court(court)
    courts = (
        [lookup.court] if lookup.court else list(lookup.candidates if lookup.status == "ambiguous" else [])
    )
    zones = {c.time_zone for c in courts if c.time_zone}
    if len(zones) != 1:
        if lookup.status == "ambiguous":
            return "", "", f"the court {court!r} matches courts in different time zones"
        return (
            "",
            "",
            "the court is not entered"
            if lookup.status == "empty"
            else f"the court {court!r} is not in the directory",
        )
    notes = sorted(
        {c.time_zone_note for c in courts if c.time_zone_confidence != "confirmed" and c.time_zone_note}
    )
    return zones.pop(), "; ".join(notes), ""


def hearing_start(on: date, time_text: str | None, court: str | None) -> HearingStart:
    if not (time_text or "").strip():
        return HearingStart(on, None, problem="no time entered for the hearing")
    at = parse_time(time_text)
    if at is None:
        return HearingStart(on, None, problem=f"the time {time_text!r} cannot be read (write it as 8:30 AM)")
    zone, note, problem = court_zone(court)
    if not zone:
        return HearingStart(on, None, problem=f"{problem}, so its time zone is not known")
    return HearingStart(on, datetime.combine(on, at, tzinfo=ZoneInfo(zone)), zone=zone, zone_note=note)


def of_case(case) -> HearingStart | None:
    """The case's next hearing as a start time, from its facts (None if no hearing)."""
    if case.next_hearing_on is None:
        return None
    hearing = ((case.facts or {}).get("proceedings") or {}).get("next_hearing") or {}
    return hearing_start(case.next_hearing_on, hearing.get("time"), case.court)
