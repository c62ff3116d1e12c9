"""The private feeds as iCalendar (RFC 5545), written by the icalendar library.

Follow-ups and tasks are all-day events. A hearing with a known time and court time zone is a
timed event in that zone: DTSTART carries the zone's TZID and the calendar carries the matching
VTIMEZONE (``add_missing_timezones`` builds it from the tz database), so a phone in another zone
shows the right local time. The library folds long lines and escapes text.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event


def calendar(name: str, events: list[dict]) -> str:
    """Each event: uid, summary, and either ``start`` (an aware datetime in the court's zone)
    with ``duration``, or ``on`` (a date: all day); description and url are optional."""
    cal = Calendar()
    cal.add("prodid", "-//discretion//PD workbench//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for e in events:
        event = Event()
        event.add("uid", e["uid"])
        event.add("dtstamp", stamp)
        if e.get("start") is not None:
            event.add("dtstart", e["start"])
            event.add("dtend", e["start"] + e.get("duration", timedelta(hours=1)))
        else:
            event.add("dtstart", e["on"])
            event.add("dtend", e["on"] + timedelta(days=1))
            event.add("transp", "TRANSPARENT")  # a reminder for the day, not a busy block
        event.add("summary", e["summary"])
        if e.get("description"):
            event.add("description", e["description"])
        if e.get("url"):
            event.add("url", e["url"])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")
