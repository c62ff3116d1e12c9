from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from discretion.errors import DiscretionError
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases.views import _get_case_for_user
from discretion.web.documents import actions
from discretion.web.documents.models import GeneratedDocument
from discretion.web.files.models import StoredFile
from discretion.web.files.store import ACCEPT
from discretion.web.lib.htmx import is_htmx

LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("pt", "Portuguese"),
    ("ht", "Haitian Creole"),
    ("zh", "Chinese"),
    ("vi", "Vietnamese"),
    ("ar", "Arabic"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("so", "Somali"),
    ("other", "Other (not English)"),
]


@require_safe
def evidence(request: HttpRequest, code: UUID) -> HttpResponse:
    case = _get_case_for_user(request, code)
    record(request, Action.VIEW, case=case, summary="Viewed the evidence checklist")
    built, problem = actions.checklist(case)
    files = actions.exhibit_files(case)
    rows = [(actions.tab_letter(i), f, next(iter(f.translations.all()), None)) for i, f in enumerate(files)]
    translations = actions.translation_files(case)
    items = list(built.items) if built else []
    return render(
        request,
        "documents/evidence.html",
        {
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
            "item_ids": [(i.id, i.title) for i in items],
            "provided": sum(1 for i in items if i.required and i.status == "provided"),
        },
    )


@require_POST
def exhibits_update(request: HttpRequest, code: UUID) -> HttpResponse:
    """Save exhibit order, descriptions, languages and what each proves, all at once."""
    case = _get_case_for_user(request, code, write=True)
    files = {str(f.code): f for f in actions.exhibit_files(case)}
    candidates = files | {str(t.code): t for t in actions.translation_files(case)}
    errors, updates, links = [], [], {}
    valid_langs = {v for v, _ in LANGUAGES}
    for key, f in files.items():
        pos = request.POST.get(f"position-{key}", "").strip()
        if not pos.isdigit() or not 1 <= int(pos) <= 999:
            errors.append(f"Order of {f.original_name}: enter a whole number from 1 to 999")
            continue
        lang = request.POST.get(f"language-{key}", "en")
        if lang not in valid_langs:
            errors.append(f"Language of {f.original_name}: choose one from the list")
            continue
        description = request.POST.get(f"description-{key}", "").strip()[:300]
        proves = [p for p in request.POST.getlist(f"proves-{key}") if p][:20]
        remove = request.POST.get(f"remove-{key}") == "1"
        chosen = request.POST.get(f"translation-{key}", "")
        if chosen:
            other = candidates.get(chosen)
            if (
                other is None
                or other.pk == f.pk
                or (other.translation_of_id is None and other.translations.exists())
            ):
                errors.append(
                    f"Certified translation of {f.original_name}: choose another uploaded file that is not an exhibit with its own translation"
                )
                continue
            if lang == "en":
                errors.append(
                    f"Certified translation of {f.original_name}: set the exhibit's language first (it is marked English)"
                )
                continue
            links[f.pk] = other.pk
        else:
            links[f.pk] = None
        updates.append((f, int(pos), lang, description, proves, remove))
    chosen_twice = [pk for pk in set(links.values()) if pk and list(links.values()).count(pk) > 1]
    if chosen_twice:
        errors.append("Certified translation: one file cannot translate two exhibits")
    if errors:
        for e in errors:
            messages.error(request, e + ".")
        return redirect("documents:evidence", code=case.code)
    with transaction.atomic():
        for f, pos, lang, description, proves, remove in updates:
            kind = "other" if remove else "evidence"  # removed from the packet, kept in the file list
            StoredFile.objects.filter(pk=f.pk).update(
                position=pos, language=lang, description=description, proves=proves, kind=kind
            )
            # One translation per exhibit: unlink the old one, link the chosen one.
            StoredFile.objects.filter(translation_of=f).exclude(pk=links[f.pk]).update(translation_of=None)
            if links[f.pk]:
                StoredFile.objects.filter(pk=links[f.pk]).update(translation_of=f, language="en")
        record(request, Action.CHANGE, case=case, summary="Updated the exhibit list")
    messages.success(request, "Exhibit list saved.")
    return redirect("documents:evidence", code=case.code)


@require_safe
def documents(request: HttpRequest, code: UUID) -> HttpResponse:
    case = _get_case_for_user(request, code)
    if not is_htmx(request):  # the status poll is not a new look at the case
        record(request, Action.VIEW, case=case, summary="Viewed letters and packets")
    docs = case.documents.select_related("file", "screening", "created_by")
    context = {
        "case": case,
        "docs": docs,
        "active": any(d.is_active for d in docs),
        "exhibits": actions.exhibit_files(case),
        "check": None,
    }
    if request.GET.get("check") == "1" and not is_htmx(request):
        findings, problem = actions.preflight(case)
        context["check"] = {
            "findings": findings,
            "problem": problem,
            "errors": sum(1 for f in findings if f["severity"] == "error"),
        }
    template = "documents/documents.html#doc-list" if is_htmx(request) else "documents/documents.html"
    return render(request, template, context)


@require_POST
def generate_letter(request: HttpRequest, code: UUID) -> HttpResponse:
    case = _get_case_for_user(request, code, write=True)
    try:
        actions.generate_letter(case, by=request.user, request=request)
    except DiscretionError as exc:
        messages.error(request, f"The letter could not be written: {exc}")
    else:
        messages.success(request, "Letter generated (Word and PDF). Check the warnings before sending.")
    return redirect("documents:list", code=case.code)


@require_POST
def build_packet(request: HttpRequest, code: UUID) -> HttpResponse:
    case = _get_case_for_user(request, code, write=True)
    try:
        actions.queue_packet(case, by=request.user, request=request)
    except DiscretionError as exc:
        messages.error(request, f"The packet could not be started: {exc}")
    else:
        messages.info(request, "Packet build started: its status below updates by itself until it is ready.")
    return redirect("documents:list", code=case.code)


def _get_document(request, code):
    try:
        doc = GeneratedDocument.objects.select_related("case").get(code=code)
    except GeneratedDocument.DoesNotExist:
        raise Http404("No such document") from None
    _get_case_for_user(request, doc.case.code)
    return doc
