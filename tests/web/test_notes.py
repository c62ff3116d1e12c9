"""Notes on a case: author and time shown, every change audited, only the author (or an
organisation admin) may change one."""

from __future__ import annotations

from django.urls import reverse

from discretion.web.audit.models import AuditEvent
from discretion.web.cases.models import CaseNote


def _add(client, case, body="Client called: new address on file."):
    return client.post(reverse("cases:note_new", kwargs={"code": case.code}), {"body": body})


def test_it_adds_a_note_with_author_and_time_and_audits_it(client, alice, case):
    client.force_login(alice)

    r = _add(client, case)

    assert r.status_code == 302 and r["Location"].endswith("#notes")
    note = CaseNote.objects.get(case=case)
    assert note.author == alice and note.created is not None
    page = client.get(reverse("cases:detail", kwargs={"code": case.code})).content.decode()
    assert "Client called: new address on file." in page and "<strong>Alice</strong>" in page
    event = AuditEvent.objects.get(action="create", object_type="CaseNote")
    assert event.case_id == case.pk and event.user == alice
    assert "address" not in event.summary  # the log says a note was written, not what it says


def test_an_empty_note_is_refused_and_nothing_is_saved(client, alice, case):
    client.force_login(alice)
    r = _add(client, case, body="   ")
    assert r.status_code == 400 and "Note: Write the note first." in r.content.decode()
    assert not CaseNote.objects.exists()


def test_the_author_edits_and_deletes_and_a_colleague_cannot(client, alice, bob, admin, case):
    client.force_login(alice)
    _add(client, case)
    note = CaseNote.objects.get()

    client.force_login(bob)
    url = reverse("cases:note_edit", kwargs={"code": note.code})
    assert client.post(url, {"body": "Bob was here"}).status_code == 403
    assert client.post(reverse("cases:note_delete", kwargs={"code": note.code})).status_code == 403

    client.force_login(alice)
    assert client.post(url, {"body": "Client called twice."}).status_code == 302
    note.refresh_from_db()
    assert note.body == "Client called twice." and note.edited is not None
    assert AuditEvent.objects.filter(action="change", object_type="CaseNote").exists()

    client.force_login(admin)
    assert client.post(reverse("cases:note_delete", kwargs={"code": note.code})).status_code == 302
    assert not CaseNote.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="CaseNote", user=admin).exists()


def test_notes_keep_line_breaks_and_escape_markup(client, alice, case):
    client.force_login(alice)
    _add(client, case, body="Line one\nLine <b>two</b>")
    page = client.get(reverse("cases:detail", kwargs={"code": case.code})).content.decode()
    assert "Line one<br>Line &lt;b&gt;two&lt;/b&gt;" in page
