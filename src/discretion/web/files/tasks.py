"""Word and OpenDocument uploads converted to PDF in the background (django.tasks worker).

LibreOffice takes seconds per file and can hang on a broken one (packets/office.py gives it a
time limit), so it never runs on the request thread: the upload is stored as sent, marked
"converting", and this task makes the PDF that becomes the exhibit. The original stays in the
case's files as the source of that PDF. A file that cannot be converted is marked "failed" with
the reason, shown on the evidence page, and is never filed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction
from django.tasks import task

from discretion.errors import DiscretionError


@task
def convert_upload_task(file_id: int) -> str:
    from discretion.packets.office import convert_to_pdf
    from discretion.web.audit.log import record
    from discretion.web.audit.models import Action
    from discretion.web.files import blobs
    from discretion.web.files.models import StoredFile
    from discretion.web.files.store import store_bytes

    original = StoredFile.objects.select_related("case").filter(pk=file_id).first()
    if original is None or original.conversion != "converting":
        return "skipped"  # deleted meanwhile, or already done by an earlier attempt
    case = original.case
    try:
        with (
            blobs.local_copies([original.path]) as paths,
            tempfile.TemporaryDirectory(prefix="discretion-convert-") as out,
        ):
            pdf = convert_to_pdf(paths[original.path], Path(out), name=original.original_name)
            data = pdf.read_bytes()
    except DiscretionError as exc:
        StoredFile.objects.filter(pk=original.pk).update(
            conversion="failed", conversion_error=str(exc)[:1000]
        )
        record(
            None,
            Action.UPLOAD,
            obj=original,
            case=case,
            user=original.created_by,
            summary=f"Could not convert {original.original_name} to PDF",
        )
        return "failed"
    with transaction.atomic():
        made = store_bytes(
            data,
            name=f"{Path(original.original_name).stem or 'document'}.pdf",
            content_type="application/pdf",
            case=case,
            by=original.created_by,
            kind="evidence",
            description=original.description,
        )
        StoredFile.objects.filter(pk=made.pk).update(
            proves=original.proves,
            language=original.language,
            position=original.position,
            converted_from=original,
        )
        # The original stays in the case's files as the source of the exhibit, not as one.
        StoredFile.objects.filter(pk=original.pk).update(conversion="converted", kind="other")
        record(
            None,
            Action.UPLOAD,
            obj=made,
            case=case,
            user=original.created_by,
            summary=f"Converted {original.original_name} to PDF with LibreOffice",
        )
    return "converted"
