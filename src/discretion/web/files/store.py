"""Accept an upload: check its size, sniff what it really is, and store it (files.blobs: the data folder or a bucket, sealed).

The browser's Content-Type and the file name are not trusted: the first bytes decide. Accepted
are the formats a PD packet can hold: PDF, JPEG, PNG, HEIC/HEIF (phone photos), TIFF, WebP, and
Word or OpenDocument text (DOCX, DOC, ODT, RTF), which an evidence upload converts to PDF in the
background (files.tasks) before it can be an exhibit.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from discretion.packets.office import OFFICE_TYPES, sniff_office
from discretion.web.files import blobs
from discretion.web.files.models import StoredFile

EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/heic": ".heic",
    "image/tiff": ".tif",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/msword": ".doc",
    "application/rtf": ".rtf",
}
ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.heif,.tif,.tiff,.webp,.docx,.doc,.odt,.rtf,image/*,application/pdf"


class UploadRejected(Exception):
    pass


def sniff(head: bytes, upload: UploadedFile | None = None) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis", b"hevc"):
        return "image/heic"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    # Word, OpenDocument and RTF: the core's sniffer (packets/office.py), which reads a zip's members.
    return sniff_office(head, upload)


def store(
    upload: UploadedFile, *, case, by, kind: str = "evidence", description: str = "", proves=None
) -> StoredFile:
    if upload.size is not None and upload.size > settings.MAX_UPLOAD_BYTES:
        mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise UploadRejected(f"{upload.name} is larger than the {mb} MB limit")
    if not upload.size:
        raise UploadRejected(f"{upload.name or 'The file'} is empty")
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    content_type = sniff(head, upload)
    if content_type is None:
        raise UploadRejected(
            f"{upload.name} is not a PDF, a photo (JPEG, PNG, HEIC, TIFF, WebP) or a Word or "
            "OpenDocument text file (.docx, .doc, .odt, .rtf)"
        )
    relative = f"org-{case.organisation_id}/{case.code}/{uuid.uuid4().hex}{EXTENSIONS[content_type]}"
    upload.seek(0)
    relative, size, sha256 = blobs.put(relative, upload.chunks())
    # Converted to PDF by LibreOffice after the upload (files.tasks), so the packet can file them.
    office = content_type in OFFICE_TYPES and kind == "evidence"
    stored = StoredFile.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        original_name=os.path.basename(upload.name or "upload")[:255],
        content_type=content_type,
        size=size,
        sha256=sha256,
        path=relative,
        description=description[:300],
        proves=list(proves or []),
        conversion="converting" if office else "",
        created_by=by,
    )
    if office:
        from discretion.web.files.tasks import convert_upload_task

        transaction.on_commit(lambda: convert_upload_task.enqueue(stored.pk))
    return stored


def store_bytes(
    data: bytes, *, name: str, content_type: str, case, by, kind: str = "generated", description: str = ""
) -> StoredFile:
    relative = (
        f"org-{case.organisation_id}/{case.code}/{uuid.uuid4().hex}{EXTENSIONS.get(content_type, '.bin')}"
    )
    relative, size, sha256 = blobs.put_bytes(relative, data)
    return StoredFile.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        original_name=name[:255],
        content_type=content_type,
        size=size,
        sha256=sha256,
        path=relative,
        description=description[:300],
        created_by=by,
    )
