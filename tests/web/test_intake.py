"""Intake by invitation: the link, one question a page chosen by the screening, resume, files,
the review page, and the practitioner's side-by-side review (accept some, return the rest)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils.timezone import now
from test_documents import ready_case, signer  # noqa: F401 - fixtures: a case ready for a letter

from discretion.web.audit.models import AuditEvent
from discretion.web.cases.models import Case, CaseRevision
from discretion.web.intake.models import Invitation, ProposedAnswer, token_hash

CASE_SECRETS = ("Alma Quintero", "208555014", "208-555-014", "ALPHA-1", "Chicago", "2025-07-01", "2004")


def _invite(client, alice, case, **data) -> tuple[Invitation, str]:
    client.force_login(alice)
    r = client.post(f"/cases/{case.code}/intake/", {"days": 14, "language": "en", **data})
    assert r.status_code == 302, r.content.decode()[:2000]
    inv = Invitation.objects.get(code=r["Location"].split("/")[-2])
    page = client.get(r["Location"]).content.decode()
    link = re.search(r'id="invite-link" type="text" value="([^"]+)"', page).group(1)
    assert "<svg" in page and 'aria-label="QR code of the link"' in page
    token = link.rsplit("/i/", 1)[1].strip("/")
    return inv, token


@pytest.fixture
def invited(client, alice, case):
    return _invite(client, alice, case)


def _person(token: str, lang: str = "") -> Client:
    c = Client()
    r = c.get(f"/i/{token}/" + (f"?lang={lang}" if lang else ""))
    assert r.status_code == 302 and r["Location"].startswith("/intake/"), r.content[:300]
    return c


def _next(c: Client) -> str:
    r = c.get("/intake/next/")
    assert r.status_code == 302
    return r["Location"]


def _answer(c: Client, value=None, *, dont_know: bool = False) -> str:
    url = _next(c)
    assert "/intake/question/" in url, url
    data = {"dont_know": "1"} if dont_know else {"answer": value}
    r = c.post(url, data)
    assert r.status_code == 302, r.content.decode()[:1500]
    return url.split("/intake/question/")[1].strip("/")


def test_the_link_is_a_random_token_kept_only_as_a_hash(invited):
    inv, token = invited
    assert len(token) >= 22 and inv.token_hash == token_hash(token)
    assert token not in str(Invitation.objects.values().get())


def test_safety_first_then_what_the_screening_needs_and_never_the_case_back(invited):
    inv, token = invited
    c = _person(token)
    home = c.get("/intake/").content.decode()
    assert "Alpha Legal asks you some questions" in home
    first = c.get(_next(c))
    body = first.content.decode()
    assert "Do you have a case in immigration court?" in body and "I don't know" in body
    assert first["Cache-Control"] == "private, no-store"
    assert _answer(c, "yes") == "proceedings.in_proceedings"
    assert _answer(c, "no") == "proceedings.detained"
    # The court date is known to the case, so it is not asked; the screening's questions follow.
    third = c.get(_next(c)).content.decode()
    assert "Are you afraid to go back to your home country?" in third
    for page in (home, body, third):
        for secret in CASE_SECRETS:
            assert secret not in page, f"the person's page shows {secret!r}"


def test_an_answer_changes_what_is_asked_next(invited):
    inv, token = invited
    c = _person(token)
    _answer(c, "yes")
    _answer(c, "no")
    assert _answer(c, "no") == "fear.fears_return"
    # Afraid of nothing: the screening no longer needs why, so it is not asked.
    assert "fear.protected_ground" not in _next(c)


def test_dont_know_is_saved_and_not_asked_again(invited):
    inv, token = invited
    c = _person(token)
    assert _answer(c, dont_know=True) == "proceedings.in_proceedings"
    a = ProposedAnswer.objects.get(path="proceedings.in_proceedings")
    assert a.dont_know and a.value is None
    assert "in_proceedings" not in _next(c)


def test_every_answer_is_saved_and_the_link_resumes_after_the_browser_closes(invited):
    inv, token = invited
    c = _person(token)
    _answer(c, "yes")
    _answer(c, "no")
    where = _next(c)
    # The browser closes: the session cookie is gone. The page says to open the link again.
    fresh = Client()
    r = fresh.get(where)
    assert r.status_code == 403 and b"Open your link again" in r.content
    resumed = _person(token)
    assert b"Welcome back" in resumed.get("/intake/").content
    assert _next(resumed) == where


def test_bad_answers_get_a_plain_message_and_keep_what_was_typed(invited):
    inv, token = invited
    c = _person(token)
    _answer(c, "yes")
    _answer(c, "no")
    _answer(c, "no")  # fears return
    # Walk to the date of birth question.
    r = c.post("/intake/question/identity.date_of_birth/", {"answer": "31/31/1990"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "Write the date like this" in body and 'value="31/31/1990"' in body
    r = c.post("/intake/question/identity.date_of_birth/", {"answer": ""})
    assert r.status_code == 400 and "I don&#x27;t know" in r.content.decode()
    assert c.post("/intake/question/identity.date_of_birth/", {"answer": "1990-04-02"}).status_code == 302
    assert ProposedAnswer.objects.get(path="identity.date_of_birth").value == "1990-04-02"


def test_a_list_question_takes_entries_one_page_each(invited):
    inv, token = invited
    c = _person(token)
    r = c.post("/intake/question/family/", {"answer": "yes"})
    assert r["Location"] == "/intake/question/family/add/"
    page = c.get(r["Location"]).content.decode()
    assert "Tell us about one family member" in page and "Who is this person to you?" in page
    r = c.post(
        r["Location"],
        {"q-family-n-relationship": "child", "q-family-n-name": "Lucía", "q-family-n-status": "usc"},
    )
    assert r["Location"] == "/intake/question/family/more/"
    more = c.get(r["Location"]).content.decode()
    assert "Lucía" in more and "U.S. citizen" in more
    c.post("/intake/question/family/add/", {"q-family-n-relationship": "spouse"})
    r = c.post("/intake/question/family/more/", {"answer": "no"})
    assert r.status_code == 302
    a = ProposedAnswer.objects.get(path="family")
    assert a.complete and a.value == [
        {"relationship": "child", "name": "Lucía", "status": "usc"},
        {"relationship": "spouse"},
    ]
    # Without a relationship (the schema needs one) the entry is refused with a plain message.
    r = c.post("/intake/question/family/add/", {"q-family-n-name": "Ana"})
    assert r.status_code == 400 and b"Please answer this one." in r.content


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 150)).save(out, "JPEG")
    return out.getvalue()


def test_photos_attach_to_checklist_items_with_the_same_type_checks(invited):
    from django.core.files.uploadedfile import SimpleUploadedFile

    inv, token = invited
    c = _person(token)
    page = c.get("/intake/papers/").content.decode()
    assert "Your passport" in page
    r = c.post(
        "/intake/papers/passport/", {"photo": SimpleUploadedFile("IMG_0001.jpg", _jpeg(), "image/jpeg")}
    )
    assert r.status_code == 302 and "added=1" in r["Location"]
    r = c.post(
        "/intake/papers/passport/",
        {"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00 not a photo", "image/jpeg")},
    )
    assert r.status_code == 400 and "We could not take “virus.exe”" in r.content.decode()
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    r = c.post(
        "/intake/papers/birth_certificate/",
        {"photo": SimpleUploadedFile("IMG_0002.HEIC", heic, "image/heic")},
    )
    assert r.status_code == 302, "an iPhone photo (HEIC) is taken"
    f = inv.files.get(item_id="passport")
    assert f.file.kind == "other" and f.file.content_type == "image/jpeg"
    assert inv.files.get(item_id="birth_certificate").file.content_type == "image/heic"
    # Not an exhibit until a practitioner accepts it.
    from discretion.web.documents.actions import exhibit_files

    assert exhibit_files(inv.case) == []
    assert c.get("/intake/papers/g28/").status_code == 404, (
        "a representative's form is never asked of the person"
    )


def _walk_everything(c: Client, values: dict[str, str] | None = None) -> None:
    values = values or {}
    for _ in range(60):
        url = _next(c)
        if "/intake/question/" not in url:
            return
        path = url.split("/intake/question/")[1].strip("/")
        if path in values:
            r = c.post(url, {"answer": values[path]})
        elif path in ("criminal_history", "family"):
            r = c.post(url, {"answer": "no"})
        else:
            r = c.post(url, {"dont_know": "1"})
        assert r.status_code == 302, (path, r.content.decode()[:500])
    raise AssertionError("the questions did not end")


def test_review_send_then_the_practitioner_accepts_part_and_returns_the_rest(client, invited, alice):
    inv, token = invited
    c = _person(token)
    _walk_everything(
        c,
        {
            "proceedings.in_proceedings": "yes",
            "proceedings.detained": "no",
            "fear.fears_return": "yes",
            "identity.date_of_birth": "1990-04-02",
        },
    )
    review = c.get("/intake/check/").content.decode()
    assert "Check your answers" in review and "April 2, 1990" in review
    assert c.post("/intake/check/").status_code == 302
    inv.refresh_from_db()
    assert inv.status == "sent"
    # The person can no longer change anything: questions lead to the thank-you page.
    assert c.get("/intake/question/identity.date_of_birth/")["Location"] == "/intake/"

    case = Case.objects.get(pk=inv.case_id)
    before = dict(case.facts)
    page = client.get(f"/intake-invitations/{inv.code}/").content.decode()
    assert "The person says" in page and "Do you have a case in immigration court?" in page
    dob = ProposedAnswer.objects.get(path="identity.date_of_birth")
    court = ProposedAnswer.objects.get(path="proceedings.in_proceedings")
    r = client.post(
        f"/intake-invitations/{inv.code}/accept/", {"answer": [court.pk], "version": case.version}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.facts["proceedings"]["in_proceedings"] is True
    assert "date_of_birth" not in case.facts["identity"], "only what was accepted reaches the case"
    assert case.facts["identity"]["name"] == before["identity"]["name"]
    assert CaseRevision.objects.filter(case=case, section="intake").exists()

    r = client.post(f"/intake-invitations/{inv.code}/return/", {"note": "Check your date of birth, please."})
    assert r.status_code == 302
    inv.refresh_from_db()
    assert inv.status == "returned"
    dob.refresh_from_db()
    court.refresh_from_db()
    assert dob.decision == "returned" and court.decision == "accepted"

    # The person sees the note and the returned answer first; the accepted one is locked.
    home = c.get("/intake/").content.decode()
    assert "Check your date of birth, please." in home
    # Returned answers come back in the order they were asked (the accepted one is not among them).
    assert _next(c) == "/intake/question/proceedings.detained/"
    c.post("/intake/question/identity.date_of_birth/", {"answer": "1990-04-03"})
    c.post("/intake/question/proceedings.in_proceedings/", {"answer": "no"})
    assert ProposedAnswer.objects.get(path="proceedings.in_proceedings").value is True
    c.post("/intake/check/")
    inv.refresh_from_db()
    assert inv.status == "sent"
    case.refresh_from_db()
    r = client.post(f"/intake-invitations/{inv.code}/accept/", {"all": "1", "version": case.version})
    case.refresh_from_db()
    assert case.facts["identity"]["date_of_birth"] == "1990-04-03"
    inv.refresh_from_db()
    assert inv.status == "reviewed"


def test_accepting_after_someone_else_saved_the_case_accepts_nothing(client, invited, alice):
    from discretion.web.cases import actions as case_actions

    inv, token = invited
    c = _person(token)
    _answer(c, "yes")
    c.post("/intake/check/")
    case = Case.objects.get(pk=inv.case_id)
    old_version = case.version
    case_actions.save_facts(
        case, facts=case.to_facts(), base_version=case.version, section="identity", by=alice
    )
    a = ProposedAnswer.objects.get()
    r = client.post(f"/intake-invitations/{inv.code}/accept/", {"answer": [a.pk], "version": old_version})
    assert r.status_code == 302
    case.refresh_from_db()
    assert "in_proceedings" not in case.facts.get("proceedings", {})
    a.refresh_from_db()
    assert a.decision == "pending"
    assert "The case changed while you reviewed" in client.get(r["Location"]).content.decode()


def test_a_practitioner_value_is_never_overwritten_without_review(client, invited, alice):
    from discretion.web.cases import actions as case_actions
    from discretion.web.intake import proposal

    inv, token = invited
    c = _person(token)
    c.post("/intake/question/identity.date_of_birth/", {"answer": "1990-04-02"})
    case = Case.objects.get(pk=inv.case_id)
    facts = case.to_facts().model_copy(
        update={"identity": case.to_facts().identity.model_copy(update={"date_of_birth": date(1985, 1, 1)})}
    )
    case_actions.save_facts(case, facts=facts, base_version=case.version, section="identity", by=alice)
    case.refresh_from_db()
    assert case.facts["identity"]["date_of_birth"] == "1985-01-01"
    rows = proposal.rows(case.facts, list(inv.answers.all()))
    dob = next(r for r in rows if r.path == "identity.date_of_birth")
    assert dob.differs and dob.in_case == "January 1, 1985" and dob.proposed == "April 2, 1990"


def test_a_revoked_or_expired_link_shows_a_plain_page_and_ends_open_sessions(client, invited, alice):
    inv, token = invited
    c = _person(token)
    client.post(f"/intake-invitations/{inv.code}/revoke/")
    r = c.get("/intake/")
    assert r.status_code == 410 and b"This link was stopped" in r.content
    r = Client().get(f"/i/{token}/")
    assert r.status_code == 410 and b"This link was stopped" in r.content
    # A new link works; the old one no longer does.
    client.post(f"/intake-invitations/{inv.code}/new-link/", {"days": "3"})
    page = client.get(f"/intake-invitations/{inv.code}/").content.decode()
    new = re.search(r'id="invite-link" type="text" value="[^"]*/i/([^"/]+)/"', page).group(1)
    assert Client().get(f"/i/{token}/").status_code == 404
    _person(new)
    Invitation.objects.filter(pk=inv.pk).update(expires_at=now() - timedelta(minutes=1))
    r = Client().get(f"/i/{new}/")
    assert r.status_code == 410 and b"This link has expired" in r.content


def test_guessing_links_is_rate_limited(client, settings, db):
    settings.CLIENT_RATE_LIMIT = 18
    for _ in range(3):
        assert client.get("/i/AAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
    r = client.get("/i/AAAAAAAAAAAAAAAAAAAAAA/")
    assert r.status_code == 429 and r["Retry-After"] == "600"


def test_every_step_is_audited_without_the_answers(client, invited, alice):
    inv, token = invited
    c = _person(token)
    _answer(c, "yes")
    c.post("/intake/check/")
    summaries = list(AuditEvent.objects.filter(case=inv.case).values_list("summary", flat=True))
    assert any("Invited the person" in s for s in summaries)
    assert any("opened the intake link" in s for s in summaries)
    assert any("answered proceedings.in_proceedings" in s for s in summaries)
    assert any("sent their answers" in s for s in summaries)
    assert not any("True" in s or "yes" in s.split() for s in summaries)


def test_the_link_is_emailed_through_smtp(client, invited, mail):
    inv, token = invited
    r = client.post(f"/intake-invitations/{inv.code}/email/", {"email": "alma@example.org"})
    assert r.status_code == 302
    message = mail.wait_for(1)[0]
    assert message["To"] == "alma@example.org"
    assert f"/i/{token}/" in mail.body(message)
    inv.refresh_from_db()
    assert inv.email == "alma@example.org"


def test_other_organisations_and_read_only_members_cannot_touch_invitations(client, invited, charlie, rita):
    inv, token = invited
    client.force_login(charlie)
    assert client.get(f"/intake-invitations/{inv.code}/").status_code == 404
    assert client.post(f"/intake-invitations/{inv.code}/revoke/").status_code == 404
    client.force_login(rita)
    assert client.get(f"/intake-invitations/{inv.code}/").status_code == 200
    assert client.post(f"/intake-invitations/{inv.code}/revoke/").status_code == 403
    inv.refresh_from_db()
    assert not inv.is_revoked


@pytest.mark.slow
def test_the_summary_made_with_the_letter_is_released_to_the_person_through_the_link(client, alice, request):
    case = request.getfixturevalue("ready_case")  # test_documents' fixtures, imported above
    request.getfixturevalue("signer")
    inv, token = _invite(client, alice, case)
    c = _person(token)
    assert "Your summary" not in c.get("/intake/").content.decode()
    r = client.post(f"/intake-invitations/{inv.code}/summary/")
    assert "There is no summary to release yet" in client.get(r["Location"]).content.decode()
    client.post(f"/cases/{case.code}/documents/letter/", {"summary_en": "on", "summary_es": "on"})
    tab = client.get(f"/cases/{case.code}/documents/").content.decode()
    assert "Summary for the person" in tab and "Release the latest summaries to the person" in tab
    r = client.post(f"/intake-invitations/{inv.code}/summary/", {"next": f"/cases/{case.code}/documents/"})
    assert r["Location"] == f"/cases/{case.code}/documents/"
    assert "The person can now open their summary (EN, ES)" in client.get(r["Location"]).content.decode()
    assert sorted(inv.releases.values_list("language", flat=True)) == ["en", "es"]
    home = c.get("/intake/?lang=es").content.decode()
    assert "Su resumen está listo" in home and "Resumen en español (PDF)" in home
    pdf = c.get("/intake/summary/es/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(case=case, summary__contains="downloaded their summary (es)").exists()
    assert c.get("/intake/summary/fr/").status_code == 404
    # Another invitation of the case sees nothing until the summary is released to it too.
    other, other_token = _invite(client, alice, case)
    assert _person(other_token).get("/intake/summary/es/").status_code == 404


def test_numbers_keep_to_the_schema_bounds_and_odd_input_is_refused_plainly(invited):
    inv, token = invited
    c = _person(token)
    r = c.post("/intake/question/entry.age_at_first_entry/", {"answer": "200"})
    assert r.status_code == 400 and "Write a number of 120 or less." in r.content.decode()
    r = c.post("/intake/question/employment.years_worked_in_us/", {"answer": "-2"})
    assert r.status_code == 400 and "Write a number of 0 or more." in r.content.decode()
    r = c.post("/intake/question/employment.years_worked_in_us/", {"answer": "many"})
    assert "Write a whole number, like 3." in r.content.decode()
    r = c.post("/intake/question/identity.country_of_birth/", {"answer": "Hon\x07duras"})
    assert r.status_code == 400 and "Remove the special characters" in r.content.decode()
    r = c.post("/intake/question/identity.country_of_birth/?lang=es", {"answer": "x" * 1001})
    assert r.status_code == 400 and "Su respuesta es muy larga" in r.content.decode()
    assert c.post("/intake/question/employment.years_worked_in_us/", {"answer": "7"}).status_code == 302
    assert ProposedAnswer.objects.get(path="employment.years_worked_in_us").value == 7
    assert not ProposedAnswer.objects.filter(path="entry.age_at_first_entry").exists()


def test_what_people_sent_is_on_the_dashboard_until_reviewed(client, invited, alice):
    inv, token = invited
    c = _person(token)
    _answer(c, "yes")
    assert "Sent by people: to review" not in client.get("/").content.decode()
    c.post("/intake/check/")
    dashboard = client.get("/").content.decode()
    assert "Sent by people: to review" in dashboard and f"/intake-invitations/{inv.code}/" in dashboard
    case = Case.objects.get(pk=inv.case_id)
    client.post(f"/intake-invitations/{inv.code}/accept/", {"all": "1", "version": case.version})
    assert "Sent by people: to review" not in client.get("/").content.decode()
