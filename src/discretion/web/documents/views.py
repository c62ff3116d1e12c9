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
    LetterForm,
    LetterheadForm,
    OverrideForm,
    SignerProfileForm,
)
from discretion.web.documents.models import Letterhead, SignerProfile
from discretion.web.files.store import ACCEPT
from discretion.web.lib.htmx import is_htmx

LANGUAGES = EXHIBIT_LANGUAGES


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
    files = actions.exhibit_files(case)
    form = ExhibitListForm(request.POST, files=files, candidates=[*files, *actions.translation_files(case)])
    if not form.is_valid():
        for e in form.errors:
            messages.error(request, e + ".")
        return redirect("documents:evidence", code=case.code)
    actions.save_exhibit_list(case, form.rows, request=request)
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
    if request.GET.get("check") == "1" and not is_htmx(request):
        findings, problem = actions.preflight(case)
        context["check"] = {
            "findings": findings,
            "problem": problem,
            "errors": sum(1 for f in findings if f["severity"] == "error"),
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
                request, f"{form.fields[field].label if field in form.fields else field}: {' '.join(map(str, errors))}"
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
    if request.method == "POST":
        form = SignerProfileForm(request.POST, instance=profile)
        if form.is_valid():
            actions.save_signer_profile(form, user=request.user, request=request)
            messages.success(request, "Signer profile saved: your letters use it from now on.")
            return redirect("signer")
    else:
        initial = {} if profile else {"name": request.user.get_full_name(), "email": request.user.email}
        form = SignerProfileForm(instance=profile, initial=initial)
    return render(request, "documents/signer.html", {"form": form, "profile": profile})


@require_http_methods(["GET", "POST"])
def letterhead(request: AuthenticatedRequest) -> HttpResponse:
    """The organisation's letterhead; its admins edit it, everyone sees it."""
    membership = request.user.membership
    current = Letterhead.objects.filter(organisation=membership.organisation).first()
    if request.method == "POST":
        if not membership.is_org_admin:
            raise PermissionDenied("Only an organisation admin can change the letterhead.")
        form = LetterheadForm(request.POST, instance=current)
        if form.is_valid():
            actions.save_letterhead(
                form, organisation=membership.organisation, by=request.user, request=request
            )
            messages.success(request, "Letterhead saved: every letter of the organisation uses it.")
            return redirect("letterhead")
    else:
        form = LetterheadForm(
            instance=current, initial={} if current else {"name": membership.organisation.name}
        )
    return render(
        request,
        "documents/letterhead.html",
        {"form": form, "letterhead": current, "can_edit": membership.is_org_admin},
    )


_get_document = access.document_for_user
