"""A minimal iCalendar (RFC 5545) writer for the private feeds and consultation bookings.

An event is all-day (``on``: a date) or timed (``start``/``end``: aware datetimes, written in
UTC); ``status`` CANCELLED and ``sequence`` let a calendar app update an event it already has.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: list[dict], *, method: str = "") -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//discretion//PD workbench//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    if method:
        lines.insert(3, f"METHOD:{method}")
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e['uid']}",
            f"DTSTAMP:{stamp}",
        ]
        if "start" in e:
            lines += [f"DTSTART:{_utc(e['start'])}", f"DTEND:{_utc(e['end'])}"]
        else:
            lines += [
                f"DTSTART;VALUE=DATE:{e['on']:%Y%m%d}",
                f"DTEND;VALUE=DATE:{e['on'] + timedelta(days=1):%Y%m%d}",
            ]
        lines.append(f"SUMMARY:{_escape(e['summary'])}")
        if e.get("sequence"):
            lines.append(f"SEQUENCE:{int(e['sequence'])}")
        if e.get("status"):
            lines.append(f"STATUS:{e['status']}")
        if e.get("location"):
            lines.append(f"LOCATION:{_escape(e['location'])}")
        if e.get("description"):
            lines.append(f"DESCRIPTION:{_escape(e['description'])}")
        if e.get("url"):
            lines.append(f"URL:{e['url']}")
        if e.get("alarm_minutes"):
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{_escape(e['summary'])}",
                f"TRIGGER:-PT{int(e['alarm_minutes'])}M",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
