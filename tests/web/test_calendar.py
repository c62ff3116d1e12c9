from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.urls import reverse
from web_builders import make_case

from discretion.web.accounts.models import CalendarFeed
from discretion.web.tracking.models import PDRequest


@time_machine.travel("2026-01-10 10:00-05:00")
def test_the_feed_lists_hearings_and_follow_ups_of_my_cases(client, alice, bob, alpha):
    mine = make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Mine Person", "a_number": "208555099"},
        proceedings={"court": "Chicago", "next_hearing": {"date": "2026-03-01"}},
    )
    PDRequest.objects.create(case=mine, kind="dismissal").set_status("sent", by=alice, on=date(2026, 1, 5))
    make_case(
        alpha,
        assigned_to=bob,
        identity={"name": "Not Mine"},
        proceedings={"next_hearing": {"date": "2026-03-02"}},
    )
    feed = CalendarFeed.objects.create(user=alice)

    r = client.get(reverse("tracking:feed", kwargs={"token": feed.token}))

    assert r.status_code == 200
    assert r["Content-Type"] == "text/calendar; charset=utf-8"
    body = r.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20260301" in body  # the hearing
    assert "DTSTART;VALUE=DATE:20260204" in body  # 30 days after sending
    assert "DTSTART;VALUE=DATE:20260215" in body  # 14 days before the hearing
    assert "Mine Person" in body
    assert "Not Mine" not in body
    assert "208555099" not in body and "208-555-099" not in body  # never A-numbers


def test_revoking_the_feed_kills_the_old_address(client, alice):
    client.force_login(alice)
    client.get(reverse("tracking:calendar"))
    old = CalendarFeed.objects.get(user=alice).token

    r = client.post(reverse("tracking:calendar"))

    assert r.status_code == 302
    new = CalendarFeed.objects.get(user=alice).token
    assert new != old
    client.logout()
    assert client.get(reverse("tracking:feed", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("tracking:feed", kwargs={"token": new})).status_code == 200


def test_a_deactivated_user_has_no_feed(client, alice):
    feed = CalendarFeed.objects.create(user=alice)
    alice.is_active = False
    alice.save()
    assert client.get(reverse("tracking:feed", kwargs={"token": feed.token})).status_code == 404


def test_long_lines_are_folded():
    from discretion.web.tracking.ical import calendar

    body = calendar("x", [{"uid": "u", "on": date(2026, 1, 1), "summary": "Ñ" * 100}])
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


@time_machine.travel("2026-01-10 10:00-05:00")
def test_a_hearing_with_a_time_is_a_timed_event_in_the_courts_time_zone(client, alice, alpha):
    from icalendar import Calendar

    chicago = make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Timed Chicago"},
        proceedings={"court": "Chicago", "next_hearing": {"date": "2026-03-02", "time": "8:30 AM"}},
    )
    el_paso = make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Timed El Paso"},
        proceedings={"court": "El Paso", "next_hearing": {"date": "2026-07-06", "time": "1:00 p.m."}},
    )
    make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Unclear Time"},
        proceedings={"court": "Chicago", "next_hearing": {"date": "2026-03-03", "time": "1:30"}},
    )
    make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Unknown Court"},
        proceedings={"court": "Springfield", "next_hearing": {"date": "2026-03-04", "time": "9:00 AM"}},
    )
    feed = CalendarFeed.objects.create(user=alice)

    body = client.get(reverse("tracking:feed", kwargs={"token": feed.token})).content.decode()

    assert "DTSTART;TZID=America/Chicago:20260302T083000" in body
    assert "DTSTART;TZID=America/Denver:20260706T130000" in body  # El Paso keeps Mountain time
    assert "DTSTART;VALUE=DATE:20260303" in body and "DTSTART;VALUE=DATE:20260304" in body
    cal = Calendar.from_ical(body)
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert zones == {"America/Chicago", "America/Denver"}  # every TZID used has its VTIMEZONE
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    chi = events["Hearing: Timed Chicago"]
    start = chi.decoded("DTSTART")
    assert start.isoformat() == "2026-03-02T08:30:00-06:00" and start.utcoffset().total_seconds() == -6 * 3600
    assert chi.decoded("DTEND") - start == timedelta(hours=1)
    assert "shown as one hour" in str(chi["DESCRIPTION"])
    ep = events["Hearing: Timed El Paso"]
    assert ep.decoded("DTSTART").isoformat() == "2026-07-06T13:00:00-06:00"  # MDT in July
    assert "Texas spans the Central and Mountain zones" in str(ep["DESCRIPTION"])
    unclear = str(events["Hearing: Unclear Time"]["DESCRIPTION"])
    assert "the time '1:30' cannot be read" in unclear
    unknown = str(events["Hearing: Unknown Court"]["DESCRIPTION"])
    assert "is not in the directory, so its time zone is not known" in unknown
    assert chicago and el_paso


@time_machine.travel("2026-01-10 10:00-05:00")
def test_my_tasks_are_in_the_feed_and_others_are_not(client, alice, bob, case):
    from discretion.web.tracking.models import Task

    Task.objects.create(case=case, title="Call the client", due_on=date(2026, 1, 20), assigned_to=alice)
    Task.objects.create(case=case, title="Bob's errand", due_on=date(2026, 1, 21), assigned_to=bob)
    feed = CalendarFeed.objects.create(user=alice)
    body = client.get(reverse("tracking:feed", kwargs={"token": feed.token})).content.decode()
    assert "Call the client: Alma Quintero Sol" in body and "Bob's errand" not in body
    assert "DTSTART;VALUE=DATE:20260120" in body
