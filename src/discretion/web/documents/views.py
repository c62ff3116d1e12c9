from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from discretion.errors import DiscretionError
from discretion.letters import LetterRefused
from discretion.web import access
from discretion.web.access import AuthenticatedRequest
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases.views import _get_case_for_user
from discretion.web.documents import actions
from discretion.web.documents.forms import (
    EXHIBIT_LANGUAGES,
    ExhibitListForm,
    LetterEditForm,
    LetterForm,
    LetterheadForm,
    OverrideForm,
    SignerProfileForm,
)
from discretion.web.documents.models import Letterhead, LetterVersion, SignerProfile
from discretion.web.files.models import ROTATIONS
from discretion.web.files.store import ACCEPT
from discretion.web.lib import concurrency
from discretion.web.lib.htmx import is_htmx

LANGUAGES = EXHIBIT_LANGUAGES


@require_safe
def evidence(request: HttpRequest, code: UUID) -> HttpResponse:
    case = _get_case_for_user(request, code)
    record(request, Action.VIEW, case=case, summary="Viewed the evidence checklist")
    return _evidence_page(request, case)


def _evidence_page(request, case, *, conflict=None, typed=None) -> HttpResponse:
    """The checklist and exhibit list; after a conflict, with what was typed laid over the rows."""
    built, problem = actions.checklist(case)
    files = actions.exhibit_files(case)
    translation_of = {}
    if typed:
        by_code = {str(f.code): f for f in files}
        for key, (pos, lang, description, proves, _remove) in typed["updates"].items():
            f = by_code.get(key)
            if f is not None:  # shown, never saved
                f.position, f.language, f.description, f.proves = pos, lang, description, proves
        files.sort(key=lambda f: (f.position, f.created, f.id))
        translation_of = typed["links"]
    translations = actions.translation_files(case)
    candidates = {c.pk: c for c in [*files, *translations]}
    rows = []
    for i, f in enumerate(files):
        tr = next(iter(f.translations.all()), None)
        if f.pk in translation_of:
            tr = candidates.get(translation_of[f.pk])
        rows.append((actions.tab_letter(i), f, tr))
    items = list(built.items) if built else []
    opened = actions.exhibit_fields(case)
    return render(
        request,
        "documents/evidence.html",
        {
            "conflict": conflict,
            "opened": opened,
            "case": case,
            "translations": translations,
            "candidates": [*files, *translations],
            "checklist": built,
            "problem": problem,
            "rows": rows,
            "accept": ACCEPT,
            "required": [i for i in items if i.required],
            "recommended": [i for i in items if not i.required],
            "languages": LANGUAGES,
            "rotations": ROTATIONS,
            "item_ids": [(i.id, i.title) for i in items],
            "provided": sum(1 for i in items if i.required and i.status == "provided"),
            "pending": actions.pending_conversions(case),
        },
        status=409 if conflict else 200,
    )


@require_POST
def exhibits_update(request: HttpRequest, code: UUID) -> HttpResponse:
    """Save exhibit order, descriptions, languages and what each proves, all at once."""
    case = _get_case_for_user(request, code, write=True)
    files = actions.exhibit_files(case)
    form = ExhibitListForm(request.POST, files=files, candidates=[*files, *actions.translation_files(case)])
    if not form.is_valid():
        for e in form.errors:
            messages.error(request, e + ".")
        return redirect("documents:evidence", code=case.code)
    updates = [
        (f, d["position"], d["language"], d["description"], d["proves"], d["remove"]) for f, d, _ in form.rows
    ]
    links = {f.pk: translation for f, _, translation in form.rows}
    typed = {str(f.code): rest for f, *rest in updates}
    turns = {f.pk: d.get("rotation") or 0 for f, d, _ in form.rows}
    try:
        actions.save_exhibits(
            case,
            updates,
            links,
            turns=turns,
            opened=concurrency.opened_from(request.POST),
            by=request.user,
            request=request,
        )
    except concurrency.Stale as conflict:
        return _evidence_page(request, case, conflict=conflict, typed={"updates": typed, "links": links})
    messages.success(request, "Exhibit list saved.")
    return redirect("documents:evidence", code=case.code)


@require_safe
def documents(request: AuthenticatedRequest, code: UUID) -> HttpResponse:
    case = _get_case_for_user(request, code)
    if not is_htmx(request):  # the status poll is not a new look at the case
        record(request, Action.VIEW, case=case, summary="Viewed letters and packets")
    docs = case.documents.select_related("file", "screening", "created_by")
    signers = actions.signers(case)
    context = {
        "case": case,
        "docs": docs,
        "active": any(d.is_active for d in docs),
        "exhibits": actions.exhibit_files(case),
        "check": None,
        "form": LetterForm(signers=signers),
        "own_profile": SignerProfile.objects.filter(user=request.user).first(),
        "letterhead": Letterhead.objects.filter(organisation=case.organisation).first(),
    }
    asked = request.GET.get("check") == "1"
    if not is_htmx(request) and (asked or context["exhibits"] or actions.pending_conversions(case)):
        # Always checked, so the packet button is off while the exhibits have errors; the
        # findings are shown in full on request (or whenever there is an error).
        findings, problem = actions.preflight(case)
        errors = sum(1 for f in findings if f["severity"] == "error")
        context["check"] = {
            "findings": findings,
            "problem": problem,
            "errors": errors,
            "shown": asked or errors > 0,
        }
    template = "documents/documents.html#doc-list" if is_htmx(request) else "documents/documents.html"
    return render(request, template, context)


REFUSAL_HINT = (
    " Complete your signer profile and the organisation's letterhead (links above), and record the "
    "G-28 and EOIR-28 status in the case's Representative section."
)


def _letter_request(request: AuthenticatedRequest, code: UUID, *, packet: bool) -> HttpResponse:
    """Generate the letter (or queue the packet); a HIGH-risk request first asks for a reason."""
    case = _get_case_for_user(request, code, write=True)
    signers = actions.signers(case)
    wants_override = "reason" in request.POST
    form = (OverrideForm if wants_override else LetterForm)(request.POST, signers=signers)
    here = reverse("documents:packet" if packet else "documents:letter", kwargs={"code": case.code})
    if not form.is_valid():
        if wants_override:
            return _confirm(request, case, form, here, status=400)
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else field}: {' '.join(map(str, errors))}",
            )
        return redirect("documents:list", code=case.code)
    data = form.cleaned_data
    reason = data.get("reason") if wants_override else None
    try:
        risks = actions.request_risks(case, by=request.user, request=request)
        if risks is not None and not reason:
            return _confirm(request, case, OverrideForm(initial=data, signers=signers), here, status=409)
        if reason and not request.user.membership.is_representative:
            raise PermissionDenied(
                "Only an attorney or accredited representative can decide to ask despite HIGH risks."
            )
        options = {
            "signer_id": data.get("signer") or None,
            "send_to": data.get("send_to", ""),
            "override_reason": reason,
            "version": data.get("version") or None,
        }
        if packet:
            actions.queue_packet(case, by=request.user, request=request, **options)
        else:
            langs = tuple(lang for lang in ("en", "es") if data.get(f"summary_{lang}"))
            actions.generate_letter(case, by=request.user, request=request, languages=langs, **options)
    except LetterRefused as exc:
        hint = REFUSAL_HINT if "representative" in str(exc) else ""
        messages.error(request, f"The letter was not written: {str(exc).rstrip('.')}." + hint)
    except DiscretionError as exc:
        what = "The packet could not be started" if packet else "The letter could not be written"
        messages.error(request, f"{what}: {exc}")
    else:
        if packet:
            messages.info(
                request, "Packet build started: its status below updates by itself until it is ready."
            )
        else:
            messages.success(
                request,
                "Letter generated: the filing copy (Word and PDF), a marked-up draft, the review sheet, "
                "the transmittal e-mail and the client summary. Check the review sheet before sending.",
            )
    return redirect("documents:list", code=case.code)


def _confirm(request: HttpRequest, case, form, target: str, *, status: int) -> HttpResponse:
    risks = actions.request_risks(case, by=request.user, request=request)
    return render(
        request,
        "documents/override.html",
        {"case": case, "form": form, "target": target, "risks": risks},
        status=status,
    )


@require_POST
def generate_letter(request: AuthenticatedRequest, code: UUID) -> HttpResponse:
    return _letter_request(request, code, packet=False)


@require_POST
def build_packet(request: AuthenticatedRequest, code: UUID) -> HttpResponse:
    return _letter_request(request, code, packet=True)


@require_http_methods(["GET", "POST"])
def signer_profile(request: AuthenticatedRequest) -> HttpResponse:
    """The signer's own profile, entered once for every letter they sign."""
    membership = request.user.membership
    if not membership.is_representative:
        raise PermissionDenied("Only an attorney or accredited representative signs letters.")
    profile = SignerProfile.objects.filter(user=request.user).first()
    opened, conflict = actions.SIGNER_FIELDS.seal(profile), None
    if request.method == "POST":
        form = SignerProfileForm(request.POST, instance=profile)
        if form.is_valid():
            try:
                actions.save_signer_profile(
                    form, user=request.user, request=request, opened=concurrency.opened_from(request.POST)
                )
            except concurrency.Stale as stale:
                profile = SignerProfile.objects.filter(user=request.user).first()
                conflict, opened = stale, actions.SIGNER_FIELDS.seal(profile)
            else:
                messages.success(request, "Signer profile saved: your letters use it from now on.")
                return redirect("signer")
    else:
        initial = {} if profile else {"name": request.user.get_full_name(), "email": request.user.email}
        form = SignerProfileForm(instance=profile, initial=initial)
    context = {"form": form, "profile": profile, "opened": opened, "conflict": conflict}
    return render(request, "documents/signer.html", context, status=409 if conflict else 200)


@require_http_methods(["GET", "POST"])
def letterhead(request: AuthenticatedRequest) -> HttpResponse:
    """The organisation's letterhead; its admins edit it, everyone sees it."""
    membership = request.user.membership
    current = Letterhead.objects.filter(organisation=membership.organisation).first()
    opened, conflict = actions.LETTERHEAD_FIELDS.seal(current), None
    if request.method == "POST":
        if not membership.is_org_admin:
            raise PermissionDenied("Only an organisation admin can change the letterhead.")
        form = LetterheadForm(request.POST, instance=current)
        if form.is_valid():
            try:
                actions.save_letterhead(
                    form,
                    organisation=membership.organisation,
                    by=request.user,
                    request=request,
                    opened=concurrency.opened_from(request.POST),
                )
            except concurrency.Stale as stale:
                current = Letterhead.objects.filter(organisation=membership.organisation).first()
                conflict, opened = stale, actions.LETTERHEAD_FIELDS.seal(current)
            else:
                messages.success(request, "Letterhead saved: every letter of the organisation uses it.")
                return redirect("letterhead")
    else:
        form = LetterheadForm(
            instance=current, initial={} if current else {"name": membership.organisation.name}
        )
    return render(
        request,
        "documents/letterhead.html",
        {
            "form": form,
            "letterhead": current,
            "can_edit": membership.is_org_admin,
            "opened": opened,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


_get_document = access.document_for_user


@require_http_methods(["GET", "POST"])
def letter_editor(request: HttpRequest, code: UUID) -> HttpResponse:
    """The request letter in the browser: each paragraph editable, saved as a new version, with
    the review sheet of that version beside it."""
    case = _get_case_for_user(request, code, write=request.method == "POST")
    versions = list(LetterVersion.objects.filter(case=case).select_related("created_by"))
    latest = versions[0] if versions else None
    shown = latest
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), None) if int(wanted) else None
    try:
        prepared, letter = actions.edited_letter(case, by=request.user, request=request, version=shown)
    except DiscretionError as exc:
        return render(
            request,
            "documents/letter_editor.html",
            {"case": case, "refused": str(exc), "versions": versions},
            status=409 if isinstance(exc, LetterRefused) else 400,
        )
    from discretion.letters.edits import editable

    paragraphs = editable(prepared.letter)
    current = {p.anchor: p.text for p in paragraphs}
    for e in actions.version_edits(shown):
        if e.anchor in current:
            current[e.anchor] = e.text
    status = 200
    conflict = None
    if request.method == "POST":
        form = LetterEditForm(request.POST, paragraphs=paragraphs, current=current)
        if form.is_valid():
            try:
                saved = actions.save_letter_version(
                    case,
                    by=request.user,
                    texts=form.texts(),
                    base=form.cleaned_data["base"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except actions.VersionConflict as exc:
                conflict = exc.newer
                status = 409
            except DiscretionError as exc:
                messages.error(request, f"The letter was not saved: {exc}")
                status = 400
            else:
                messages.success(
                    request,
                    f"Saved as version {saved.number}. Make the Word and PDF files from it below when it is ready.",
                )
                return redirect(
                    f"{reverse('documents:editor', kwargs={'code': case.code})}?version={saved.number}"
                )
        else:
            status = 400
    else:
        form = LetterEditForm(
            paragraphs=paragraphs, current=current, initial={"base": latest.number if latest else 0}
        )
    rows = [(p, form[LetterEditForm.key(p.anchor)]) for p in paragraphs]
    review = letter.review
    record(request, Action.VIEW, case=case, summary="Viewed the letter editor")
    return render(
        request,
        "documents/letter_editor.html",
        {
            "case": case,
            "form": form,
            "rows": rows,
            "edited": {e.anchor for e in actions.version_edits(shown)},
            "letter": letter,
            "review": review.sections() if review else [],
            "versions": versions,
            "shown": shown,
            "latest": latest,
            "conflict": conflict,
            "stale_page": shown is not None and latest is not None and shown.number != latest.number,
            "generate": LetterForm(
                signers=actions.signers(case), initial={"version": shown.number if shown else None}
            ),
        },
        status=status,
    )


@require_POST
def remove_document(request: HttpRequest, code: UUID) -> HttpResponse:
    """Take a failed build off the list."""
    doc = _get_document(request, code)
    _get_case_for_user(request, doc.case.code, write=True)
    try:
        actions.remove_failed_document(doc, by=request.user, request=request)
    except DiscretionError as exc:
        messages.error(request, f"Not removed: {exc}.")
    else:
        messages.success(request, "The failed build was removed.")
    return redirect("documents:list", code=doc.case.code)


@require_POST
def conversion_dismiss(request: HttpRequest, code: UUID) -> HttpResponse:
    """A Word file that could not be converted, taken off the exhibits (kept in the case's files)."""
    case = _get_case_for_user(request, code, write=True)
    chosen = request.POST.get("file", "")
    f = next((f for f in actions.pending_conversions(case) if str(f.code) == chosen), None)
    if f is None or f.conversion != "failed":
        messages.error(request, "File: choose a file that could not be converted.")
    else:
        actions.dismiss_conversion(f, by=request.user, request=request)
        messages.success(
            request, f"{f.original_name} is no longer among the exhibits; it stays in the case's files."
        )
    return redirect(reverse("documents:evidence", kwargs={"code": case.code}) + "#exhibits")
