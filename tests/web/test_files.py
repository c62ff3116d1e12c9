from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discretion.web.audit.models import AuditEvent
from discretion.web.files import blobs
from discretion.web.files.models import StoredFile

PDF = b"%PDF-1.4\n% a tiny test pdf\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16


def _upload(client, case, *files, **extra):
    return client.post(reverse("cases:upload", kwargs={"code": case.code}), {"file": list(files), **extra})


def test_it_stores_uploads_outside_static_and_serves_them_to_colleagues(client, alice, bob, case, settings):
    client.force_login(alice)

    r = _upload(
        client,
        case,
        SimpleUploadedFile("lease.pdf", PDF),
        SimpleUploadedFile("photo.HEIC", HEIC),
        description="Lease 2019",
    )

    assert r.status_code == 302
    pdf, heic = StoredFile.objects.order_by("id")
    assert (pdf.content_type, heic.content_type) == ("application/pdf", "image/heic")
    assert pdf.read() == PDF
    assert blobs.storage().exists(pdf.path) and pdf.path.startswith(f"org-{case.organisation_id}/")
    assert pdf.description == "Lease 2019"
    client.force_login(bob)
    r = client.get(reverse("download", kwargs={"code": pdf.code}))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF
    assert r["Content-Disposition"].startswith("attachment")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="download", user=bob).exists()


def test_it_trusts_the_bytes_not_the_name(client, alice, case):
    client.force_login(alice)
    r = _upload(
        client,
        case,
        SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"),
    )
    assert not StoredFile.objects.exists()
    r = client.get(reverse("cases:detail", kwargs={"code": case.code}))
    assert "evil.pdf is not a PDF, a photo" in r.content.decode()


def test_a_jpeg_named_pdf_is_stored_as_a_jpeg(client, alice, case):
    client.force_login(alice)
    _upload(client, case, SimpleUploadedFile("scan.pdf", JPEG))
    assert StoredFile.objects.get().content_type == "image/jpeg"


def test_it_refuses_files_over_the_limit(client, alice, case, settings):
    settings.MAX_UPLOAD_BYTES = 100
    client.force_login(alice)
    _upload(client, case, SimpleUploadedFile("big.pdf", PDF + b"x" * 200))
    assert not StoredFile.objects.exists()
    r = client.get(reverse("cases:detail", kwargs={"code": case.code}))
    assert (
        "big.pdf is larger than the 0 MB limit" in r.content.decode() or "larger than" in r.content.decode()
    )


def test_an_upload_without_a_file_names_the_field(client, alice, case):
    client.force_login(alice)
    r = _upload(client, case)
    assert r.status_code == 302
    r = client.get(reverse("cases:detail", kwargs={"code": case.code}))
    assert "File: choose at least one file" in r.content.decode()


def test_a_missing_file_on_disk_is_a_404_not_a_crash(client, alice, case):
    client.force_login(alice)
    _upload(client, case, SimpleUploadedFile("lease.pdf", PDF))
    f = StoredFile.objects.get()
    blobs.delete(f.path)
    assert client.get(reverse("download", kwargs={"code": f.code})).status_code == 404
