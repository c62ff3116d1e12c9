"""Uploads, letters and packets in a real S3-compatible bucket (SeaweedFS on loopback).

The packet worker reads the exhibits out of the bucket and writes the packet back into it; every
download still checks the organisation; nothing is written to the data folder.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from web_builders import make_case

from discretion.web.documents.models import GeneratedDocument
from discretion.web.files import blobs
from discretion.web.files.models import StoredFile

pytestmark = pytest.mark.usefixtures("s3_storage")


def _pdf(marker: str) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    pdf.docinfo["/Title"] = marker
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
        case_id="S3-1",
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
    from discretion.web.documents.models import Letterhead, SignerProfile

    Letterhead.objects.create(organisation=alpha, name="Alpha Legal Aid", address="1 Main St, Chicago, IL 60601")
    return SignerProfile.objects.create(
        user=alice,
        name="Alice Attorney",
        bar_number="6123456",
        bar_state="Illinois",
        eoir_id="ZZ612345",
        phone="(312) 555-0101",
        email="alice@example.org",
    )


def test_uploads_go_to_the_bucket_and_download_only_inside_the_organisation(
    client, alice, charlie, ready_case, s3_storage, settings
):
    client.force_login(alice)
    lease = _pdf("lease-in-the-bucket")
    client.post(
        reverse("cases:upload", kwargs={"code": ready_case.code}),
        {"file": SimpleUploadedFile("lease.pdf", lease)},
    )

    f = StoredFile.objects.get()
    objects = s3_storage.objects(s3_storage.prefix)
    assert list(objects) == [f"{s3_storage.prefix}/{f.path}"]
    assert blobs.read(f.path) == lease
    assert not (settings.MEDIA_ROOT).exists() or not any(settings.MEDIA_ROOT.rglob("*.pdf"))

    r = client.get(reverse("download", kwargs={"code": f.code}))
    assert r.status_code == 200 and b"".join(r.streaming_content) == lease
    assert r["Content-Length"] == str(len(lease))

    client.force_login(charlie)  # another organisation: the same 404 as a file that does not exist
    assert client.get(reverse("download", kwargs={"code": f.code})).status_code == 404


def test_a_packet_is_built_from_the_bucket_into_the_bucket(
    client, alice, ready_case, signer, s3_storage, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    for name in ("lease.pdf", "tax-return.pdf"):
        client.post(
            reverse("cases:upload", kwargs={"code": ready_case.code}),
            {"file": SimpleUploadedFile(name, _pdf(name)), "description": name},
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:packet", kwargs={"code": ready_case.code}))

    doc = GeneratedDocument.objects.get(kind="packet")
    assert doc.status == "done", doc.error
    key = f"{s3_storage.prefix}/{doc.file.path}"
    assert key in s3_storage.objects(s3_storage.prefix)
    packet = blobs.read(doc.file.path)  # sealed in the bucket when encryption is on
    assert packet.startswith(b"%PDF")
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(packet)).pages) >= 3  # cover letter, two exhibits
    r = client.get(reverse("download", kwargs={"code": doc.file.code}))
    assert b"".join(r.streaming_content) == packet


def test_a_file_missing_from_the_bucket_is_a_404(client, alice, ready_case, s3_storage):
    client.force_login(alice)
    client.post(
        reverse("cases:upload", kwargs={"code": ready_case.code}),
        {"file": SimpleUploadedFile("a.pdf", _pdf("a"))},
    )
    f = StoredFile.objects.get()
    s3_storage.client().delete_object(Bucket=s3_storage.bucket, Key=f"{s3_storage.prefix}/{f.path}")
    assert client.get(reverse("download", kwargs={"code": f.code})).status_code == 404
