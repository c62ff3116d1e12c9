"""The letter edited in the browser: paragraphs saved as versions, files made from a version."""

# ruff: noqa: F811 - pytest fixtures imported from test_documents are parameters here
from __future__ import annotations

import io

from django.urls import reverse
from pypdf import PdfReader
from test_documents import ready_case, signer  # noqa: F401 - the fixtures: a case ready for a letter, Alice's signer profile

from discretion.web.audit.models import AuditEvent
from discretion.web.documents.models import GeneratedDocument, LetterVersion


def editor(case) -> str:
    return reverse("documents:editor", kwargs={"code": case.code})


def page_fields(response) -> dict[str, str]:
    """What the browser would post back: every paragraph box as shown, plus the base version."""
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name.startswith("p-")}
    data["base"] = str(form["base"].value())
    return data


def first_paragraph(response) -> tuple[str, str]:
    p, field = response.context["rows"][0]
    return field.html_name, p.text


def test_a_saved_edit_is_a_new_version_and_the_files_carry_the_words(client, alice, ready_case, signer):
    client.force_login(alice)
    page = client.get(editor(ready_case))
    assert page.status_code == 200 and page.context["shown"] is None
    name, generated = first_paragraph(page)
    data = page_fields(page) | {
        name: "On behalf of my client, I ask OPLA to dismiss these proceedings.",
        "note": "Shorter opening",
    }

    r = client.post(editor(ready_case), data)

    assert r.status_code == 302 and r["Location"].endswith("?version=1")
    version = LetterVersion.objects.get(case=ready_case)
    assert version.number == 1 and version.note == "Shorter opening" and len(version.edits) == 1
    assert version.edits[0]["base"] == generated  # the generated words it replaced, kept to compare
    assert AuditEvent.objects.filter(case=ready_case, summary__startswith="Saved letter version 1").exists()
    shown = client.get(editor(ready_case) + "?version=1")
    assert "I ask OPLA to dismiss these proceedings." in shown.content.decode()

    client.post(
        reverse("documents:letter", kwargs={"code": ready_case.code}), {"version": "1", "summary_en": "on"}
    )

    pdf = GeneratedDocument.objects.get(kind="letter_pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.file.read())).pages)
    assert "I ask OPLA to dismiss these proceedings." in " ".join(text.split())
    assert pdf.options["version"] == 1
    assert AuditEvent.objects.filter(summary__contains="from letter version 1").exists()


def test_a_save_from_an_older_page_is_a_conflict_and_keeps_what_was_typed(
    client, alice, admin, ready_case, signer
):
    client.force_login(alice)
    page = client.get(editor(ready_case))
    name, _ = first_paragraph(page)
    stale = page_fields(page)
    client.post(editor(ready_case), stale | {name: "Alice's words."})
    client.force_login(admin)

    r = client.post(editor(ready_case), stale | {name: "The admin's words, from the old page."})

    assert r.status_code == 409
    body = r.content.decode()
    assert "saved version 1 of this letter while you were editing" in body
    assert "The admin&#x27;s words, from the old page." in body  # nothing typed is lost
    assert list(LetterVersion.objects.values_list("number", flat=True)) == [1]


def test_words_a_filing_copy_cannot_hold_are_refused_next_to_the_paragraph(client, alice, ready_case, signer):
    client.force_login(alice)
    page = client.get(editor(ready_case))
    name, _ = first_paragraph(page)

    r = client.post(
        editor(ready_case), page_fields(page) | {name: "Please dismiss [check: verify the date]."}
    )

    assert r.status_code == 400 and not LetterVersion.objects.exists()
    form = r.context["form"]
    assert "preparer mark" in " ".join(form.errors[name])
    assert "Please dismiss [check: verify the date]." in r.content.decode()


def test_exposure_typed_into_the_letter_is_put_on_the_review_sheet(client, alice, ready_case, signer):
    client.force_login(alice)
    page = client.get(editor(ready_case))
    name, _ = first_paragraph(page)
    client.post(
        editor(ready_case), page_fields(page) | {name: "We explained the risks of expedited removal to her."}
    )

    shown = client.get(editor(ready_case) + "?version=1")

    review = " ".join(" ".join(i.text for i in items) for _, items in shown.context["review"])
    assert "“expedited removal”" in review and "never states the client's exposure" in review


def test_a_paralegal_without_a_signer_profile_edits_the_attorneys_letter(client, bob, ready_case, signer):
    client.force_login(bob)
    page = client.get(editor(ready_case))
    assert page.status_code == 200 and "Alice Attorney" not in page.context.get("refused", "")
    name, _ = first_paragraph(page)
    assert (
        client.post(editor(ready_case), page_fields(page) | {name: "Bob's draft opening."}).status_code == 302
    )
    assert LetterVersion.objects.get(case=ready_case).created_by == bob


def test_read_only_members_see_the_editor_but_cannot_save(client, rita, ready_case, signer):
    client.force_login(rita)
    page = client.get(editor(ready_case))
    assert page.status_code == 200
    assert client.post(editor(ready_case), page_fields(page)).status_code == 403


def test_another_organisation_never_sees_the_letter(client, charlie, ready_case, signer):
    client.force_login(charlie)
    assert client.get(editor(ready_case)).status_code == 404
    assert client.post(editor(ready_case), {"base": "0"}).status_code == 404


def test_an_unknown_version_cannot_be_filed(client, alice, ready_case, signer):
    client.force_login(alice)
    r = client.post(
        reverse("documents:letter", kwargs={"code": ready_case.code}), {"version": "7"}, follow=True
    )
    assert "letter version 7: no such version" in r.content.decode()
    assert not GeneratedDocument.objects.exists()
