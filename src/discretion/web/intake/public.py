"""The person's intake pages: opened from a private link, one question a page, no JavaScript.

The link (``/i/<token>/``) is exchanged for a session and the address bar moves to ``/intake/``,
so the token does not stay in the browser's history or in a referrer. Closing the browser
ends the session; opening the link again resumes where the person stopped, because every answer
was saved on the server when its page was submitted. A revoked or expired link, or a link that
was replaced, shows a plain page. The pages show only what the person entered themselves.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.client import throttle
from discretion.web.client.language import client_page, supported
from discretion.web.client.pages import limited_post, plain, render_client, too_many
from discretion.web.files.store import ACCEPT, UploadRejected
from discretion.web.intake import actions, documents
from discretion.web.intake.models import Decision, Invitation, InvitationStatus
from discretion.web.intake.questions import Invalid, question, read_entry, read_value, show_entry, show_value

SESSION_KEY = "intake"


def _stopped(request: HttpRequest, inv: Invitation) -> HttpResponse:
    org = inv.case.organisation.name
    if inv.is_revoked:
        return plain(
            request,
            _("This link was stopped"),
            _("Your legal team stopped this link. Your answers are safe with them."),
            _("If you still need to send something, ask them for a new link."),
            org_name=org,
            status=410,
        )
    return plain(
        request,
        _("This link has expired"),
        _(
            "This link worked for a set time, and that time is over. Your answers are safe with your legal team."
        ),
        _("If you still need to send something, ask them for a new link."),
        org_name=org,
        status=410,
    )


def _bad_link(request: HttpRequest) -> HttpResponse:
    return plain(
        request,
        _("This link does not work"),
        _(
            "Check that you copied the whole link. If you still need help, call the office that gave you the link."
        ),
        status=404,
    )


@login_not_required
@require_safe
@client_page
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    if throttle.is_limited(request, throttle.BAD_LINK):
        return too_many(request)
    inv = actions.invitation_for_token(token)
    if inv is None:
        throttle.count(request, throttle.BAD_LINK)
        return _bad_link(request)
    if not inv.is_usable:
        return _stopped(request, inv)
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": inv.pk, "t": inv.token_hash}
    actions.opened(inv, request)
    query = f"?lang={request.GET['lang']}" if supported(request.GET.get("lang")) else ""
    return redirect(reverse("intake:home") + query)


def person_page(view):
    """The invitation of this session, still usable, in its language; a plain page otherwise."""

    @login_not_required
    @client_page
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        held = request.session.get(SESSION_KEY) or {}
        inv = (
            Invitation.objects.select_related("case__organisation").filter(pk=held.get("id") or 0).first()
            if held
            else None
        )
        if inv is None or inv.token_hash != held.get("t"):
            # No session (a closed browser), or the link was replaced since: open the link again.
            return plain(
                request,
                _("Open your link again"),
                _("For your safety, this page closed. Open the link your legal team sent you to go on."),
                _("Your answers are saved."),
                status=403,
            )
        if not inv.is_usable:
            request.session.pop(SESSION_KEY, None)
            return _stopped(request, inv)
        limited = limited_post(request)
        if limited:
            return limited
        picked = supported(request.GET.get("lang")) or supported(request.POST.get("lang"))
        lang = picked or inv.language
        if picked and picked != inv.language:
            Invitation.objects.filter(pk=inv.pk).update(language=picked)
            inv.language = picked
        translation.activate(lang)
        request.client_language = lang  # type: ignore[attr-defined]
        return view(request, inv, *args, **kwargs)

    return wrapped


def released_summaries(inv: Invitation) -> list:
    from discretion.web.intake.summary import released

    return released(inv)


def _render(request, inv: Invitation, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render_client(
        request,
        f"intake/{template}",
        {"inv": inv, **context},
        org_name=inv.case.organisation.name,
        status=status,
    )


def _progress(inv: Invitation, plan) -> str:
    done = sum(1 for a in actions.answers_of(inv) if a.answered)
    left = len(plan.remaining)
    if not left:
        return ""
    return _("Question %(n)s · about %(left)s left") % {"n": done + 1, "left": left}


@require_safe
@person_page
def home(request: HttpRequest, inv: Invitation) -> HttpResponse:
    released = released_summaries(inv)
    if not inv.person_can_edit:
        return _render(
            request,
            inv,
            "sent.html",
            {"released": released, "reviewed": inv.status == InvitationStatus.REVIEWED},
        )
    answers = actions.answers_of(inv)
    return _render(
        request,
        inv,
        "home.html",
        {
            "started": any(a.answered for a in answers) or inv.files.exists(),
            "returned": inv.status == InvitationStatus.RETURNED,
            "released": released,
        },
    )


@require_safe
@person_page
def next_step(request: HttpRequest, inv: Invitation) -> HttpResponse:
    if not inv.person_can_edit:
        return redirect("intake:home")
    answers = {a.path: a for a in actions.answers_of(inv)}
    unfinished = [
        a for a in answers.values() if not a.dont_know and not a.complete and a.decision != Decision.ACCEPTED
    ]
    if unfinished:
        return redirect("intake:more", path=unfinished[0].path)
    # Answers the practitioner returned come back to the person first.
    returned = [a for a in answers.values() if a.decision == Decision.RETURNED]
    if returned:
        return redirect("intake:question", path=returned[0].path)
    nxt = actions.current_plan(inv).next
    if nxt:
        return redirect("intake:question", path=nxt)
    return redirect("intake:documents")


def _previous(inv: Invitation, path: str) -> str:
    answers = actions.answers_of(inv)
    paths = [a.path for a in answers]
    if path in paths:
        i = paths.index(path)
        return reverse("intake:question", kwargs={"path": paths[i - 1]}) if i > 0 else reverse("intake:home")
    return reverse("intake:question", kwargs={"path": paths[-1]}) if paths else reverse("intake:home")


def _after(request: HttpRequest) -> HttpResponse:
    if request.POST.get("then") == "review":
        return redirect("intake:review")
    return redirect("intake:next")


@require_http_methods(["GET", "POST"])
@person_page
def ask(request: HttpRequest, inv: Invitation, path: str) -> HttpResponse:
    q = question(path)
    if q is None:
        raise Http404("No such question")
    if not inv.person_can_edit:
        return redirect("intake:home")
    answer = inv.answers.filter(path=path).first()
    if answer is not None and answer.decision == Decision.ACCEPTED:
        return redirect("intake:next")
    error = ""
    raw = ""
    if request.method == "POST":
        if "dont_know" in request.POST:
            actions.save_answer(inv, path, dont_know=True, request=request)
            return _after(request)
        raw = request.POST.get("answer", "")
        if q.kind == "entries":
            if raw == "no":
                actions.save_answer(inv, path, value=[], request=request)
                return _after(request)
            if raw == "yes":
                entries = answer.value if answer and answer.value else []
                actions.save_answer(inv, path, value=entries, complete=False, request=request)
                if entries:
                    return redirect("intake:more", path=path)
                return redirect("intake:entry", path=path)
            error = _("Choose one answer.")
        else:
            try:
                value = read_value(q, raw)
                if value is None:
                    raise Invalid(_("Please answer, or tap “I don't know”."))
                actions.save_answer(inv, path, value=value, request=request)
                return _after(request)
            except Invalid as exc:
                error = str(exc)
    current = ""
    if answer is not None and not answer.dont_know and answer.value is not None:
        if q.kind == "bool" or q.kind == "entries":
            current = "yes" if answer.value else "no"
        elif q.kind == "lines":
            current = "\n".join(answer.value)
        else:
            current = str(answer.value)
    plan = actions.current_plan(inv)
    return _render(
        request,
        inv,
        "question.html",
        {
            "q": q,
            "value": raw if request.method == "POST" else current,
            "error": error,
            "progress": _progress(inv, plan),
            "back": _previous(inv, path),
            "then": request.GET.get("then") or request.POST.get("then", ""),
            "returned": answer is not None and answer.decision == Decision.RETURNED,
            "no_court": path == "proceedings.detained"
            and inv.answers.filter(path="proceedings.in_proceedings", value=False).exists(),
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
@person_page
def entry(request: HttpRequest, inv: Invitation, path: str) -> HttpResponse:
    q = question(path)
    if q is None or q.kind != "entries":
        raise Http404("No such question")
    if not inv.person_can_edit:
        return redirect("intake:home")
    errors: dict[str, str] = {}
    values: dict = {}
    if request.method == "POST":
        values, errors = read_entry(q, request.POST)
        if not errors and not values:
            errors = {q.items[0].input_id: _("Please answer at least the first question.")}
        if not errors:
            answer = inv.answers.filter(path=path).first()
            entries = list(answer.value or []) if answer and not answer.dont_know else []
            actions.save_answer(inv, path, value=[*entries, values][:20], complete=False, request=request)
            return redirect("intake:more", path=path)
    raw = {i.input_id: request.POST.get(i.input_id, "") for i in q.items} if request.method == "POST" else {}
    return _render(
        request,
        inv,
        "entry.html",
        {
            "q": q,
            "fields": [
                {"q": i, "value": raw.get(i.input_id, ""), "error": errors.get(i.input_id, "")}
                for i in q.items
            ],
            "errors": errors,
            "back": reverse("intake:question", kwargs={"path": path}),
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@person_page
def more(request: HttpRequest, inv: Invitation, path: str) -> HttpResponse:
    q = question(path)
    if q is None or q.kind != "entries":
        raise Http404("No such question")
    answer = inv.answers.filter(path=path).first()
    if answer is None or not inv.person_can_edit:
        return redirect("intake:next")
    entries = list(answer.value or [])
    if request.method == "POST":
        if "remove" in request.POST and request.POST["remove"].isdigit():
            i = int(request.POST["remove"])
            if 0 <= i < len(entries):
                entries.pop(i)
                actions.save_answer(inv, path, value=entries, complete=False, request=request)
            return redirect("intake:more", path=path)
        if request.POST.get("answer") == "yes":
            return redirect("intake:entry", path=path)
        if request.POST.get("answer") == "no":
            actions.save_answer(inv, path, value=entries, complete=True, request=request)
            return _after(request)
    return _render(
        request,
        inv,
        "more.html",
        {
            "q": q,
            "entries": [show_entry(q, e) for e in entries],
            "error": _("Choose one answer.") if request.method == "POST" else "",
            "back": reverse("intake:question", kwargs={"path": path}),
        },
        status=400 if request.method == "POST" else 200,
    )


def _items(inv: Invitation):
    from discretion.web.files.models import StoredFile
    from discretion.web.intake.proposal import overlay

    provided = {
        p
        for proves in StoredFile.objects.filter(case=inv.case, kind="evidence").values_list(
            "proves", flat=True
        )
        for p in proves or []
    }
    return [
        i
        for i in documents.items_for(overlay(inv.case.facts, actions.answers_of(inv)), provided)
        if not i.provided
    ]


@require_safe
@person_page
def documents_list(request: HttpRequest, inv: Invitation) -> HttpResponse:
    sent: dict[str, int] = {}
    for pf in inv.files.all():
        sent[pf.item_id] = sent.get(pf.item_id, 0) + 1
    items = _items(inv)
    record(request, Action.VIEW, obj=inv, case=inv.case, summary="The person looked at the documents to send")
    return _render(
        request,
        inv,
        "documents.html",
        {
            "items": [{"item": i, "sent": sent.get(i.id, 0)} for i in items],
            "back": _previous(inv, ""),
            "can_edit": inv.person_can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
@person_page
def document(request: HttpRequest, inv: Invitation, item_id: str) -> HttpResponse:
    item = next((i for i in _items(inv) if i.id == item_id), None)
    if item is None:
        raise Http404("No such document")
    error = ""
    added = request.GET.get("added") == "1"
    if request.method == "POST" and inv.person_can_edit:
        if "delete" in request.POST:
            pf = (
                inv.files.filter(pk=request.POST.get("delete") or 0, item_id=item_id)
                .select_related("file")
                .first()
            )
            if pf is not None:
                actions.remove_file(inv, pf, request=request)
            return redirect("intake:document", item_id=item_id)
        uploads = [u for name in ("photo", "file") for u in request.FILES.getlist(name)]
        if not uploads:
            error = _("Choose a photo or a file first.")
        for upload in uploads[:10]:
            try:
                actions.add_file(inv, upload, item_id, request=request)
            except UploadRejected:
                error = _(
                    "We could not take “%(name)s”. Send a photo (JPEG, PNG or HEIC) or a PDF, smaller than %(mb)s MB."
                ) % {
                    "name": (upload.name or "")[:60],
                    "mb": _max_mb(),
                }
        if not error:
            return redirect(reverse("intake:document", kwargs={"item_id": item_id}) + "?added=1")
    files = [
        {"id": pf.pk, "name": pf.file.original_name, "accepted": pf.decision == Decision.ACCEPTED}
        for pf in inv.files.filter(item_id=item_id).select_related("file")
    ]
    return _render(
        request,
        inv,
        "document.html",
        {
            "item": item,
            "files": files,
            "error": error,
            "added": added,
            "accept": ACCEPT,
            "back": reverse("intake:documents"),
            "can_edit": inv.person_can_edit,
        },
        status=400 if error else 200,
    )


def _max_mb() -> int:
    from django.conf import settings

    return settings.MAX_UPLOAD_BYTES // (1024 * 1024)


@require_http_methods(["GET", "POST"])
@person_page
def review(request: HttpRequest, inv: Invitation) -> HttpResponse:
    if not inv.person_can_edit:
        return redirect("intake:home")
    if request.method == "POST":
        if inv.answers.filter(complete=False, dont_know=False).exists():
            return redirect("intake:next")  # a list still open: "any more?" comes first
        actions.send(inv, request=request)
        return redirect("intake:home")
    shown = []
    for a in actions.answers_of(inv):
        q = question(a.path)
        if q is None:
            continue
        if a.dont_know:
            text = _("I don't know")
        elif q.kind == "entries":
            text = _("None") if not a.value else ""
        else:
            text = show_value(q, a.value)
        shown.append(
            {
                "q": q,
                "answer": text,
                "entries": [show_entry(q, e) for e in a.value or []]
                if q.kind == "entries" and not a.dont_know
                else [],
                "accepted": a.decision == Decision.ACCEPTED,
                "returned": a.decision == Decision.RETURNED,
                "url": reverse("intake:question", kwargs={"path": a.path}) + "?then=review",
            }
        )
    files = [{"name": pf.file.original_name, "item": pf.item_id} for pf in inv.files.select_related("file")]
    labels = {i.id: i.label for i in _items(inv)}
    for f in files:
        f["label"] = labels.get(f["item"], "")
    return _render(
        request,
        inv,
        "review.html",
        {
            "shown": shown,
            "files": files,
            "remaining": len(actions.current_plan(inv).remaining),
            "returned": inv.status == InvitationStatus.RETURNED,
        },
    )


@require_safe
@person_page
def summary(request: HttpRequest, inv: Invitation, lang: str) -> HttpResponseBase:
    from discretion.web.files.models import StoredFile

    found = next((r for r in released_summaries(inv) if r.language == lang), None)
    f = StoredFile.objects.filter(pk=found.document.file_id, case=inv.case).first() if found else None
    if f is None:
        raise Http404("No summary")
    record(
        request,
        Action.DOWNLOAD,
        obj=f,
        case=inv.case,
        summary=f"The person downloaded their summary ({lang})",
    )
    from discretion.web.files.views import file_response

    return file_response(f, as_attachment=True)


@require_POST
@person_page
def leave(request: HttpRequest, inv: Invitation) -> HttpResponse:
    """End the session on this phone now (a shared phone): the link opens it again."""
    request.session.flush()
    return plain(
        request,
        _("You closed your answers on this phone"),
        _("Your answers are saved. To go on later, open your link again."),
        org_name=inv.case.organisation.name,
    )
