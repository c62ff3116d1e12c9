"""Word and OpenDocument uploads become PDF exhibits by LibreOffice, off the request thread; a
packet waits for them and never files one that could not be converted; a failed build can be
taken off the list."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from web_builders import make_case

from discretion.web.audit.models import AuditEvent
from discretion.web.documents.models import GeneratedDocument
from discretion.web.files.models import StoredFile

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is installed by ./dev setup"
)


def word_file(text: str) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading("Letter of support", 1)
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def odt_file() -> bytes:
    """A minimal OpenDocument text file, as LibreOffice writes them (mimetype first, stored)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            "<office:body><office:text><text:p>Pastor's letter for the Respondent</text:p></office:text>"
            "</office:body></office:document-content>",
        )
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return out.getvalue()


@pytest.fixture
def ready_case(alpha, alice):
    return make_case(
        alpha, by=alice, assigned_to=alice, screen=True, case_id="WORD-1", requested_action="dismissal",
        proceedings={"court": "Chicago", "in_proceedings": True},
    )  # fmt: skip


def upload(client, case, name, data, capture, **extra):
    with capture(execute=True):
        return client.post(
            reverse("cases:upload", kwargs={"code": case.code}),
            {
                "file": SimpleUploadedFile(name, data),
                "description": "Letter of support from Pastor Ruiz",
                **extra,
            },
        )


def test_a_word_upload_becomes_a_pdf_exhibit_with_its_description(
    client, alice, ready_case, django_capture_on_commit_callbacks
):
    from discretion.web.documents.actions import exhibit_files

    client.force_login(alice)
    upload(
        client,
        ready_case,
        "carta pastor.docx",
        word_file("I have known her for ten years."),
        django_capture_on_commit_callbacks,
        proves="support_letters",
    )

    original = StoredFile.objects.get(original_name="carta pastor.docx")
    assert original.conversion == "converted" and original.kind == "other"  # kept as the source
    (exhibit,) = exhibit_files(ready_case)
    assert exhibit.original_name == "carta pastor.pdf" and exhibit.content_type == "application/pdf"
    assert exhibit.converted_from == original and exhibit.description == "Letter of support from Pastor Ruiz"
    assert exhibit.proves == ["support_letters"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(exhibit.read())).pages)
    assert "I have known her for ten years." in text
    assert AuditEvent.objects.filter(summary="Converted carta pastor.docx to PDF with LibreOffice").exists()


def test_an_opendocument_upload_is_converted_too(
    client, alice, ready_case, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    upload(client, ready_case, "pastor.odt", odt_file(), django_capture_on_commit_callbacks)
    made = StoredFile.objects.get(original_name="pastor.pdf")
    assert "Pastor's letter" in PdfReader(io.BytesIO(made.read())).pages[0].extract_text()


def test_a_word_file_that_cannot_be_converted_blocks_the_packet_until_taken_off(
    client, alice, ready_case, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    # A zip the sniffer takes for Word (it has word/document.xml) whose document is not XML.
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<not really word")
        z.writestr("[Content_Types].xml", "<Types/>")
    upload(client, ready_case, "broken.docx", out.getvalue(), django_capture_on_commit_callbacks)

    original = StoredFile.objects.get(original_name="broken.docx")
    assert original.conversion == "failed" and "broken.docx" in original.conversion_error
    documents = client.get(reverse("documents:list", kwargs={"code": ready_case.code}))
    assert documents.context["check"]["errors"] == 1
    assert 'id="build-packet" formaction' in documents.content.decode()
    assert "disabled" in documents.content.decode().split('id="build-packet"')[1].split(">")[0]
    assert "upload a PDF of it" in documents.content.decode()
    refused = client.post(reverse("documents:packet", kwargs={"code": ready_case.code}), follow=True)
    assert "broken.docx" in refused.content.decode() and not GeneratedDocument.objects.exists()
    evidence = client.get(reverse("documents:evidence", kwargs={"code": ready_case.code}))
    assert "not converted" in evidence.content.decode()

    client.post(
        reverse("documents:conversion_dismiss", kwargs={"code": ready_case.code}),
        {"file": str(original.code)},
    )

    original.refresh_from_db()
    assert original.kind == "other"
    after = client.get(reverse("documents:list", kwargs={"code": ready_case.code}))
    assert after.context["check"] is None or after.context["check"]["errors"] == 0


def test_a_failed_build_can_be_removed_and_a_finished_one_cannot(client, alice, rita, ready_case):
    from discretion.web.cases.models import ScreeningRecord

    snap = ScreeningRecord.objects.filter(case=ready_case).first()
    fields = {
        "case": ready_case,
        "screening": snap,
        "case_version": 1,
        "facts_digest": "x",
        "policy_id": "p",
        "policy_sha256": "y",
    }
    failed = GeneratedDocument.objects.create(
        kind="packet", status="failed", error="exhibit C is damaged", **fields
    )
    done = GeneratedDocument.objects.create(kind="packet", status="done", **fields)
    client.force_login(rita)
    assert client.post(reverse("documents:remove", kwargs={"code": failed.code})).status_code == 403
    client.force_login(alice)
    page = client.get(reverse("documents:list", kwargs={"code": ready_case.code}))
    assert (
        f'id="remove-{failed.code}"' in page.content.decode()
        and f'id="remove-{done.code}"' not in page.content.decode()
    )

    client.post(reverse("documents:remove", kwargs={"code": failed.code}))
    r = client.post(reverse("documents:remove", kwargs={"code": done.code}), follow=True)

    assert list(GeneratedDocument.objects.values_list("status", flat=True)) == ["done"]
    assert "only a failed build can be removed" in r.content.decode()
    assert AuditEvent.objects.filter(summary__startswith="Removed a failed").exists()
