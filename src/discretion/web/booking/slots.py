"""Free consultation times: weekly hours, in each practitioner's time zone, minus what is taken.

A slot starts at the start of a window and every (length + buffer) after it while the
consultation still ends inside the window. Local times that do not exist (the hour skipped when
clocks go forward) are left out; an ambiguous hour (clocks go back) is taken the first time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from discretion.web.booking.models import TICK, Availability, SlotHold


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: datetime  # UTC
    availability_code: str
    time_zone: str
    length: timedelta
    buffer: timedelta

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + self.length

    @property
    def key(self) -> str:
        """What a form posts: the availability and the start, in whole minutes since 1970."""
        return f"{self.availability_code}.{int(self.starts_at.timestamp()) // 60}"

    def local(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.time_zone))

    def ticks(self) -> list[datetime]:
        return ticks(self.starts_at, self.length + self.buffer)


def ticks(start: datetime, span: timedelta) -> list[datetime]:
    """The 5-minute blocks from ``start`` covering ``span`` (a partial block counts whole)."""
    base = datetime.fromtimestamp((int(start.timestamp()) // 300) * 300, UTC)
    out, t = [], base
    while t < start + span:
        out.append(t)
        t += TICK
    return out


def parse_key(key: str) -> tuple[str, datetime] | None:
    code, _, minutes = (key or "").partition(".")
    if not code or not minutes.isdigit() or len(code) != 36:
        return None
    return code, datetime.fromtimestamp(int(minutes) * 60, UTC)


def _local(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """``day`` at ``at`` in ``zone`` as UTC, or None if the clocks skip that time."""
    local = datetime.combine(day, at, tzinfo=zone)
    utc = local.astimezone(UTC)
    back = utc.astimezone(zone)
    if (back.date(), back.time().replace(tzinfo=None)) != (day, at):
        return None
    return utc


def slots_for(
    availability: Availability,
    *,
    start: datetime,
    end: datetime,
    held: Iterable[datetime] = (),
) -> list[Slot]:
    """Free slots of one practitioner starting in [start, end) (UTC datetimes)."""
    zone = ZoneInfo(availability.time_zone)
    taken = set(held)
    hours: dict[int, list[tuple[time, time]]] = {}
    for h in availability.hours.all():
        hours.setdefault(h.weekday, []).append((h.start, h.end))
    blackouts = [(b.starts_on, b.ends_on) for b in availability.blackouts.all()]
    step = availability.length + availability.buffer
    out: list[Slot] = []
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        if not any(a <= day <= b for a, b in blackouts):
            for window_start, window_end in sorted(hours.get(day.weekday(), [])):
                at = datetime.combine(day, window_start)
                limit = datetime.combine(day, window_end)
                while at + availability.length <= limit:
                    utc = _local(day, at.time(), zone)
                    at += step
                    if utc is None or not (start <= utc < end):
                        continue
                    slot = Slot(
                        utc,
                        str(availability.code),
                        availability.time_zone,
                        availability.length,
                        availability.buffer,
                    )
                    if taken.isdisjoint(slot.ticks()):
                        out.append(slot)
        day += timedelta(days=1)
    return out


def open_slots(organisation, *, now: datetime, days_ahead: int, min_notice_hours: int) -> list[Slot]:
    """Every free slot of the organisation's active practitioners, soonest first; at one time
    several practitioners may be free, and the person sees the time once (``by_time``)."""
    start = now + timedelta(hours=min_notice_hours)
    end = now + timedelta(days=days_ahead)
    availabilities = (
        Availability.objects.filter(organisation=organisation, active=True, user__is_active=True)
        .prefetch_related("hours", "blackouts")
        .order_by("id")
    )
    out: list[Slot] = []
    for a in availabilities:
        held = SlotHold.objects.filter(
            practitioner_id=a.user_id, tick__gte=start - timedelta(hours=4), tick__lt=end + timedelta(hours=4)
        ).values_list("tick", flat=True)
        out += slots_for(a, start=start, end=end, held=held)
    out.sort()
    return out


def by_time(slots: list[Slot]) -> dict[datetime, list[Slot]]:
    grouped: dict[datetime, list[Slot]] = {}
    for s in slots:
        grouped.setdefault(s.starts_at, []).append(s)
    return grouped
