"""Make letters and packets from a case's facts, files and latest screening snapshot."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.timezone import now

from discretion.errors import DiscretionError, DocumentError
from discretion.exhibits import Exhibit
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases import actions as case_actions
from discretion.web.cases.models import Case, ScreeningRecord
from discretion.web.documents.models import DocKind, DocStatus, GeneratedDocument
from discretion.web.files.models import StoredFile
from discretion.web.files.store import store_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def tab_letter(index: int) -> str:
    from discretion.packets import tab_letter as core_tab_letter

    return core_tab_letter(index)


def exhibit_files(case: Case):
    """Evidence files filed as exhibits, in order. A translation is filed with its exhibit, not as one."""
    return list(
        StoredFile.objects.filter(case=case, kind="evidence", translation_of__isnull=True)
        .prefetch_related("translations")
        .order_by("position", "created", "id")
    )


def translation_files(case: Case):
    return list(StoredFile.objects.filter(case=case, kind="evidence", translation_of__isnull=False))


def exhibits_for(case: Case) -> list[Exhibit]:
    """The case's evidence files as core Exhibits, tabbed A, B, C... in the chosen order."""
    out = []
    for i, f in enumerate(exhibit_files(case)):
        out.append(
            Exhibit(
                tab=tab_letter(i),
                description=f.description or f.original_name,
                file=f.absolute_path,
                proves=tuple(f.proves or ()),
                language=f.language or "en",
                translation=next(
                    (t.absolute_path for t in f.translations.all() if t.kind == "evidence"), None
                ),
            )
        )
    return out


def current_screening(case: Case, *, by, request=None) -> ScreeningRecord:
    """The latest snapshot if it matches the current facts; otherwise screen again first."""
    snap = case.latest_screening()
    if snap is None or snap.case_version != case.version:
        snap = case_actions.screen_case(case, by=by, on=snap.on if snap else None, request=request)
    return snap


def checklist(case: Case):
    """(checklist or None, message). The checklist follows the latest snapshot."""
    from discretion.evidence import build_checklist
    from discretion.screening import Screening

    snap = case.latest_screening()
    try:
        screening = Screening.from_dict(snap.result) if snap else None
        built = build_checklist(case.to_facts(), screening, on=snap.on if snap else None)
        return built.with_exhibits(exhibits_for(case)), ""
    except DiscretionError as exc:
        return None, str(exc)


def _snapshot_fields(case: Case, snap: ScreeningRecord) -> dict[str, Any]:
    return {
        "case": case,
        "screening": snap,
        "case_version": case.version,
        "facts_digest": snap.facts_digest,
        "policy_id": snap.policy_id,
        "policy_sha256": snap.policy_sha256,
    }


def generate_letter(case: Case, *, by, request=None) -> list[GeneratedDocument]:
    """The request letter as DOCX and PDF, stored as snapshots. Raises DiscretionError."""
    from discretion.letters import build_letter, render_docx, render_pdf
    from discretion.screening import Screening
    from discretion.web.cases.policy import catalogue

    snap = current_screening(case, by=by, request=request)
    policy = catalogue().get(snap.policy_id)
    if policy.sha256 != snap.policy_sha256:
        snap = case_actions.screen_case(case, by=by, on=snap.on, request=request)
        policy = catalogue().get(snap.policy_id)
    exhibits = exhibits_for(case)
    letter = build_letter(
        case.to_facts(), Screening.from_dict(snap.result), policy, on=snap.on, exhibits=exhibits
    )
    docx, pdf = render_docx(letter), render_pdf(letter)
    base = f"PD request {case.reference or case.name or 'letter'} {snap.on}".strip()
    exhibit_list = [{"tab": e.tab, "description": e.description} for e in exhibits]
    docs = []
    with transaction.atomic():
        for kind, data, ctype, ext in (
            (DocKind.LETTER_DOCX, docx, DOCX, "docx"),
            (DocKind.LETTER_PDF, pdf, "application/pdf", "pdf"),
        ):
            f = store_bytes(
                data,
                name=f"{base}.{ext}",
                content_type=ctype,
                case=case,
                by=by,
                description=f"Generated {DocKind(kind).label}",
            )
            docs.append(
                GeneratedDocument.objects.create(
                    kind=kind,
                    status=DocStatus.DONE,
                    file=f,
                    warnings=list(letter.warnings),
                    exhibits=exhibit_list,
                    finished=now(),
                    created_by=by,
                    **_snapshot_fields(case, snap),
                )
            )
        record(
            request,
            Action.GENERATE,
            obj=docs[0],
            case=case,
            user=by,
            summary=f"Generated the request letter under {snap.policy_id}",
        )
    return docs


def queue_packet(case: Case, *, by, request=None) -> GeneratedDocument:
    """Record a packet to build and hand it to the background worker."""
    from discretion.web.documents.tasks import build_packet_task

    if not exhibit_files(case):
        raise DocumentError("a packet needs at least one exhibit: upload evidence files first")
    snap = current_screening(case, by=by, request=request)
    doc = GeneratedDocument.objects.create(
        kind=DocKind.PACKET, created_by=by, progress="Waiting for the worker", **_snapshot_fields(case, snap)
    )
    record(request, Action.GENERATE, obj=doc, case=case, user=by, summary="Queued the filing packet")
    transaction.on_commit(lambda: build_packet_task.enqueue(doc.pk))
    return doc


def preflight(case: Case) -> tuple[list[dict[str, str]], str]:
    """The packet preflight report for the current exhibits, without building anything."""
    from discretion.packets import run_preflight
    from discretion.packets.cover import required_items
    from discretion.screening import Screening

    exhibits = exhibits_for(case)
    if not exhibits:
        return [], "No exhibits yet: upload evidence files first."
    snap = case.latest_screening()
    try:
        screening = Screening.from_dict(snap.result) if snap else None
        required = required_items(case.to_facts(), screening, on=snap.on if snap else None)
        check = run_preflight(exhibits, required=required)
    except DiscretionError as exc:
        return [], str(exc)
    order = {"error": 0, "warning": 1, "note": 2}
    findings = sorted(check.findings, key=lambda f: order.get(f.severity, 3))
    return web_findings(case, findings), ""


# The core's preflight speaks to CLI users (file names on disk, exhibits.yaml); say it the web's way.
CLI_HINTS = {
    "Add it as translation: in exhibits.yaml": "Choose its certified translation in the exhibit list.",
    "add it, or list the item under proves: of the exhibit that covers it": "upload it against the checklist item, or mark which exhibit proves it",
}


def web_findings(case: Case, findings) -> list[dict[str, str]]:
    names = {f.absolute_path.name: f.original_name for f in StoredFile.objects.filter(case=case)}

    def plain(text: str) -> str:
        for stored, original in names.items():
            text = text.replace(stored, original)
        for cli, web in CLI_HINTS.items():
            text = text.replace(cli, web)
        return text

    return [
        {"severity": f.severity, "subject": plain(f.subject), "message": plain(f.message)} for f in findings
    ]
