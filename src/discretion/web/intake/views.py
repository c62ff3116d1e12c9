"""The practitioner's side of intake: invite from a case, share the link, review what comes back."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from discretion.errors import DiscretionError
from discretion.web import access
from discretion.web.access import AuthenticatedRequest
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases.actions import Conflict
from discretion.web.intake import actions, proposal, summary
from discretion.web.intake.models import Decision, Invitation, InvitationStatus
from discretion.web.intake.plan import plan
from discretion.web.lib.mail import send

LINK_SESSION = "intake-links"


class InviteForm(forms.Form):
    days = forms.IntegerField(
        label="The link works for (days)",
        min_value=1,
        max_value=actions.MAX_DAYS,
        initial=actions.DEFAULT_DAYS,
    )
    language = forms.ChoiceField(
        label="Language of the first page", choices=[("en", "English"), ("es", "Spanish")], initial="es"
    )


class EmailForm(forms.Form):
    email = forms.EmailField(label="The person's e-mail")


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="Note to the person (they see it on their link)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Write in the person's language and in plain words.",
    )


def _remember(request: HttpRequest, inv: Invitation, token: str) -> None:
    """Keep the new link in the practitioner's session only, to show, copy and send it."""
    links = request.session.get(LINK_SESSION, {})
    links[str(inv.code)] = token
    request.session[LINK_SESSION] = links


def _link(request: HttpRequest, inv: Invitation) -> str:
    token = request.session.get(LINK_SESSION, {}).get(str(inv.code))
    return request.build_absolute_uri(reverse("intake:open", kwargs={"token": token})) if token else ""


def _get_invitation(request: HttpRequest, code: UUID, *, write: bool = False) -> Invitation:
    return access.invitation_for_user(request, code, write=write)


def case_intake(request: HttpRequest, code: UUID) -> HttpResponse:
    """The case's invitations, and a form to invite the person."""
    case = access.case_for_user(request, code, write=request.method == "POST")
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        inv, token = actions.invite(
            case,
            by=request.user,
            days=form.cleaned_data["days"],
            language=form.cleaned_data["language"],
            request=request,
        )
        _remember(request, inv, token)
        messages.success(request, "Invitation made. Copy the link, show the QR code, or e-mail it.")
        return redirect("intake:invitation", code=inv.code)
    record(request, Action.VIEW, case=case, summary="Viewed the person's intake")
    invitations = list(case.invitations.all())
    return render(
        request,
        "intake/case.html",
        {"case": case, "form": form, "invitations": invitations},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def invitation(request: HttpRequest, code: UUID) -> HttpResponse:
    inv = _get_invitation(request, code)
    case = inv.case
    record(request, Action.VIEW, obj=inv, case=case, summary="Viewed an intake invitation")
    link = _link(request, inv)
    answers = actions.answers_of(inv)
    rows = proposal.rows(case.facts, answers)
    overlay = proposal.overlay(case.facts, answers)
    from django.utils.timezone import localdate

    still = plan(overlay, {a.path for a in answers if a.answered}, on=localdate())
    return render(
        request,
        "intake/invitation.html",
        {
            "case": case,
            "inv": inv,
            "link": link,
            "qr": _qr(link) if link else "",
            "rows": rows,
            "dont_know": [r for r in rows if r.answer.dont_know],
            "pending": [
                r
                for r in rows
                if r.answer.decision in (Decision.PENDING, Decision.RETURNED) and not r.nothing_to_accept
            ],
            "files": [(pf, _document_name(pf.item_id)) for pf in inv.files.select_related("file")],
            "email_form": EmailForm(initial={"email": inv.email}),
            "return_form": ReturnForm(),
            "still_missing": still.missing,
            "summaries": summary.latest(case),
            "released": summary.released(inv),
        },
    )


def _document_name(item_id: str) -> str:
    from django.utils import translation

    from discretion.web.intake.documents import base_id
    from discretion.web.intake.wording import DOCUMENTS

    with translation.override("en"):
        return str(DOCUMENTS.get(base_id(item_id), item_id))


def _qr(url: str) -> str:
    """The link as an inline SVG QR code (segno), to scan from the practitioner's screen."""
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff", omitsize=False)
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code of the link" ', 1)


@require_POST
def email_link(request: AuthenticatedRequest, code: UUID) -> HttpResponse:
    inv = _get_invitation(request, code, write=True)
    form = EmailForm(request.POST)
    link = _link(request, inv)
    if not form.is_valid():
        messages.error(request, "The person's e-mail: enter an address like name@example.com.")
    elif not link:
        messages.error(request, "Make a new link first: a link is shown only in the session that made it.")
    else:
        address = form.cleaned_data["email"]
        sent = send(
            to=address,
            template="intake/mail/invitation",
            context={"org_name": inv.case.organisation.name, "url": link, "expires": inv.expires_at},
            language=inv.language,
            reply_to=request.user.email or "",
        )
        if sent:
            actions.emailed(inv, address, by=request.user, request=request)
            messages.success(request, f"Link e-mailed to {address}.")
        else:
            messages.error(request, "The e-mail could not be sent. Copy the link and send it another way.")
    return redirect("intake:invitation", code=inv.code)


@require_POST
def new_link(request: HttpRequest, code: UUID) -> HttpResponse:
    inv = _get_invitation(request, code, write=True)
    days = request.POST.get("days", "")
    token = actions.new_link(
        inv,
        by=request.user,
        days=int(days) if days.isdigit() and 1 <= int(days) <= actions.MAX_DAYS else None,
        request=request,
    )
    _remember(request, inv, token)
    messages.success(request, "New link made. The old link no longer works.")
    return redirect("intake:invitation", code=inv.code)


@require_POST
def revoke(request: HttpRequest, code: UUID) -> HttpResponse:
    inv = _get_invitation(request, code, write=True)
    actions.revoke(inv, by=request.user, request=request)
    messages.success(
        request, "Link revoked: it now shows the person a plain “stopped” page. What they sent stays here."
    )
    return redirect("intake:invitation", code=inv.code)


@require_POST
def accept(request: HttpRequest, code: UUID) -> HttpResponse:
    inv = _get_invitation(request, code, write=True)
    if inv.status not in (InvitationStatus.SENT, InvitationStatus.RETURNED, InvitationStatus.OPEN):
        raise PermissionDenied("Nothing to review")
    everything = "all" in request.POST
    ids = [int(v) for v in request.POST.getlist("answer") if v.isdigit()]
    file_ids = [int(v) for v in request.POST.getlist("file") if v.isdigit()]
    if everything:
        ids = list(
            inv.answers.filter(decision__in=[Decision.PENDING, Decision.RETURNED]).values_list(
                "pk", flat=True
            )
        )
        file_ids = list(
            inv.files.filter(decision__in=[Decision.PENDING, Decision.RETURNED]).values_list("pk", flat=True)
        )
    if not ids and not file_ids:
        messages.error(request, "Accept: tick the answers or files to accept first.")
        return redirect("intake:invitation", code=inv.code)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        n = actions.accept(inv, ids, file_ids, base_version=version, by=request.user, request=request)
    except Conflict as exc:
        messages.error(
            request,
            f"The case changed while you reviewed ({len(exc.changes)} change(s) by {exc.by}). Nothing was accepted: look at the difference again.",
        )
    except DiscretionError as exc:
        messages.error(request, f"Nothing was accepted: {exc}")
    else:
        messages.success(request, f"Accepted {n} item(s): the case's facts and evidence now include them.")
    return redirect("intake:invitation", code=inv.code)


@require_POST
def give_back(request: HttpRequest, code: UUID) -> HttpResponse:
    inv = _get_invitation(request, code, write=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Note to the person: write what they should look at again.")
        return redirect("intake:invitation", code=inv.code)
    n = actions.give_back(inv, form.cleaned_data["note"], by=request.user, request=request)
    messages.success(
        request, f"Returned {n} item(s) to the person with your note. They see it on their link."
    )
    return redirect("intake:invitation", code=inv.code)


@require_POST
def release_summary(request: HttpRequest, code: UUID) -> HttpResponse:
    """Show the case's latest summaries (made with the letter) to the person through this link."""
    inv = _get_invitation(request, code, write=True)
    back = request.POST.get("next", "")
    if not back.startswith((f"/cases/{inv.case.code}/", f"/intake-invitations/{inv.code}/")):
        back = reverse("intake:invitation", kwargs={"code": inv.code})
    made = summary.release(inv, by=request.user, request=request)
    if not made:
        messages.error(
            request,
            "There is no summary to release yet: generate the letter on the Letters and packets tab "
            "(choose the person's languages); it makes the summaries.",
        )
    else:
        languages = ", ".join(r.language.upper() for r in made)
        messages.success(request, f"The person can now open their summary ({languages}) from their link.")
    return redirect(back)
