"""Builders for booking tests: a published page, a practitioner's hours, a walk through the pages."""

from __future__ import annotations

import re
from datetime import time


def make_page(org, *, slug: str = "alpha", phone: str = "+1 212 555 0100", published: bool = True):
    from discretion.web.booking.models import ConsultationPage

    return ConsultationPage.objects.create(
        organisation=org, slug=slug, phone=phone, published=published, days_ahead=14, min_notice_hours=2
    )


def make_hours(
    user,
    *,
    tz: str = "America/New_York",
    days=(0, 1, 2, 3, 4),
    start=time(9),
    end=time(12),
    length=45,
    buffer=15,
):
    from discretion.web.booking.models import Availability, WeeklyHours

    a = Availability.objects.create(
        user=user,
        organisation=user.membership.organisation,
        time_zone=tz,
        length_minutes=length,
        buffer_minutes=buffer,
    )
    for d in days:
        WeeklyHours.objects.create(availability=a, weekday=d, start=start, end=end)
    return a


def walk_to_check(
    client,
    slug: str,
    *,
    day: str,
    time_index: int = 0,
    lang: str = "en",
    in_court: str = "yes",
    email: str = "maria@example.org",
    hearing_on: str = "2027-04-20",
    name: str = "María Pérez",
):
    """Answer every page up to "Check and book"; returns the check page response."""
    q = f"?lang={lang}"
    r = client.get(f"/book/{slug}/{q}")
    assert r.status_code == 200, r.content[:500]
    r = client.post(f"/book/{slug}/court/{q}", {"answer": in_court})
    assert r.status_code == 302, r.content[:500]
    r = client.post(f"/book/{slug}/detained/{q}", {"answer": "no"})
    assert r.status_code == 302
    if in_court == "yes":
        r = client.post(f"/book/{slug}/court-date/{q}", {"hearing_on": hearing_on})
        assert r.status_code == 302, r.content[:800]
    r = client.get(f"/book/{slug}/day/{day}/{q}")
    values = re.findall(r'name="time" value="(\d+)"', r.content.decode())
    assert values, r.content.decode()[:2000]
    r = client.post(f"/book/{slug}/day/{day}/{q}", {"time": values[time_index]})
    assert r.status_code == 302, r.content[:800]
    r = client.post(f"/book/{slug}/contact/{q}", {"name": name, "phone": "212 555 0199", "email": email})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.get(f"/book/{slug}/check/{q}")
    assert r.status_code == 200
    return r
