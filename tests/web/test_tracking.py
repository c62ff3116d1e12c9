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
