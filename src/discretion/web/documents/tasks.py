"""Background work (django.tasks; the DB worker runs it under `discretion serve`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.db import transaction
from django.tasks import task
from django.utils.timezone import now

from discretion.errors import DiscretionError
from discretion.web.documents.models import DocStatus, GeneratedDocument
from discretion.web.worker.lease import on_abandoned

PACKET_TEMP_PREFIX = "discretion-web-packet-"  # + pid: swept when that worker is dead


def _progress(doc: GeneratedDocument, text: str, **fields) -> None:
    GeneratedDocument.objects.filter(pk=doc.pk).update(progress=text[:200], **fields)


@task
def build_packet_task(document_id: int) -> str:
    """Build the filing packet for one GeneratedDocument. Idempotent: a finished one is left alone."""
    from discretion.packets import bates_prefix_of, build_packet, caption_of, run_preflight
    from discretion.packets.cover import letter_pdf, required_items
    from discretion.screening import Screening
    from discretion.web.audit.log import record
    from discretion.web.audit.models import Action
    from discretion.web.cases.policy import catalogue
    from discretion.web.documents.actions import (
        _override,
        local_exhibits,
        representative_block,
        version_edits,
        web_findings,
    )
    from discretion.web.documents.models import LetterVersion, SignerProfile
    from discretion.web.files.store import store_bytes

    doc = GeneratedDocument.objects.select_related("case", "screening", "created_by").get(pk=document_id)
    if doc.status not in (DocStatus.QUEUED, DocStatus.RUNNING):
        return doc.status
    case = doc.case
    _progress(doc, "Checking the exhibits", status=DocStatus.RUNNING)
    try:
        facts = case.to_facts()
        screening = Screening.from_dict(doc.screening.result)
        # Exhibits come out of the storage (a bucket, sealed) into a private temporary folder
        # for the length of the build, and the packet goes back into it.
        with (
            local_exhibits(case) as exhibits,
            tempfile.TemporaryDirectory(prefix=f"{PACKET_TEMP_PREFIX}{os.getpid()}-") as tmp,
        ):
            required = required_items(facts, screening, on=doc.screening.on)
            check = run_preflight(exhibits, required=required)
            findings = web_findings(case, check.findings)
            _progress(doc, "Writing the cover letter", preflight=findings)
            signer = (
                SignerProfile.objects.filter(pk=doc.options.get("signer")).first()
                if doc.options.get("signer")
                else None
            )
            rep, letterhead = representative_block(case, facts, signer)
            options = {
                "representative": rep,
                "letterhead": letterhead,
                "override": _override(doc.options),
                "send_to": doc.options.get("send_to"),
                "edits": version_edits(
                    LetterVersion.objects.filter(case=case, number=doc.options["version"]).first()
                    if doc.options.get("version")
                    else None
                ),
            }
            policy = catalogue().get(doc.policy_id)

            def cover(placed):
                # Again once the packet's page numbers are known, so the letter cites them.
                return letter_pdf(facts, screening, policy, on=doc.screening.on, exhibits=placed, **options)

            _progress(doc, f"Assembling {len(exhibits)} exhibits")
            out = Path(tmp) / "packet.pdf"
            report = build_packet(
                cover,
                exhibits,
                caption=caption_of(facts),
                bates_prefix=bates_prefix_of(facts),
                out_path=out,
                preflight=check,
            )
            data = out.read_bytes()
        name = f"PD packet {case.reference or case.name} {doc.screening.on}.pdf"
        with transaction.atomic():
            f = store_bytes(
                data,
                name=name,
                content_type="application/pdf",
                case=case,
                by=doc.created_by,
                description="Generated filing packet",
            )
            _progress(
                doc,
                f"{report.pages} pages, {report.size / 1024 / 1024:.1f} MB",
                status=DocStatus.DONE,
                file=f,
                finished=now(),
                exhibits=[
                    {"tab": e.tab, "description": e.description, "pages": e.pages, "first_page": e.first_page}
                    for e in report.exhibits
                ],
            )
            record(
                None,
                Action.GENERATE,
                obj=doc,
                case=case,
                user=doc.created_by,
                summary=f"Built the filing packet ({report.pages} pages)",
            )
        return DocStatus.DONE
    except DiscretionError as exc:
        _progress(doc, "Could not build the packet", status=DocStatus.FAILED, error=str(exc), finished=now())
        return DocStatus.FAILED
    except Exception as exc:  # the page must show a failure, never spin forever
        _progress(
            doc,
            "Could not build the packet",
            status=DocStatus.FAILED,
            finished=now(),
            error=f"unexpected error ({type(exc).__name__}); the administrator can see the worker log",
        )
        raise


@on_abandoned(build_packet_task)
def _packet_worker_lost(args: list, kwargs: dict, *, attempts: int, final: bool) -> None:
    """The worker building this packet died: say so on the documents page, never spin forever."""
    document_id = (args or [kwargs.get("document_id")])[0]
    active = GeneratedDocument.objects.filter(
        pk=document_id, status__in=(DocStatus.QUEUED, DocStatus.RUNNING)
    )
    if final:
        active.update(
            status=DocStatus.FAILED,
            progress="Could not build the packet",
            finished=now(),
            error=f"the background worker stopped while building this packet ({attempts} attempts); "
            "request the packet again, and tell the administrator if it keeps happening",
        )
    else:
        active.update(status=DocStatus.QUEUED, progress="The worker stopped; waiting to build it again")
