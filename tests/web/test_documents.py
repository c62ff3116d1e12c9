from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from web_builders import make_case

from discretion.web.documents.models import GeneratedDocument
from discretion.web.files.models import StoredFile


def _pdf_bytes(text: str = "Exhibit") -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture
def ready_case(alpha, alice):
    return make_case(
        alpha,
        by=alice,
        assigned_to=alice,
        screen=True,
        case_id="READY-1",
        requested_action="dismissal",
        entry={"first_entry_on": "2004-11-03"},
        proceedings={"court": "Chicago", "in_proceedings": True, "next_hearing": {"date": "2027-01-05"}},
        representative={
            "name": "Alice Attorney",
            "kind": "attorney",
            "g28_filed": True,
            "eoir28_filed": True,
        },
    )


@pytest.fixture
def signer(alpha, alice):
    """Alice's saved signer profile and Alpha's letterhead: every letter's representative block."""
    from discretion.web.documents.models import Letterhead, SignerProfile

    Letterhead.objects.create(
        organisation=alpha,
        name="Alpha Legal Aid",
        address="1 Main Street, Suite 2, Chicago, IL 60601",
        phone="(312) 555-0100",
    )
    return SignerProfile.objects.create(
        user=alice,
        name="Alice Attorney",
        kind="attorney",
        bar_number="6123456",
        bar_state="Illinois",
        eoir_id="ZZ612345",
        phone="(312) 555-0101",
        email="alice@example.org",
    )


def test_the_evidence_page_shows_the_checklist(client, alice, ready_case):
    client.force_login(alice)
    r = client.get(reverse("documents:evidence", kwargs={"code": ready_case.code}))
    assert r.status_code == 200
    assert r.context["checklist"] is not None
    assert r.context["required"], "a case in proceedings needs at least an identity document"
    assert "Missing" in r.content.decode()


def test_uploading_against_an_item_marks_it_provided(client, alice, ready_case):
    client.force_login(alice)
    page = client.get(reverse("documents:evidence", kwargs={"code": ready_case.code}))
    item = page.context["required"][0]

    client.post(
        reverse("cases:upload", kwargs={"code": ready_case.code}),
        {"file": SimpleUploadedFile("id.pdf", _pdf_bytes()), "proves": item.id, "description": item.title},
    )

    f = StoredFile.objects.get(case=ready_case)
    assert f.proves == [item.id]
    page = client.get(reverse("documents:evidence", kwargs={"code": ready_case.code}))
    (again,) = [i for i in page.context["required"] if i.id == item.id]
    assert again.status == "provided" and again.exhibits == ("A",)


def test_the_exhibit_list_saves_order_and_language_and_rejects_bad_input(client, alice, ready_case):
    client.force_login(alice)
    for name in ("a.pdf", "b.pdf"):
        client.post(
            reverse("cases:upload", kwargs={"code": ready_case.code}),
            {"file": SimpleUploadedFile(name, _pdf_bytes())},
        )
    a, b = StoredFile.objects.order_by("id")
    url = reverse("documents:exhibits", kwargs={"code": ready_case.code})

    r = client.post(url, {f"position-{a.code}": "x", f"position-{b.code}": "1"}, follow=True)
    assert "Order of a.pdf: enter a whole number" in r.content.decode()
    a.refresh_from_db()
    assert a.position == 0  # nothing saved

    client.post(
        url,
        {
            f"position-{a.code}": "2",
            f"language-{a.code}": "es",
            f"description-{a.code}": "Lease (Spanish)",
            f"position-{b.code}": "1",
            f"language-{b.code}": "en",
        },
    )
    a.refresh_from_db()
    assert (a.position, a.language, a.description) == (2, "es", "Lease (Spanish)")
    page = client.get(reverse("documents:evidence", kwargs={"code": ready_case.code}))
    assert [f.original_name for _, f, _ in page.context["rows"]] == ["b.pdf", "a.pdf"]


def test_it_generates_the_letter_as_an_immutable_snapshot(client, alice, ready_case, signer):
    client.force_login(alice)

    r = client.post(
        reverse("documents:letter", kwargs={"code": ready_case.code}),
        {"summary_en": "on", "summary_es": "on"},
    )

    assert r.status_code == 302
    kinds = sorted(GeneratedDocument.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        ["letter_docx", "letter_pdf", "draft_docx", "review_pdf", "review_md", "transmittal"]
        + ["summary_pdf", "summary_docx"] * 2
    )
    pdf = GeneratedDocument.objects.get(kind="letter_pdf")
    assert pdf.file.read().startswith(b"%PDF")
    assert pdf.case_version == ready_case.version and pdf.policy_id == "stricter"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.file.read())).pages)
    assert "Alpha Legal Aid" in text and "Illinois Bar No. 6123456" in text and "EOIR ID ZZ612345" in text
    assert "[" not in text  # the filing copy carries no preparer marks
    review = GeneratedDocument.objects.get(kind="review_md").file.read().decode("utf-8")
    assert review.startswith("# Review sheet:")
    before = pdf.file.sha256
    # A later edit of the facts does not touch the generated document.
    client.post(
        reverse("cases:section", kwargs={"code": ready_case.code, "section": "identity"}),
        {"version": ready_case.version, "identity.name": "Renamed Person"},
    )
    pdf.refresh_from_db()
    assert pdf.file.sha256 == before and pdf.case_version == 1


def test_an_incomplete_representative_block_is_refused_naming_the_field(client, alice, ready_case):
    client.force_login(alice)
    r = client.post(reverse("documents:letter", kwargs={"code": ready_case.code}), follow=True)
    body = r.content.decode()
    assert "The letter was not written: the representative block is incomplete" in body
    assert "representative.bar_number" in body and "signer profile" in body
    assert not GeneratedDocument.objects.exists()


def test_the_signer_profile_is_entered_once_and_checked(client, alice):
    from discretion.web.audit.models import AuditEvent
    from discretion.web.documents.models import SignerProfile

    client.force_login(alice)
    url = reverse("signer")
    assert client.get(url).status_code == 200
    r = client.post(url, {"name": "Alice Attorney", "kind": "attorney", "eoir_id": "ZZ1"})
    assert r.status_code == 200 and "An attorney&#x27;s signature block needs it." in r.content.decode()
    assert not SignerProfile.objects.exists()
    client.post(
        url,
        {
            "name": "Alice Attorney",
            "kind": "attorney",
            "bar_number": "1",
            "bar_state": "Illinois",
            "eoir_id": "ZZ1",
        },
    )
    assert SignerProfile.objects.get(user=alice).bar_state == "Illinois"
    assert AuditEvent.objects.filter(summary="Updated the signer profile").exists()


def test_only_representatives_keep_a_signer_profile(client, bob):
    client.force_login(bob)
    assert client.get(reverse("signer")).status_code == 403


def test_the_letterhead_is_the_organisations_and_only_its_admins_change_it(client, alice, admin, alpha):
    from discretion.web.documents.models import Letterhead

    client.force_login(alice)
    assert client.post(reverse("letterhead"), {"name": "X", "address": "Y"}).status_code == 403
    client.force_login(admin)
    client.post(
        reverse("letterhead"), {"name": "Alpha Legal Aid", "address": "1 Main Street, Chicago, IL 60601"}
    )
    assert Letterhead.objects.get(organisation=alpha).name == "Alpha Legal Aid"
    client.force_login(alice)
    assert "1 Main Street, Chicago" in client.get(reverse("letterhead")).content.decode()


@pytest.fixture
def risky_case(alpha, alice):
    # The stricter test policy rates a dismissal HIGH risk when a final order was not obeyed.
    return make_case(
        alpha,
        by=alice,
        assigned_to=alice,
        screen=True,
        case_id="RISKY-1",
        requested_action="dismissal",
        entry={"first_entry_on": "2004-11-03"},
        immigration_history={"final_order": True, "failed_to_depart": True, "final_order_on": "2019-01-01"},
        proceedings={"court": "Chicago", "in_proceedings": True, "next_hearing": {"date": "2027-01-05"}},
        representative={"kind": "attorney", "g28_filed": True, "eoir28_filed": True},
    )


def test_a_high_risk_request_asks_for_a_reason_and_records_it(client, alice, risky_case, signer):
    from discretion.web.audit.models import AuditEvent

    client.force_login(alice)
    url = reverse("documents:letter", kwargs={"code": risky_case.code})
    r = client.post(url, {"send_to": ""})
    assert r.status_code == 409
    body = r.content.decode()
    assert "A final order can be executed" in body and "removal_risk" in body and "A motion to reopen" in body
    assert not GeneratedDocument.objects.exists()

    r = client.post(url, {"reason": "The client insists after advice.", "send_to": ""})
    assert r.status_code == 400  # the confirmation that the client was advised is required
    assert not GeneratedDocument.objects.exists()

    r = client.post(url, {"reason": "The client insists after advice.", "confirm": "on", "send_to": ""})
    assert r.status_code == 302
    pdf = GeneratedDocument.objects.get(kind="letter_pdf")
    assert pdf.options["override"]["reason"] == "The client insists after advice."
    assert pdf.options["override"]["risks"] == ["removal_risk"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.file.read())).pages)
    assert "insists" not in text  # the decision is never in the letter
    review = GeneratedDocument.objects.get(kind="review_md").file.read().decode("utf-8")
    assert "The client insists after advice." in review
    assert AuditEvent.objects.filter(summary__contains="HIGH-risk override for the letter").exists()


def test_only_a_representative_can_override_a_high_risk(client, bob, risky_case, signer):
    client.force_login(bob)
    url = reverse("documents:letter", kwargs={"code": risky_case.code})
    r = client.post(url, {"reason": "Staff think it is fine.", "confirm": "on"})
    assert r.status_code == 403
    assert not GeneratedDocument.objects.exists()


def test_a_letter_without_a_requested_action_says_so(client, alice, case):
    client.force_login(alice)
    r = client.post(reverse("documents:letter", kwargs={"code": case.code}), follow=True)
    assert "The letter was not written" in r.content.decode()
    assert "requested_action" in r.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_a_packet_needs_exhibits(client, alice, ready_case):
    client.force_login(alice)
    r = client.post(reverse("documents:packet", kwargs={"code": ready_case.code}), follow=True)
    assert "a packet needs at least one exhibit" in r.content.decode()


def test_it_builds_the_packet_in_a_task(
    client, alice, ready_case, signer, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    client.post(
        reverse("cases:upload", kwargs={"code": ready_case.code}),
        {"file": SimpleUploadedFile("lease.pdf", _pdf_bytes()), "description": "Lease"},
    )

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("documents:packet", kwargs={"code": ready_case.code}))

    assert r.status_code == 302
    doc = GeneratedDocument.objects.get(kind="packet")
    assert doc.status in ("done", "failed")
    if doc.status == "failed":
        pytest.fail(f"packet failed: {doc.error}")
    assert doc.file.read().startswith(b"%PDF")
    assert doc.preflight is not None
    page = client.get(reverse("documents:list", kwargs={"code": ready_case.code}), HTTP_HX_REQUEST="true")
    assert page.content.decode().lstrip().startswith('<section id="doc-list"')
    assert "Filing packet" in page.content.decode()


def test_a_certified_translation_is_filed_with_its_exhibit(client, alice, ready_case):
    from discretion.web.documents.actions import exhibit_files, exhibits_for

    client.force_login(alice)
    for name in ("acta.pdf", "translation.pdf"):
        client.post(
            reverse("cases:upload", kwargs={"code": ready_case.code}),
            {"file": SimpleUploadedFile(name, _pdf_bytes())},
        )
    acta, tr = StoredFile.objects.order_by("id")
    url = reverse("documents:exhibits", kwargs={"code": ready_case.code})
    base = {f"position-{acta.code}": "1", f"position-{tr.code}": "2", f"language-{tr.code}": "en"}

    client.post(url, base | {f"language-{acta.code}": "es"})
    page = client.get(reverse("documents:evidence", kwargs={"code": ready_case.code}))
    assert "needs certified translation" in page.content.decode()

    client.post(url, base | {f"language-{acta.code}": "es", f"translation-{acta.code}": str(tr.code)})

    assert [f.original_name for f in exhibit_files(ready_case)] == ["acta.pdf"]
    (exhibit,) = exhibits_for(ready_case)
    assert exhibit.translation.name == tr.stored_name and not (
        exhibit.needs_translation and exhibit.translation is None
    )


def test_a_file_cannot_translate_itself(client, alice, ready_case):
    client.force_login(alice)
    client.post(
        reverse("cases:upload", kwargs={"code": ready_case.code}),
        {"file": SimpleUploadedFile("a.pdf", _pdf_bytes())},
    )
    a = StoredFile.objects.get()
    r = client.post(
        reverse("documents:exhibits", kwargs={"code": ready_case.code}),
        {f"position-{a.code}": "1", f"language-{a.code}": "es", f"translation-{a.code}": str(a.code)},
        follow=True,
    )
    assert "Certified translation of a.pdf: choose another uploaded file" in r.content.decode()
    a.refresh_from_db()
    assert a.language == "en"  # nothing saved


def test_preflight_runs_on_demand_without_building(client, alice, ready_case):
    client.force_login(alice)
    url = reverse("documents:list", kwargs={"code": ready_case.code})
    r = client.get(url, {"check": "1"})
    assert r.context["check"]["problem"] == "No exhibits yet: upload evidence files first."
    client.post(
        reverse("cases:upload", kwargs={"code": ready_case.code}),
        {"file": SimpleUploadedFile("acta.pdf", _pdf_bytes()), "description": "Birth certificate"},
    )
    StoredFile.objects.update(language="es")

    r = client.get(url, {"check": "1"})

    findings = r.context["check"]["findings"]
    assert any("translation" in f["message"] for f in findings)
    assert not GeneratedDocument.objects.exists()


def test_preflight_names_files_as_uploaded_not_as_stored(client, alice, ready_case):
    client.force_login(alice)
    client.post(
        reverse("cases:upload", kwargs={"code": ready_case.code}),
        {"file": SimpleUploadedFile("acta.pdf", _pdf_bytes())},
    )
    StoredFile.objects.update(language="es")
    stored = StoredFile.objects.get().stored_name

    r = client.get(reverse("documents:list", kwargs={"code": ready_case.code}), {"check": "1"})

    text = " ".join(f["subject"] + " " + f["message"] for f in r.context["check"]["findings"])
    assert stored not in text
    assert "acta.pdf" in text
    assert "exhibits.yaml" not in text


def test_a_read_only_member_sees_the_exhibit_list_with_every_control_disabled(
    client, alice, rita, ready_case
):
    import re

    client.force_login(alice)
    client.post(
        reverse("cases:upload", kwargs={"code": ready_case.code}),
        {"file": SimpleUploadedFile("lease.pdf", _pdf_bytes())},
    )
    url = reverse("documents:evidence", kwargs={"code": ready_case.code})

    def exhibit_form(body: str) -> str:
        return re.search(r"<form[^>]*evidence/exhibits/.*?</form>", body, re.S).group(0)

    mine = exhibit_form(client.get(url).content.decode())
    assert "<fieldset>" in mine and "save-exhibits" in mine

    client.force_login(rita)
    theirs = exhibit_form(client.get(url).content.decode())
    assert "lease.pdf" in theirs
    assert re.search(r"<fieldset disabled", theirs)
    assert theirs.index("<fieldset disabled") < theirs.index('name="position-')
    assert theirs.index('name="proves-') < theirs.index("</fieldset>")
    assert "save-exhibits" not in theirs
