from __future__ import annotations

from datetime import date

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
