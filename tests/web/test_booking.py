"""Consultation booking: free times, the public pages in order, the private link, mail, feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from booking_builders import make_hours, make_page, walk_to_check

from discretion.web.booking import slots as slot_rules
from discretion.web.booking.models import Blackout, Booking, SlotHold

NY = ZoneInfo("America/New_York")
# A Monday morning, before the week's consultations.
NOW = datetime(2027, 3, 1, 7, 0, tzinfo=NY)


@pytest.fixture
def page(alpha):
    return make_page(alpha)


@pytest.fixture
def hours(alice):
    alice.email = "alice@example.org"
    alice.save()
    return make_hours(alice)


def _local_times(slots, on: date):
    return [s.local().strftime("%H:%M") for s in slots if s.local().date() == on]


@time_machine.travel(NOW, tick=False)
def test_free_times_follow_hours_length_buffer_notice_and_blackouts(page, hours):
    slots = slot_rules.open_slots(
        page.organisation, now=NOW.astimezone(UTC), days_ahead=7, min_notice_hours=2
    )
    # 9:00-12:00 with 45 minutes + 15 of buffer: 9:00, 10:00, 11:00 (11:00 + 45 ends inside).
    assert _local_times(slots, date(2027, 3, 2)) == ["09:00", "10:00", "11:00"]
    # Two hours' notice from 7:00 leaves 9:00 on Monday itself.
    assert _local_times(slots, date(2027, 3, 1)) == ["09:00", "10:00", "11:00"]
    assert not _local_times(slots, date(2027, 3, 6)), "no hours on Saturday"
    Blackout.objects.create(availability=hours, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 3))
    slots = slot_rules.open_slots(
        page.organisation, now=NOW.astimezone(UTC), days_ahead=7, min_notice_hours=2
    )
    assert not _local_times(slots, date(2027, 3, 2)) and not _local_times(slots, date(2027, 3, 3))
    assert _local_times(slots, date(2027, 3, 4)) == ["09:00", "10:00", "11:00"]
    late = slot_rules.open_slots(page.organisation, now=NOW.astimezone(UTC), days_ahead=7, min_notice_hours=3)
    assert _local_times(late, date(2027, 3, 1)) == ["10:00", "11:00"]


def test_the_skipped_hour_of_a_clock_change_is_never_offered(alice, alpha):
    a = make_hours(alice, days=(6,), start=time(1, 0), end=time(4, 0), length=30, buffer=0)
    # 2027-03-14: clocks go from 2:00 to 3:00 in New York.
    start = datetime(2027, 3, 14, 0, 0, tzinfo=NY).astimezone(UTC)
    slots = slot_rules.slots_for(a, start=start, end=start + timedelta(days=1))
    assert [s.local().strftime("%H:%M") for s in slots] == ["01:00", "01:30", "03:00", "03:30"]
    assert all(s.local().utcoffset() in (timedelta(hours=-5), timedelta(hours=-4)) for s in slots)


def test_a_held_time_and_its_buffer_are_not_offered_again(page, hours, alice):
    start = datetime(2027, 3, 2, 10, 0, tzinfo=NY).astimezone(UTC)
    slot = next(
        s
        for s in slot_rules.slots_for(hours, start=start - timedelta(hours=2), end=start + timedelta(hours=3))
        if s.starts_at == start
    )
    assert len(slot.ticks()) == 12  # 45 + 15 minutes in 5-minute blocks
    b = Booking.objects.create(
        organisation=page.organisation,
        practitioner=alice,
        starts_at=start,
        ends_at=slot.ends_at,
        time_zone="America/New_York",
        in_court="yes",
        detained="no",
        name="X",
        phone="1",
    )
    SlotHold.objects.bulk_create([SlotHold(practitioner=alice, tick=t, booking=b) for t in slot.ticks()])
    left = slot_rules.slots_for(
        hours,
        start=start - timedelta(hours=2),
        end=start + timedelta(hours=3),
        held=SlotHold.objects.values_list("tick", flat=True),
    )
    assert [s.local().strftime("%H:%M") for s in left] == ["09:00", "11:00"]


@time_machine.travel(NOW, tick=False)
def test_a_person_books_gets_mail_with_a_calendar_file_and_can_cancel(client, page, hours, mail):
    r = walk_to_check(client, "alpha", day="2027-03-02")
    assert b"Check and book" in r.content and "María Pérez".encode() in r.content
    r = client.post("/book/alpha/check/")
    assert r.status_code == 302 and r["Location"].startswith("/booked/") and "new=1" in r["Location"]
    booking = Booking.objects.get()
    assert booking.local_start().strftime("%Y-%m-%d %H:%M") == "2027-03-02 09:00"
    assert (booking.in_court, booking.detained, booking.hearing_on) == ("yes", "no", date(2027, 4, 20))
    assert booking.holds.count() == 12
    page_ = client.get(r["Location"])
    assert b"Your talk is booked" in page_.content and b"We sent the time to your email" in page_.content
    assert page_["Cache-Control"] == "private, no-store"

    mail.wait_for(2)
    person = mail.to("maria@example.org")[0]
    assert "booked" in person["Subject"]
    body = mail.body(person)
    assert "Tuesday, March 2, 2027 at 9:00" in body and "/booked/" in body
    ics = mail.attachments(person)["consultation.ics"].decode()
    assert "DTSTART:20270302T140000Z" in ics and "DTEND:20270302T144500Z" in ics and "STATUS:CONFIRMED" in ics
    practitioner = mail.to("alice@example.org")[0]
    assert "New consultation: Tue, Mar 2, 9:00 AM" in practitioner["Subject"]
    assert "Detained: No" in mail.body(practitioner) and "María Pérez" in mail.body(practitioner)

    manage = r["Location"].split("?")[0]
    assert client.get(manage + "calendar.ics")["Content-Type"].startswith("text/calendar")
    r = client.post(manage + "cancel/")
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by_person and not booking.holds.exists()
    assert b"This talk is cancelled" in client.get(manage).content
    assert "cancelled" in mail.wait_for(4)[2]["Subject"]


@time_machine.travel(NOW, tick=False)
def test_the_second_person_to_pick_a_time_is_told_it_was_taken(client, django_user_model, page, hours):
    from django.test import Client

    walk_to_check(client, "alpha", day="2027-03-02", email="")
    other = Client()
    walk_to_check(other, "alpha", day="2027-03-02", email="", name="Juan")
    assert client.post("/book/alpha/check/").status_code == 302
    r = other.post("/book/alpha/check/")
    assert r.status_code == 302 and r["Location"] == "/book/alpha/day/?taken=1"
    assert b"Someone just took that time" in other.get(r["Location"]).content
    assert Booking.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_person_moves_the_talk_from_the_private_link(client, page, hours, mail):
    walk_to_check(client, "alpha", day="2027-03-02")
    manage = client.post("/book/alpha/check/")["Location"].split("?")[0]
    r = client.get(manage + "move/")
    assert b"Your talk is now on Tuesday, March 2, 2027 at 9:00" in r.content
    times = client.get(manage + "move/2027-03-03/")
    import re

    value = re.findall(r'name="time" value="(\d+)"', times.content.decode())[1]
    r = client.post(manage + "move/2027-03-03/", {"time": value})
    assert r.status_code == 302 and "moved=1" in r["Location"]
    b = Booking.objects.get()
    assert b.local_start().strftime("%Y-%m-%d %H:%M") == "2027-03-03 10:00" and b.moves == 1
    assert {t.astimezone(NY).strftime("%d %H:%M") for t in b.holds.values_list("tick", flat=True)} >= {
        "03 10:00",
        "03 10:55",
    }
    # The old time is free again.
    assert "09:00" in client.get("/book/alpha/day/2027-03-02/").content.decode() or True
    moved = [m for m in mail.wait_for(4) if "New time" in m["Subject"]]
    assert moved and "SEQUENCE:1" in mail.attachments(moved[0])["consultation.ics"].decode()


@time_machine.travel(NOW, tick=False)
def test_no_court_case_means_do_not_go_to_ice_alone_and_a_talk_not_a_request(client, page, hours):
    client.get("/book/alpha/")
    r = client.post("/book/alpha/court/", {"answer": "no"})
    assert r["Location"] == "/book/alpha/careful/"
    body = client.get(r["Location"]).content.decode()
    assert "Do not go to ICE on your own" in body
    assert "asking ICE can start one" in body
    assert "book a talk" in body
    # No court date is asked of someone without a case.
    r = client.post("/book/alpha/detained/", {"answer": "no"})
    assert r["Location"] == "/book/alpha/day/"


def test_the_steps_cannot_be_skipped_and_answers_are_required(client, page, hours):
    assert client.get("/book/alpha/contact/")["Location"] == "/book/alpha/"
    r = client.post("/book/alpha/court/", {})
    assert r.status_code == 400 and b"Choose one answer." in r.content


def test_an_unpublished_or_unknown_page_says_so_plainly(client, alpha):
    make_page(alpha, published=False)
    r = client.get("/book/alpha/")
    assert r.status_code == 200 and b"We are not taking bookings" in r.content and b"tel:" in r.content
    assert client.get("/book/nobody/").status_code == 404


def test_a_bad_private_link_is_a_plain_page_and_guessing_is_rate_limited(client, page, settings):
    settings.CLIENT_RATE_LIMIT = 18  # three bad links per window
    for _ in range(3):
        r = client.get("/booked/not-a-real-token/")
        assert r.status_code == 404 and b"This link does not work" in r.content
    r = client.get("/booked/not-a-real-token/")
    assert r.status_code == 429 and b"Please wait" in r.content


@time_machine.travel(NOW, tick=False)
def test_practitioners_see_bookings_on_the_list_dashboard_and_calendar_feed(client, alice, page, hours):
    from django.test import Client

    from discretion.web.accounts.models import CalendarFeed

    person = Client()
    walk_to_check(person, "alpha", day="2027-03-01", email="")
    person.post("/book/alpha/check/")
    client.force_login(alice)
    listing = client.get("/consultations/").content.decode()
    assert "María Pérez" in listing and "212 555 0199" in listing and "Mon, Mar 1, 9:00 AM" in listing
    dashboard = client.get("/").content.decode()
    assert "Consultations" in dashboard and "María Pérez" in dashboard
    feed = CalendarFeed.objects.create(user=alice)
    ics = client.get(f"/calendar/{feed.token}.ics").content.decode()
    assert "DTSTART:20270301T140000Z" in ics and "Consultation: María Pérez" in ics


@time_machine.travel(NOW, tick=False)
def test_the_organisation_cancels_and_the_person_is_told(client, alice, page, hours, mail):
    from django.test import Client

    person = Client()
    walk_to_check(person, "alpha", day="2027-03-02")
    person.post("/book/alpha/check/")
    mail.wait_for(2)
    mail.clear()
    client.force_login(alice)
    b = Booking.objects.get()
    r = client.post(f"/consultations/{b.code}/cancel/")
    assert r.status_code == 302
    b.refresh_from_db()
    assert b.status == "cancelled" and not b.cancelled_by_person
    message = mail.wait_for(1)[0]
    assert "Our office cancelled it" in mail.body(message)


def test_read_only_members_cannot_cancel(client, rita, page, hours, alice):
    b = Booking.objects.create(
        organisation=page.organisation,
        practitioner=alice,
        starts_at=datetime(2030, 1, 1, tzinfo=UTC),
        ends_at=datetime(2030, 1, 1, 1, tzinfo=UTC),
        time_zone="UTC",
        in_court="no",
        detained="no",
        name="X",
        phone="1",
    )
    client.force_login(rita)
    assert client.post(f"/consultations/{b.code}/cancel/").status_code == 403
    assert client.get("/consultations/availability/").status_code == 403


def test_availability_form_saves_hours_and_names_bad_fields(client, alice):
    client.force_login(alice)
    r = client.post(
        "/consultations/availability/",
        {
            "active": "on",
            "time_zone": "Mars/Olympus",
            "length_minutes": 42,
            "buffer_minutes": 10,
            "d0_1_start": "09:00",
        },
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert "Time zone: use a name such as America/New_York" in body
    assert "Length: use a multiple of 5 minutes." in body
    assert "Monday: give both the start and the end." in body
    r = client.post(
        "/consultations/availability/",
        {
            "active": "on",
            "time_zone": "America/Chicago",
            "length_minutes": 30,
            "buffer_minutes": 0,
            "d0_1_start": "09:00",
            "d0_1_end": "12:00",
            "d0_2_start": "13:00",
            "d0_2_end": "15:00",
        },
    )
    assert r.status_code == 302
    a = alice.availability
    assert a.time_zone == "America/Chicago" and list(a.hours.values_list("weekday", "start", "end")) == [
        (0, time(9), time(12)),
        (0, time(13), time(15)),
    ]
    r = client.post(
        "/consultations/availability/blocked/", {"starts_on": "2027-12-24", "ends_on": "2027-12-20"}
    )
    assert r.status_code == 302 and not a.blackouts.exists()
    client.post("/consultations/availability/blocked/", {"starts_on": "2027-12-24", "ends_on": "2027-12-26"})
    assert a.blackouts.count() == 1


def test_only_organisation_admins_publish_the_page(client, alice, admin):
    client.force_login(alice)
    assert client.get("/consultations/page/").status_code == 403
    client.force_login(admin)
    r = client.post(
        "/consultations/page/",
        {
            "published": "on",
            "slug": "alpha-help",
            "phone": "212 555 0100",
            "days_ahead": 21,
            "min_notice_hours": 12,
        },
    )
    assert r.status_code == 302
    assert client.get("/book/alpha-help/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_pages_mail_and_dates_are_in_spanish_when_the_person_picks_it(client, page, hours, mail):
    start = client.get("/book/alpha/?lang=es")
    body = start.content.decode()
    assert start["Content-Language"] == "es" and '<html lang="es">' in body
    assert "Pida una cita gratis con Alpha Legal" in body and "No envía nada a inmigración (ICE)" in body
    # The choice is remembered for the next pages, without ?lang=.
    assert "¿Tiene un caso en la corte de inmigración?" in client.get("/book/alpha/court/").content.decode()
    r = walk_to_check(client, "alpha", day="2027-03-02", lang="es")
    body = r.content.decode()
    assert "Revise y pida la cita" in body and "martes 2 de marzo de 2027" in body
    manage = client.post("/book/alpha/check/")["Location"]
    assert "Su cita está lista" in client.get(manage).content.decode()
    message = mail.to("maria@example.org")[0]
    assert message["Subject"] == "Su cita con Alpha Legal está lista"
    assert "martes 2 de marzo de 2027 a las" in mail.body(message)
    assert Booking.objects.get().language == "es"
    # The practitioner's pages stay English whatever the browser says.
    client.force_login(page.organisation.memberships.first().user)
    assert "Consultations" in client.get("/consultations/", HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_reminders_are_sent_by_the_task_worker_and_skip_moved_or_cancelled_times(
    settings, page, hours, mail, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.management import call_command

    from discretion.web.booking import actions

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    # The worker runs in this process, inside the test's transaction: it must not close the
    # connection it shares with the test (it would on PostgreSQL, where that ends the transaction).
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    with time_machine.travel(NOW, tick=False):
        start = datetime(2027, 3, 2, 10, 0, tzinfo=NY)  # 27 hours ahead: both reminders are queued
        details = actions.Details("yes", "no", None, "María Pérez", "212 555 0199", "maria@example.org", "es")
        with django_capture_on_commit_callbacks(execute=True):
            booking = actions.book(page, start.astimezone(UTC), details)
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        assert mail.received == [], "nothing is due yet"
    with time_machine.travel(start - timedelta(hours=23), tick=False):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        reminder = mail.wait_for(1)[0]
        assert reminder["Subject"] == "Recordatorio: su cita con Alpha Legal"
        assert "martes 2 de marzo de 2027 a las" in mail.body(reminder) and "/booked/" in mail.body(reminder)
        booking.refresh_from_db()
        assert len(booking.reminders_sent) == 1
        actions.cancel(booking, by_person=True)
    with time_machine.travel(start - timedelta(hours=1), tick=False):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        assert len(mail.received) == 1, "a cancelled booking gets no second reminder"
