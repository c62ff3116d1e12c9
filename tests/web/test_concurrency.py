"""No silent overwrite on any form that edits a stored row (issue 9, "lost updates").

Each form: two people open it; the second saves; the first, working from the older page, is
answered 409 with the other's change shown and their own input kept; the stored row keeps the
second's change; saving again from the conflict page (which carries the current values) wins.
The same tests run on PostgreSQL (`./dev test`), where the save locks the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from web_builders import make_user

from discretion.web.booking.models import ConsultationPage
from discretion.web.cases.models import CaseNote
from discretion.web.documents.models import Letterhead, SignerProfile
from discretion.web.tracking.models import PDRequest, Task

OPENED = re.compile(r'name="opened" value="([^"]+)"')


def opened(response, after: str = "") -> str:
    body = response.content.decode()
    found = OPENED.findall(body[body.index(after) :] if after else body)
    if after:
        found = found[:1]
    assert found, "the form carries no 'opened' field"
    return found[-1]


@dataclass
class Form:
    name: str
    page: str  # where the form is drawn
    post: str  # where it is sent
    theirs: dict[str, Any]  # the colleague's save
    mine: dict[str, Any]  # the stale save
    mine_shown: str  # a piece of the stale input the 409 page must keep
    stored: Any  # reads the stored value the two saves disagree on
    theirs_value: Any
    mine_value: Any
    marker: str = ""  # where the form starts, when the page has several


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def run(form: Form, first, second) -> None:
    me, colleague = _login(first), _login(second)
    mine_token = opened(me.get(form.page), form.marker)
    theirs_token = opened(colleague.get(form.page), form.marker)

    r = colleague.post(form.post, form.theirs | {"opened": theirs_token})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert form.stored() == form.theirs_value

    r = me.post(form.post, form.mine | {"opened": mine_token})
    body = r.content.decode()
    assert r.status_code == 409, body[:2000]
    assert "changed this while you were editing" in body and "not saved yet" in body
    assert second.username in body  # who changed it, from the audit log
    assert form.mine_shown in body  # what I typed is still in the form
    assert form.stored() == form.theirs_value  # nothing of theirs lost

    r = me.post(form.post, form.mine | {"opened": opened(r)})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert form.stored() == form.mine_value


def test_case_settings(alice, bob, case):
    url = reverse("cases:settings", kwargs={"code": case.code})
    run(
        Form(
            "case settings",
            page=reverse("cases:detail", kwargs={"code": case.code}),
            post=url,
            theirs={"status": "closed", "closing_reason": "pd_granted", "assigned_to": alice.pk},
            mine={"status": "intake", "why": "Reopened by me", "assigned_to": ""},
            mine_shown="Reopened by me",
            stored=lambda: type(case).objects.values_list("status", "assigned_to").get(pk=case.pk),
            theirs_value=("closed", alice.pk),
            mine_value=("intake", None),
        ),
        bob,
        alice,
    )


def test_note(alice, admin, case):
    note = CaseNote.objects.create(case=case, body="Call the consulate", author=alice)
    url = reverse("cases:note_edit", kwargs={"code": note.code})
    run(
        Form(
            "note",
            page=url,
            post=url,
            theirs={"body": "Call the consulate on Monday"},
            mine={"body": "Consulate called: passport in 3 weeks"},
            mine_shown="Consulate called: passport in 3 weeks",
            stored=lambda: CaseNote.objects.get(pk=note.pk).body,
            theirs_value="Call the consulate on Monday",
            mine_value="Consulate called: passport in 3 weeks",
        ),
        alice,
        admin,
    )


def test_task(alice, bob, case):
    task = Task.objects.create(case=case, title="Get school records", created_by=alice)
    url = reverse("tracking:task_edit", kwargs={"code": task.code})
    run(
        Form(
            "task",
            page=url,
            post=url,
            theirs={"title": "Get school records", "due_on": "2026-03-02", "assigned_to": bob.pk},
            mine={"title": "Get school and church records", "due_on": ""},
            mine_shown="Get school and church records",
            stored=lambda: Task.objects.values_list("title", "due_on").get(pk=task.pk)[0],
            theirs_value="Get school records",
            mine_value="Get school and church records",
        ),
        alice,
        bob,
    )


def test_request_details(alice, bob, case):
    pd = PDRequest.objects.create(case=case, kind="dismissal")
    run(
        Form(
            "request details",
            page=reverse("tracking:request", kwargs={"code": pd.code}),
            post=reverse("tracking:request_edit", kwargs={"code": pd.code}),
            theirs={"edit-office": "Chicago OPLA", "edit-channel": "email"},
            mine={"edit-office": "Broadview OPLA, by hand", "edit-channel": "email"},
            mine_shown="Broadview OPLA, by hand",
            stored=lambda: PDRequest.objects.get(pk=pd.pk).office,
            theirs_value="Chicago OPLA",
            mine_value="Broadview OPLA, by hand",
        ),
        alice,
        bob,
    )


def test_a_form_opened_on_current_values_saves_without_a_conflict(alice, bob, case):
    """A colleague's change to something the form does not edit is no conflict."""
    me = _login(alice)
    token = opened(me.get(reverse("cases:detail", kwargs={"code": case.code})))
    type(case).objects.filter(pk=case.pk).update(version=case.version + 5)  # the facts moved on
    r = me.post(
        reverse("cases:settings", kwargs={"code": case.code}),
        {"status": "preparing", "assigned_to": alice.pk, "opened": token},
    )
    assert r.status_code == 302


@pytest.mark.parametrize("token", ["garbage", ""])
def test_a_broken_token_is_treated_as_stale_not_as_a_licence(alice, case, token):
    me = _login(alice)
    r = me.post(
        reverse("cases:settings", kwargs={"code": case.code}),
        {"status": "preparing", "assigned_to": alice.pk, "opened": token or "x:y"},
    )
    assert r.status_code == 409 and "the form was incomplete" in r.content.decode()


def test_signer_profile_from_two_tabs(alice):
    def stored():
        return SignerProfile.objects.get(user=alice).bar_number

    signer = {"name": "Alice Avery", "kind": "attorney", "bar_state": "New York", "eoir_id": "AB123456"}
    SignerProfile.objects.create(user=alice, name="Alice Avery", bar_number="1", bar_state="New York")
    run(
        Form(
            "signer profile",
            page=reverse("signer"),
            post=reverse("signer"),
            theirs=signer | {"bar_number": "5550001"},
            mine=signer | {"bar_number": "5550002-typed"},
            mine_shown="5550002-typed",
            stored=stored,
            theirs_value="5550001",
            mine_value="5550002-typed",
        ),
        alice,
        alice,
    )


def test_letterhead(admin, alpha):
    other = make_user("admin2", alpha, "attorney", admin=True)
    base = {"name": "Alpha Legal", "phone": "", "email": ""}
    run(
        Form(
            "letterhead",
            page=reverse("letterhead"),
            post=reverse("letterhead"),
            theirs=base | {"address": "1 Main St, Chicago, IL 60601"},
            mine=base | {"address": "77 Lake St, Suite 9, Chicago, IL 60601"},
            mine_shown="77 Lake St, Suite 9",
            stored=lambda: Letterhead.objects.get(organisation=alpha).address,
            theirs_value="1 Main St, Chicago, IL 60601",
            mine_value="77 Lake St, Suite 9, Chicago, IL 60601",
        ),
        admin,
        other,
    )


def test_member_row_on_the_people_page(admin, alpha, bob):
    other = make_user("admin2", alpha, "attorney", admin=True)
    run(
        Form(
            "member",
            page=reverse("accounts:people"),
            post=reverse("accounts:member", kwargs={"user_id": bob.pk}),
            theirs={"role": "staff", "is_active": ""},  # switched off
            mine={"role": "attorney", "is_active": "on"},
            mine_shown='value="attorney" selected',
            stored=lambda: type(bob).objects.get(pk=bob.pk).is_active,
            theirs_value=False,
            mine_value=True,
            marker=f'id="mf-{bob.pk}"',
        ),
        admin,
        other,
    )


def test_availability_from_two_tabs(alice):
    hours = {"active": "on", "time_zone": "America/Chicago", "length_minutes": 30, "buffer_minutes": 0}

    def stored():
        return list(alice.availability.hours.values_list("start", flat=True))

    run(
        Form(
            "availability",
            page=reverse("booking:availability"),
            post=reverse("booking:availability"),
            theirs=hours | {"d0_1_start": "09:00", "d0_1_end": "12:00"},
            mine=hours | {"d0_1_start": "10:15", "d0_1_end": "12:00"},
            mine_shown='value="10:15"',
            stored=stored,
            theirs_value=[time(9, 0)],
            mine_value=[time(10, 15)],
        ),
        alice,
        alice,
    )


def test_consultation_page(admin, alpha):
    other = make_user("admin2", alpha, "attorney", admin=True)
    page = {"slug": "alpha", "days_ahead": 21, "min_notice_hours": 12, "published": "on"}
    run(
        Form(
            "consultation page",
            page=reverse("booking:page"),
            post=reverse("booking:page"),
            theirs=page | {"phone": "312-555-0100"},
            mine=page | {"phone": "312-555-0199"},
            mine_shown="312-555-0199",
            stored=lambda: ConsultationPage.objects.get(organisation=alpha).phone,
            theirs_value="312-555-0100",
            mine_value="312-555-0199",
        ),
        admin,
        other,
    )


def test_exhibit_list(alice, bob, case):
    import io

    import pikepdf
    from django.core.files.uploadedfile import SimpleUploadedFile

    from discretion.web.files.models import StoredFile

    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    c = _login(alice)
    c.post(
        reverse("cases:upload", kwargs={"code": case.code}),
        {"file": SimpleUploadedFile("lease.pdf", out.getvalue())},
    )
    f = StoredFile.objects.get(case=case)
    key = str(f.code)
    run(
        Form(
            "exhibits",
            page=reverse("documents:evidence", kwargs={"code": case.code}),
            post=reverse("documents:exhibits", kwargs={"code": case.code}),
            theirs={f"position-{key}": "1", f"language-{key}": "en", f"description-{key}": "Lease"},
            mine={f"position-{key}": "1", f"language-{key}": "es", f"description-{key}": "Contrato typed"},
            mine_shown='value="Contrato typed"',
            stored=lambda: StoredFile.objects.values_list("description", flat=True).get(pk=f.pk),
            theirs_value="Lease",
            mine_value="Contrato typed",
        ),
        alice,
        bob,
    )
