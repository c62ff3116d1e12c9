from __future__ import annotations

from datetime import date

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from web_builders import make_case

from discretion.web.tracking.models import PDRequest, RequestEvent


def _new(client, case, **overrides):
    data = {
        "kind": "dismissal",
        "office": "OPLA Chicago",
        "channel": "email",
        "sent_on": "2026-01-02",
    } | overrides
    return client.post(reverse("cases:request_new", kwargs={"code": case.code}), data)


def test_it_records_a_request_with_its_timeline(client, alice, case):
    client.force_login(alice)

    r = _new(client, case)

    pd = PDRequest.objects.get(case=case)
    assert r.status_code == 302
    assert pd.status == "sent" and pd.sent_on == date(2026, 1, 2)
    assert [e.new_status for e in pd.events.all()] == ["drafted", "sent"]


def test_bad_request_input_names_the_field(client, alice, case):
    client.force_login(alice)
    r = _new(client, case, sent_on="January", kind="beg")
    assert r.status_code == 400
    body = r.content.decode()
    assert "Date sent: Enter a valid date." in body
    assert "Action requested: Select a valid choice." in body
    assert not PDRequest.objects.exists()


def test_set_status_writes_an_event_row_in_one_go(alice, case):
    pd = PDRequest.objects.create(case=case, kind="dismissal")
    event = pd.set_status("sent", by=alice, on=date(2026, 2, 1), note="emailed")
    pd.refresh_from_db()
    assert (event.old_status, event.new_status) == ("drafted", "sent")
    assert pd.status == "sent" and pd.sent_on == date(2026, 2, 1)


def test_it_records_a_decision_with_the_response_letter(client, alice, case):
    client.force_login(alice)
    _new(client, case)
    pd = PDRequest.objects.get()
    letter = SimpleUploadedFile("response.pdf", b"%PDF-1.7 OPLA agrees", content_type="application/pdf")

    r = client.post(
        reverse("tracking:request_event", kwargs={"code": pd.code}),
        {
            "new_status": "granted",
            "on": "2026-02-20",
            "note": "Joint motion filed",
            "outcome": "dismissal",
            "attachment": letter,
        },
    )

    assert r.status_code == 302
    pd.refresh_from_db()
    assert pd.status == "granted" and pd.outcome == "dismissal"
    event = RequestEvent.objects.get(new_status="granted")
    assert event.attachment.original_name == "response.pdf"
    assert event.attachment.kind == "response"


def test_a_bad_event_keeps_the_status(client, alice, case):
    client.force_login(alice)
    _new(client, case)
    pd = PDRequest.objects.get()
    fake = SimpleUploadedFile("response.pdf", b"MZ\x90\x00 not a pdf")
    r = client.post(
        reverse("tracking:request_event", kwargs={"code": pd.code}),
        {"new_status": "granted", "on": "2026-02-20", "attachment": fake},
    )
    assert r.status_code == 400
    assert "is not a PDF" in r.content.decode()
    pd.refresh_from_db()
    assert pd.status == "sent"
    r = client.post(
        reverse("tracking:request_event", kwargs={"code": pd.code}), {"new_status": "granted", "on": ""}
    )
    assert r.status_code == 400 and "Date" in r.content.decode()


def test_follow_up_defaults_to_thirty_days_after_sending(alice, case):
    pd = PDRequest.objects.create(case=case, kind="dismissal")
    assert pd.follow_up_due() is None  # a draft needs no chasing
    pd.set_status("sent", by=alice, on=date(2026, 1, 2))
    assert pd.follow_up_due() == date(2026, 2, 1)
    pd.set_status("granted", by=alice, on=date(2026, 1, 20))
    assert pd.follow_up_due() is None


@time_machine.travel("2026-02-02 10:00-05:00")
def test_the_dashboard_shows_what_is_due_this_week(client, alice, alpha):
    sent = make_case(alpha, assigned_to=alice, identity={"name": "Awaiting Answer"})
    PDRequest.objects.create(case=sent, kind="dismissal").set_status("sent", by=alice, on=date(2026, 1, 1))
    hearing = make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Hearing Soon"},
        proceedings={"next_hearing": {"date": "2026-02-05"}},
    )
    make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Far Away"},
        proceedings={"next_hearing": {"date": "2026-09-05"}},
    )
    client.force_login(alice)

    r = client.get(reverse("tracking:dashboard"))

    body = r.content.decode()
    assert "Awaiting Answer" in body and "Hearing Soon" in body
    assert "Far Away" not in body
    assert "Practice defaults, not law" in body
    assert [d.case for d in r.context["overdue"]] == [sent]
    assert [d.case for d in r.context["upcoming"]] == [hearing]


@time_machine.travel("2026-02-02 10:00-05:00")
def test_a_hearing_follow_up_is_due_two_weeks_before_the_hearing(client, alice, alpha):
    case = make_case(alpha, assigned_to=alice, proceedings={"next_hearing": {"date": "2026-02-18"}})
    PDRequest.objects.create(case=case, kind="dismissal").set_status("sent", by=alice, on=date(2026, 1, 30))
    client.force_login(alice)
    due = client.get(reverse("tracking:dashboard")).context["due"]
    assert [(d.kind, d.on) for d in due] == [("hearing_follow_up", date(2026, 2, 4))]


def test_the_new_request_form_suggests_the_opla_office_for_the_court(client, alice, alpha):
    case = make_case(alpha, assigned_to=alice, proceedings={"court": "New York - Broadway"})
    client.force_login(alice)
    r = client.get(reverse("cases:request_new", kwargs={"code": case.code}))
    assert r.status_code == 200
    office = r.context["office"]
    assert office is not None, "the core's office directory should know New York - Broadway"
    assert r.context["form"].initial["office"] == office.name
    assert office.name in r.content.decode()


def test_a_note_keeps_the_status(client, alice, case):
    client.force_login(alice)
    _new(client, case)
    pd = PDRequest.objects.get()
    url = reverse("tracking:request_event", kwargs={"code": pd.code})

    r = client.post(url, {"new_status": "", "on": "2026-01-20", "note": "Called OPLA, left a voicemail"})

    assert r.status_code == 302
    pd.refresh_from_db()
    assert pd.status == "sent"
    event = pd.events.last()
    assert (event.old_status, event.new_status, event.note) == (
        "sent",
        "sent",
        "Called OPLA, left a voicemail",
    )
    r = client.post(url, {"new_status": "", "on": "2026-01-20", "note": ""})
    assert r.status_code == 400 and "Write the note, or choose what happened." in r.content.decode()


def test_request_details_can_be_corrected(client, alice, case):
    client.force_login(alice)
    _new(client, case)
    pd = PDRequest.objects.get()
    url = reverse("tracking:request_edit", kwargs={"code": pd.code})

    r = client.post(
        url,
        {
            "edit-office": "OPLA Chicago",
            "edit-channel": "eservice",
            "edit-sent_on": "2026-01-03",
            "edit-follow_up_on": "2026-01-25",
        },
    )

    assert r.status_code == 302
    pd.refresh_from_db()
    assert (pd.channel, pd.sent_on, pd.follow_up_due()) == ("eservice", date(2026, 1, 3), date(2026, 1, 25))
    r = client.post(url, {"edit-channel": "pigeon", "edit-sent_on": "soon"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "Sent by: Select a valid choice." in body and "Date sent: Enter a valid date." in body
    pd.refresh_from_db()
    assert pd.channel == "eservice"


@time_machine.travel("2026-02-02 10:00-05:00")
def test_the_dashboard_flags_hearings_with_no_request_sent(client, alice, alpha):
    bare = make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "No Request Yet"},
        proceedings={"next_hearing": {"date": "2026-02-20"}},
    )
    sent = make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Request Out"},
        proceedings={"next_hearing": {"date": "2026-02-21"}},
    )
    PDRequest.objects.create(case=sent, kind="dismissal").set_status("sent", by=alice, on=date(2026, 1, 30))
    client.force_login(alice)
    assert client.get(reverse("tracking:dashboard")).context["unsent"] == [bare]


@time_machine.travel("2026-02-10 10:00-05:00")
def test_a_request_sent_today_close_to_the_hearing_is_due_today_not_overdue(client, alice, alpha):
    # Hearing in 5 days: "14 days before" is already past, but the request only went out today.
    case = make_case(alpha, assigned_to=alice, proceedings={"next_hearing": {"date": "2026-02-15"}})
    client.force_login(alice)
    _new(client, case, sent_on="2026-02-10")

    r = client.get(reverse("tracking:dashboard"))

    chase = [d for d in r.context["due"] if d.kind == "hearing_follow_up"]
    assert [d.on for d in chase] == [date(2026, 2, 10)]
    assert not [d for d in r.context["overdue"] if d.kind == "hearing_follow_up"]
    assert [d.kind for d in r.context["upcoming"]] == ["hearing_follow_up", "hearing"]


def test_the_hearing_follow_up_is_never_before_sending_nor_after_the_hearing(alice, case):
    pd = PDRequest.objects.create(case=case, kind="dismissal")
    assert pd.hearing_follow_up_due(date(2026, 3, 1)) is None  # a draft needs no chasing
    pd.set_status("sent", by=alice, on=date(2026, 2, 1))
    assert pd.hearing_follow_up_due(date(2026, 3, 1)) == date(2026, 2, 15)  # 14 days before
    assert pd.hearing_follow_up_due(date(2026, 2, 5)) == date(2026, 2, 1)  # the day it was sent
    assert pd.hearing_follow_up_due(date(2026, 1, 20)) == date(2026, 1, 20)  # capped at the hearing
    assert pd.hearing_follow_up_due(None) is None


@time_machine.travel("2026-02-10 10:00-05:00")
def test_a_sent_date_before_the_drafted_date_names_the_field_and_saves_nothing(client, alice, case):
    client.force_login(alice)
    _new(client, case, sent_on="")
    pd = PDRequest.objects.get()
    assert pd.drafted_on() == date(2026, 2, 10)

    r = client.post(
        reverse("tracking:request_event", kwargs={"code": pd.code}),
        {"new_status": "sent", "on": "2026-02-01", "note": "emailed the ACC"},
    )

    assert r.status_code == 400
    body = r.content.decode()
    assert "Date: the request was drafted on February 10, 2026; enter that date or a later one." in body
    assert "emailed the ACC" in body  # what was typed is kept
    pd.refresh_from_db()
    assert pd.status == "drafted" and pd.sent_on is None
    assert pd.events.count() == 1

    r = client.post(
        reverse("tracking:request_edit", kwargs={"code": pd.code}),
        {"edit-channel": "email", "edit-sent_on": "2026-02-01"},
    )
    assert r.status_code == 400
    assert "Date sent: the request was drafted on February 10, 2026" in r.content.decode()
    pd.refresh_from_db()
    assert pd.sent_on is None


def test_the_timeline_is_in_date_order_then_the_order_recorded(client, alice, case):
    client.force_login(alice)
    _new(client, case, sent_on="2026-01-02")
    pd = PDRequest.objects.get()
    url = reverse("tracking:request_event", kwargs={"code": pd.code})
    client.post(url, {"new_status": "", "on": "2026-01-20", "note": "second call"})
    client.post(url, {"new_status": "", "on": "2026-01-05", "note": "first call"})
    client.post(url, {"new_status": "", "on": "2026-01-20", "note": "third call"})

    r = client.get(reverse("tracking:request", kwargs={"code": pd.code}))

    assert [(e.on.day, e.note or e.new_status) for e in r.context["events"]] == [
        (2, "Request recorded"),
        (2, "sent"),
        (5, "first call"),
        (20, "second call"),
        (20, "third call"),
    ]
    body = r.content.decode()
    assert body.index("first call") < body.index("second call") < body.index("third call")
