"""Make letters and packets from a case's facts, files and latest screening snapshot."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.timezone import localdate, now

from discretion.errors import DiscretionError, DocumentError
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts
from discretion.web.accounts.models import REPRESENTATIVE_ROLES
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases import actions as case_actions
from discretion.web.cases.models import Case, ScreeningRecord
from discretion.web.documents.forms import LetterheadForm, SignerProfileForm
from discretion.web.documents.models import (
    DocKind,
    DocStatus,
    GeneratedDocument,
    Letterhead,
    LetterVersion,
    SignerProfile,
)
from discretion.web.files import blobs
from discretion.web.files.models import StoredFile
from discretion.web.files.store import store_bytes
from discretion.web.lib import concurrency

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def tab_letter(index: int) -> str:
    from discretion.packets import tab_letter as core_tab_letter

    return core_tab_letter(index)


def exhibit_files(case: Case):
    """Evidence files filed as exhibits, in order. A translation is filed with its exhibit, not as one."""
    return list(
        StoredFile.objects.filter(case=case, kind="evidence", translation_of__isnull=True)
        .exclude(conversion__in=("converting", "failed"))
        .prefetch_related("translations")
        .order_by("position", "created", "id")
    )


def _exhibit_states(case: Case) -> dict[str, tuple[str, str]]:
    """Each exhibit as the list shows it: tab, description, language, translation, what it proves."""
    states = {}
    for i, f in enumerate(exhibit_files(case)):
        tr = next(iter(f.translations.all()), None)
        parts = [
            f"tab {tab_letter(i)}",
            f"“{f.description or f.original_name}”",
            f"language {f.language or 'en'}",
        ]
        if tr is not None:
            parts.append(f"translation {tr.original_name}")
        if f.proves:
            parts.append("proves " + ", ".join(f.proves))
        if f.rotation:
            parts.append(f"turned {f.rotation}°")
        states[str(f.code)] = (f.original_name, "; ".join(parts))
    return states


def _exhibit_state(states: dict[str, tuple[str, str]], *, key: str) -> str:
    return states[key][1]


def _exhibit_fields(states: dict[str, tuple[str, str]]) -> concurrency.Fields:
    return concurrency.Fields(
        {key: (f"Exhibit {name}", partial(_exhibit_state, key=key)) for key, (name, _) in states.items()}
    )


def exhibit_fields(case: Case) -> str:
    """The exhibit form's ``opened`` value (lib/concurrency.py)."""
    states = _exhibit_states(case)
    return _exhibit_fields(states).seal(states)


def save_exhibits(
    case: Case, updates, links, *, opened: str | None, by, request=None, turns: dict[int, int] | None = None
) -> None:
    """Order, descriptions, languages, translations and what each proves, all at once.

    Raises concurrency.Stale if an exhibit changed (or a new one came) since the form was opened.
    """
    with transaction.atomic():
        Case.objects.select_for_update().only("pk").get(pk=case.pk)  # one exhibit save per case at a time
        states = _exhibit_states(case)
        _exhibit_fields(states).check(opened, states, by=concurrency.last_editor(case))
        for f, pos, lang, description, proves, remove in updates:
            kind = "other" if remove else "evidence"  # removed from the packet, kept in the file list
            StoredFile.objects.filter(pk=f.pk).update(
                position=pos, language=lang, description=description, proves=proves, kind=kind
            )
            if turns is not None:  # degrees clockwise the pages are turned in the packet
                StoredFile.objects.filter(pk=f.pk).update(rotation=turns.get(f.pk, 0))
            # One translation per exhibit: unlink the old one, link the chosen one.
            StoredFile.objects.filter(translation_of=f).exclude(pk=links[f.pk]).update(translation_of=None)
            if links[f.pk]:
                StoredFile.objects.filter(pk=links[f.pk]).update(translation_of=f, language="en")
        record(request, Action.CHANGE, case=case, user=by, summary="Updated the exhibit list")


def translation_files(case: Case):
    return list(StoredFile.objects.filter(case=case, kind="evidence", translation_of__isnull=False))


def pending_conversions(case: Case):
    """Word and OpenDocument uploads not yet exhibits: being converted, or failed."""
    return list(
        StoredFile.objects.filter(
            case=case, kind="evidence", conversion__in=("converting", "failed")
        ).order_by("created", "id")
    )


def exhibits_for(case: Case, paths: dict[str, Path] | None = None) -> list[Exhibit]:
    """The case's evidence files as core Exhibits, tabbed A, B, C... in the chosen order.

    Without ``paths`` an exhibit's file is only its stored name (the checklist and the letter
    never open it); code that reads the files uses ``local_exhibits``."""

    def where(f: StoredFile) -> Path:
        return paths[f.path] if paths is not None else Path(f.stored_name)

    out = []
    for i, f in enumerate(exhibit_files(case)):
        out.append(
            Exhibit(
                tab=tab_letter(i),
                description=f.description or f.original_name,
                file=where(f),
                proves=tuple(f.proves or ()),
                language=f.language or "en",
                translation=next((where(t) for t in f.translations.all() if t.kind == "evidence"), None),
                turn=f.rotation,
            )
        )
    return out


@contextlib.contextmanager
def local_exhibits(case: Case) -> Iterator[list[Exhibit]]:
    """The exhibits with readable clear files on disk (copied out of the storage when sealed or in
    a bucket), for the length of the block: the core's preflight and packet builder read paths."""
    files = exhibit_files(case)
    names = [f.path for f in files] + [t.path for f in files for t in f.translations.all()]
    with blobs.local_copies(names) as paths:
        yield exhibits_for(case, paths)


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


# --- who signs -----------------------------------------------------------------------------


def signers(case: Case) -> list[SignerProfile]:
    """The saved signer profiles of the organisation's representatives, for the 'Signed by' choice."""
    return list(
        SignerProfile.objects.filter(
            user__membership__organisation=case.organisation,
            user__is_active=True,
            user__membership__role__in=REPRESENTATIVE_ROLES,
        ).order_by("name")
    )


def signer_for(case: Case, by, signer_id: str | int | None = None) -> SignerProfile | None:
    if signer_id:
        return next((p for p in signers(case) if str(p.pk) == str(signer_id)), None)
    return SignerProfile.objects.filter(user=by).first()


def representative_block(case: Case, facts: CaseFacts, signer: SignerProfile | None):
    """The representative and letterhead lines for the letter: the signer's saved profile and the
    organisation's letterhead when there are, else the case file's representative section. The
    G-28 and EOIR-28 status stays the case's own."""
    letterhead = Letterhead.objects.filter(organisation=case.organisation).first()
    rep = facts.representative
    if signer is None and letterhead is None:
        return rep, None
    update: dict[str, Any] = {}
    if signer is not None:
        update |= {
            "name": signer.name,
            "kind": signer.kind,
            "bar_number": signer.bar_number or None,
            "bar_state": signer.bar_state or None,
            "eoir_id": signer.eoir_id or None,
            "phone": signer.phone or rep.phone,
            "email": signer.email or rep.email,
        }
    if letterhead is not None:
        update |= {
            "organisation": letterhead.name,
            "address": letterhead.address,
            "phone": update.get("phone") or letterhead.phone or rep.phone,
            "email": update.get("email") or letterhead.email or rep.email,
        }
    merged = rep.model_copy(update=update)
    lines = None
    if letterhead is not None:
        contact = " · ".join(
            x for x in (f"Tel. {letterhead.phone}" if letterhead.phone else None, letterhead.email) if x
        )
        lines = tuple(x for x in (letterhead.name, letterhead.address, contact) if x)
    return merged, lines


# --- the HIGH-risk decision -----------------------------------------------------------------


def request_risks(case: Case, *, by, request=None) -> dict[str, Any] | None:
    """The HIGH risks of the requested action for this case and the safer asks, or None."""
    from discretion.letters import high_risks, safer_asks
    from discretion.letters.wording import wording
    from discretion.screening import Screening
    from discretion.web.cases.policy import catalogue

    facts = case.to_facts()
    if facts.requested_action is None:
        return None
    snap = current_screening(case, by=by, request=request)
    screening = Screening.from_dict(snap.result)
    found = high_risks(screening, facts.requested_action.value)
    if not found:
        return None
    policy = catalogue().get(snap.policy_id)
    titles = {a: w.title for a, w in wording().actions.items()}
    return {
        "action": titles[facts.requested_action],
        "risks": found,
        "safer": [titles[a] for a in safer_asks(facts, policy, snap.on)],
        "ids": [r.id for r in found],
    }


def override_for(case: Case, *, by, reason: str | None, request=None) -> dict[str, Any] | None:
    """The override record ({by, on, reason, risks}) for ``reason``, covering today's HIGH risks."""
    if not reason:
        return None
    risks = request_risks(case, by=by, request=request)
    if risks is None:
        return None
    name = by.get_full_name() or by.get_username()
    return {"by": name, "on": localdate().isoformat(), "reason": reason.strip(), "risks": risks["ids"]}


def _override(options: dict[str, Any]):
    from discretion.letters import Override

    data = options.get("override")
    if not data:
        return None
    return Override(
        data["by"], date.fromisoformat(data["on"]), data["reason"], tuple(data["risks"]), "web app"
    )


def _record_override(
    request, case: Case, by, doc: GeneratedDocument, override: dict[str, Any], what: str
) -> None:
    record(
        request,
        Action.GENERATE,
        obj=doc,
        case=case,
        user=by,
        summary=f"HIGH-risk override for the {what} by {override['by']}: {override['reason']} "
        f"(risks: {', '.join(override['risks'])})",
    )


# --- the letter -----------------------------------------------------------------------------


@dataclass
class Prepared:
    """A letter built from the case as it is now, before anything is stored."""

    letter: Any
    snap: ScreeningRecord
    policy: Any
    screening: Any
    facts: CaseFacts
    rep: Any
    exhibits: list[Exhibit]
    options: dict[str, Any]


def prepare_letter(
    case: Case,
    *,
    by,
    request=None,
    signer_id: str | None = None,
    send_to: str = "",
    override_reason: str | None = None,
    languages: tuple[str, ...] = ("en",),
    for_editing: bool = False,
) -> Prepared:
    """The generated letter for the case's current facts, signer and exhibits (nothing stored).
    Raises LetterRefused (a DiscretionError) when it cannot be drafted as asked."""
    from discretion.letters import build_letter
    from discretion.screening import Screening
    from discretion.web.cases.policy import catalogue

    snap = current_screening(case, by=by, request=request)
    policy = catalogue().get(snap.policy_id)
    if policy.sha256 != snap.policy_sha256:
        snap = case_actions.screen_case(case, by=by, on=snap.on, request=request)
        policy = catalogue().get(snap.policy_id)
    exhibits = exhibits_for(case)
    facts = case.to_facts()
    signer = signer_for(case, by, signer_id)
    if signer is None and for_editing:
        # A paralegal edits the words an attorney signs: the body does not depend on who signs,
        # so the editor uses the case's attorney's profile, or any of the organisation's.
        profiles = signers(case)
        signer = next((p for p in profiles if p.user_id == case.assigned_to_id), None) or next(
            iter(profiles), None
        )
    rep, letterhead = representative_block(case, facts, signer)
    override = override_for(case, by=by, reason=override_reason, request=request)
    options: dict[str, Any] = {
        "signer": signer.pk if signer else None,
        "send_to": send_to or None,
        "override": override,
        "languages": list(languages),
    }
    screening = Screening.from_dict(snap.result)
    letter = build_letter(
        facts,
        screening,
        policy,
        on=snap.on,
        exhibits=exhibits,
        representative=rep,
        letterhead=letterhead,
        override=_override(options),
        send_to=send_to or None,
    )
    return Prepared(letter, snap, policy, screening, facts, rep, exhibits, options)


# --- the letter's versions ----------------------------------------------------------------


def latest_version(case: Case) -> LetterVersion | None:
    return LetterVersion.objects.filter(case=case).order_by("-number").first()


def version_edits(version: LetterVersion | None):
    from discretion.letters.edits import Edit

    return [Edit.from_dict(e) for e in version.edits] if version else []


def edited_letter(case: Case, *, by, request=None, version: LetterVersion | None = None, **options: Any):
    """(prepared, letter with the version's edits): what the editor previews and the letter files."""
    from discretion.letters.edits import apply_edits

    prepared = prepare_letter(case, by=by, request=request, for_editing=True, **options)
    return prepared, apply_edits(prepared.letter, version_edits(version))


def save_letter_version(
    case: Case, *, by, texts: dict[str, str], base: int, note: str = "", request=None
) -> LetterVersion:
    """Save the editor's paragraphs as the next version, if nobody saved one since ``base``.

    Raises VersionConflict (the newer version) when somebody did, and DocumentError naming the
    paragraph when the words cannot go in a filing copy."""
    from discretion.letters.edits import changed

    previous = latest_version(case)
    if (previous.number if previous else 0) != base:
        raise VersionConflict(previous)
    prepared = prepare_letter(case, by=by, request=request, for_editing=True)
    edits = changed(prepared.letter, texts, previous=version_edits(previous))
    snap = prepared.snap
    try:
        with transaction.atomic():
            version = LetterVersion.objects.create(
                case=case,
                number=base + 1,
                edits=[e.to_dict() for e in edits],
                note=note.strip()[:200],
                screening=snap,
                case_version=case.version,
                facts_digest=snap.facts_digest,
                policy_id=snap.policy_id,
                policy_sha256=snap.policy_sha256,
                created_by=by,
            )
            record(
                request,
                Action.CHANGE,
                obj=version,
                case=case,
                user=by,
                summary=f"Saved letter version {version.number} ({len(edits)} edited paragraph"
                f"{'' if len(edits) == 1 else 's'})" + (f": {version.note}" if version.note else ""),
            )
    except IntegrityError:
        # Two saves from the same page at the same instant: the other one won.
        raise VersionConflict(latest_version(case)) from None
    return version


class VersionConflict(Exception):
    def __init__(self, newer: LetterVersion | None):
        super().__init__("a newer version of the letter was saved")
        self.newer = newer


# --- the letter -----------------------------------------------------------------------------


def generate_letter(
    case: Case,
    *,
    by,
    request=None,
    signer_id: str | None = None,
    send_to: str = "",
    languages: tuple[str, ...] = ("en",),
    override_reason: str | None = None,
    version: int | None = None,
) -> list[GeneratedDocument]:
    """The filing copy (DOCX, PDF), a marked-up draft, the review sheet, the transmittal e-mail
    and the client summaries, stored as snapshots; with ``version``, the practitioner's edited
    words in place. Raises DiscretionError (a refusal names why)."""
    from discretion.letters import (
        build_summary,
        render_docx,
        render_pdf,
        render_review_pdf,
        render_summary_docx,
        render_summary_pdf,
    )
    from discretion.letters.edits import apply_edits

    chosen = None
    if version:
        chosen = LetterVersion.objects.filter(case=case, number=version).first()
        if chosen is None:
            raise DocumentError(f"letter version {version}: no such version of this letter")
    prepared = prepare_letter(
        case,
        by=by,
        request=request,
        signer_id=signer_id,
        send_to=send_to,
        override_reason=override_reason,
        languages=languages,
    )
    letter = apply_edits(prepared.letter, version_edits(chosen))
    snap, policy, screening, facts, rep = (
        prepared.snap,
        prepared.policy,
        prepared.screening,
        prepared.facts,
        prepared.rep,
    )
    exhibits, options, override = prepared.exhibits, prepared.options, prepared.options["override"]
    if chosen is not None:
        options["version"] = chosen.number
    assert letter.review is not None and letter.transmittal is not None
    pdf = render_pdf(letter)
    rendered: list[tuple[str, bytes, str, str, str]] = [
        (DocKind.LETTER_DOCX, render_docx(letter), DOCX, "docx", ""),
        (DocKind.LETTER_PDF, pdf, "application/pdf", "pdf", ""),
        (DocKind.DRAFT_DOCX, render_docx(letter.as_draft()), DOCX, "docx", " DRAFT"),
        (DocKind.REVIEW_PDF, render_review_pdf(letter.review), "application/pdf", "pdf", " review sheet"),
        (DocKind.REVIEW_MD, letter.review.markdown().encode(), "text/markdown", "md", " review sheet"),
        (
            DocKind.TRANSMITTAL,
            letter.transmittal.message(pdf, sender=rep.email, on=snap.on),
            "message/rfc822",
            "eml",
            " e-mail",
        ),
    ]
    for lang in languages:
        summary = build_summary(letter, facts, lang, screening=screening, policy=policy)
        rendered.append(
            (DocKind.SUMMARY_PDF, render_summary_pdf(summary), "application/pdf", "pdf", f" summary {lang}")
        )
        rendered.append(
            (DocKind.SUMMARY_DOCX, render_summary_docx(summary), DOCX, "docx", f" summary {lang}")
        )
    base = f"PD request {case.reference or case.name or 'letter'} {snap.on}".strip()
    exhibit_list = [{"tab": e.tab, "description": e.description} for e in exhibits]
    docs = []
    with transaction.atomic():
        for kind, data, ctype, ext, suffix in rendered:
            f = store_bytes(
                data,
                name=f"{base}{suffix}.{ext}",
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
                    warnings=list(letter.warnings)
                    if kind in (DocKind.LETTER_PDF, DocKind.REVIEW_PDF)
                    else [],
                    exhibits=exhibit_list,
                    options=options
                    | ({"language": suffix.split()[-1]} if kind.startswith("summary") else {}),
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
            summary=f"Generated the request letter under {snap.policy_id}"
            + (f" from letter version {chosen.number}" if chosen else "")
            + (f", signed by {rep.name}" if rep.name else ""),
        )
        if override:
            _record_override(request, case, by, docs[0], override, "letter")
    return docs


def queue_packet(
    case: Case,
    *,
    by,
    request=None,
    signer_id: str | None = None,
    send_to: str = "",
    override_reason: str | None = None,
    version: int | None = None,
) -> GeneratedDocument:
    """Record a packet to build and hand it to the background worker; with ``version``, its cover
    letter carries the practitioner's edits of that letter version."""
    from discretion.web.documents.tasks import build_packet_task

    if not exhibit_files(case):
        raise DocumentError("a packet needs at least one exhibit: upload evidence files first")
    waiting = conversion_findings(case)
    if waiting:
        raise DocumentError(
            "; ".join(f"{w['subject']}: {w['message']}" for w in waiting) + " — the packet waits for them"
        )
    snap = current_screening(case, by=by, request=request)
    signer = signer_for(case, by, signer_id)
    override = override_for(case, by=by, reason=override_reason, request=request)
    if version and not LetterVersion.objects.filter(case=case, number=version).exists():
        raise DocumentError(f"letter version {version}: no such version of this letter")
    options = {
        "signer": signer.pk if signer else None,
        "send_to": send_to or None,
        "override": override,
        "version": version or None,
    }
    doc = GeneratedDocument.objects.create(
        kind=DocKind.PACKET,
        created_by=by,
        progress="Waiting for the worker",
        options=options,
        **_snapshot_fields(case, snap),
    )
    record(request, Action.GENERATE, obj=doc, case=case, user=by, summary="Queued the filing packet")
    if override:
        _record_override(request, case, by, doc, override, "packet")
    transaction.on_commit(lambda: build_packet_task.enqueue(doc.pk))
    return doc


def preflight(case: Case) -> tuple[list[dict[str, str]], str]:
    """The packet preflight report for the current exhibits, without building anything."""
    from discretion.packets import run_preflight
    from discretion.packets.cover import required_items
    from discretion.screening import Screening

    waiting = conversion_findings(case)
    if not exhibit_files(case):
        return waiting, "" if waiting else "No exhibits yet: upload evidence files first."
    snap = case.latest_screening()
    try:
        screening = Screening.from_dict(snap.result) if snap else None
        required = required_items(case.to_facts(), screening, on=snap.on if snap else localdate())
        with local_exhibits(case) as exhibits:
            check = run_preflight(exhibits, required=required)
    except DiscretionError as exc:
        return [], str(exc)
    order = {"error": 0, "warning": 1, "note": 2}
    findings = sorted(check.findings, key=lambda f: order.get(f.severity, 3))
    return waiting + web_findings(case, findings), ""


def conversion_findings(case: Case) -> list[dict[str, str]]:
    """Preflight findings for Word and OpenDocument uploads that are not exhibits yet."""
    out = []
    for f in pending_conversions(case):
        if f.conversion == "converting":
            message = "still being converted to PDF by LibreOffice; check again in a moment"
        else:
            message = (f.conversion_error.split(": ", 1)[-1] or "could not be converted to PDF") + (
                "; remove it from the exhibits, or upload a PDF of it"
            )
        out.append({"severity": "error", "subject": f.original_name, "message": message})
    return out


def dismiss_conversion(f: StoredFile, *, by, request=None) -> None:
    with transaction.atomic():
        StoredFile.objects.filter(pk=f.pk, conversion="failed").update(kind="other")
        record(
            request,
            Action.CHANGE,
            obj=f,
            case=f.case,
            user=by,
            summary=f"Took {f.original_name} off the exhibits",
        )


def remove_failed_document(doc: GeneratedDocument, *, by, request=None) -> None:
    """Take a failed packet build off the list (a document that was made is a snapshot, kept)."""
    if doc.status != DocStatus.FAILED:
        raise DocumentError("only a failed build can be removed; a finished document is kept as a snapshot")
    with transaction.atomic():
        record(
            request,
            Action.DELETE,
            obj=doc,
            case=doc.case,
            user=by,
            summary=f"Removed a failed {doc.get_kind_display().lower()} build: {doc.error[:200]}",
        )
        GeneratedDocument.objects.filter(pk=doc.pk, status=DocStatus.FAILED).delete()


# The core's preflight speaks to CLI users (file names on disk, exhibits.yaml); say it the web's way.
CLI_HINTS = {
    "Add it as translation: in exhibits.yaml": "Choose its certified translation in the exhibit list.",
    "add it, or list the item under proves: of the exhibit that covers it": "upload it against the checklist item, or mark which exhibit proves it",
}


def web_findings(case: Case, findings) -> list[dict[str, str]]:
    names = {f.stored_name: f.original_name for f in StoredFile.objects.filter(case=case)}

    def plain(text: str) -> str:
        for stored, original in names.items():
            text = text.replace(stored, original)
        for cli, web in CLI_HINTS.items():
            text = text.replace(cli, web)
        return text

    return [
        {"severity": f.severity, "subject": plain(f.subject), "message": plain(f.message)} for f in findings
    ]


# --- the signer's profile and the letterhead ----------------------------------------------


SIGNER_FIELDS = concurrency.model_form_fields(SignerProfileForm)
LETTERHEAD_FIELDS = concurrency.model_form_fields(LetterheadForm)


def save_signer_profile(form, *, user, request=None, opened: str | None = None) -> SignerProfile:
    """Raises concurrency.Stale if the profile changed since the form was ``opened``."""
    with transaction.atomic():
        locked = SignerProfile.objects.select_for_update().filter(user=user).first()
        SIGNER_FIELDS.check(opened, locked, by=concurrency.last_editor(locked) if locked else None)
        profile = form.save(commit=False)
        profile.user = user
        profile.updated = now()
        profile.save()
        record(request, Action.CHANGE, obj=profile, user=user, summary="Updated the signer profile")
    return profile


def save_letterhead(form, *, organisation, by, request=None, opened: str | None = None) -> Letterhead:
    """Raises concurrency.Stale if the letterhead changed since the form was ``opened``."""
    with transaction.atomic():
        locked = Letterhead.objects.select_for_update().filter(organisation=organisation).first()
        LETTERHEAD_FIELDS.check(opened, locked, by=concurrency.last_editor(locked) if locked else None)
        letterhead = form.save(commit=False)
        letterhead.organisation = organisation
        letterhead.updated = now()
        letterhead.save()
        record(
            request, Action.CHANGE, obj=letterhead, user=by, summary="Updated the organisation's letterhead"
        )
    return letterhead
