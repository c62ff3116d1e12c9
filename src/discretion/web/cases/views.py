from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.views.decorators.http import require_POST, require_safe

from discretion.errors import DiscretionError
from discretion.facts import CaseFacts
from discretion.web import access
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases import actions, courts, flow, listing, plain, sections
from discretion.web.cases.display import rendered_screening, screening_context
from discretion.web.cases.forms import AsOfForm, CaseSettingsForm, ImportForm, NewCaseForm, NoteForm
from discretion.web.cases.models import Case, CaseRevision, dump_facts
from discretion.web.cases.policy import catalogue
from discretion.web.lib import concurrency
from discretion.web.lib.downloads import attach
from discretion.web.lib.htmx import is_htmx
from discretion.web.tracking import defaults, hearings
from discretion.web.tracking.followups import due_on_case
from discretion.web.tracking.forms import TaskForm

PAGE_SIZE = 50
SCREEN_ON_IMPORT = 20

# Kept for code written against the old private names; new code uses discretion.web.access.
_membership = access.membership
_get_case_for_user = access.case_for_user


# --- the case list ---------------------------------------------------------------------------


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    m = access.membership(request)
    today = localdate()
    # The filters' court list, for the whole page only (an htmx update replaces the results).
    courts = (
        []
        if is_htmx(request)
        else Case.objects.filter(organisation=m.organisation)
        .exclude(court="")
        .order_by("court")
        .values_list("court", flat=True)
        .distinct()
    )
    form = listing.filter_form(request.GET, m.organisation, courts=courts)
    # The list shows the copied columns only: loading and decoding 50 cases' facts JSON was
    # a large share of each request.
    qs = (
        listing.filtered_cases(form, organisation=m.organisation, user=request.user, today=today)
        .select_related("assigned_to")
        .defer("facts")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(form.value("page"))
    base = request.GET.copy()
    base.pop("page", None)
    context = {
        "page": page,
        "cases": list(page.object_list),
        "today": today,
        "form": form,
        "problems": form.problems(),
        "query": base.urlencode(),
        "filtered": listing.is_filtered(form),
    }
    template = "cases/list.html#results" if is_htmx(request) else "cases/list.html"
    return render(request, template, context)


def case_new(request: HttpRequest) -> HttpResponse:
    m = access.editor(request)
    form = NewCaseForm(request.POST or None, organisation=m.organisation)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = actions.facts_for_new_case(d["name"], d["a_number"], d["reference"], d["requested_action"])
        facts, errors, summary = sections.validate(data)
        if facts is None:
            for path, message in errors.items():
                field = {
                    "identity.a_number": "a_number",
                    "identity.name": "name",
                    "case_id": "reference",
                }.get(path)
                if field:
                    form.add_error(field, message)
            error = summary
        else:
            assignee = d["assigned_to"] or (request.user if m.is_representative else None)
            case = actions.create_case(
                m.organisation, facts=facts, by=request.user, assigned_to=assignee, request=request
            )
            actions.screen_quietly(case, by=request.user, request=request)
            messages.success(
                request, f"Case for {case.display_name} created. Now the facts, one section after another."
            )
            # The form asked the first section's facts; the flow goes on with the next one.
            first = sections.SECTIONS[1] if d["requested_action"] else sections.SECTIONS[0]
            return redirect("cases:section", code=case.code, section=first.key)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/new.html", {"form": form, "error": error}, status=status)


# --- one case --------------------------------------------------------------------------------


@require_safe
def case_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    case = access.case_for_user(request, code)
    record(request, Action.VIEW, case=case, summary="Viewed the case")
    screening = case.latest_screening()
    today = localdate()
    facts_sections = [(s, sections.summary_rows(s, case.facts or {})) for s in sections.SECTIONS]
    policies = list(catalogue())
    context = {
        "case": case,
        "screening": screening,
        "result": screening.result if screening else None,
        "screening_html": rendered_screening(screening) if screening else "",
        "stale": bool(screening and screening.case_version != case.version),
        "facts_sections": facts_sections,
        "today": today,
        "as_of_form": AsOfForm(initial={"on": today}, policies=policies),
        "settings_form": CaseSettingsForm(
            initial={
                "status": case.status,
                "assigned_to": case.assigned_to_id,
                "opened": actions.SETTINGS_FIELDS.seal(case),
            },
            organisation=case.organisation,
            auto_id="settings-%s",
        ),
        "pd_requests": case.pd_requests.all(),
        "tasks": list(case.tasks.select_related("assigned_to", "done_by")),
        "case_due": due_on_case(case, today=today, until=today + timedelta(days=365)),
        "task_form": TaskForm(organisation=case.organisation, auto_id="task-%s"),
        "notes": list(case.notes.select_related("author")[:50]),
        "note_count": case.notes.count(),
        "note_form": NoteForm(auto_id="note-%s"),
        "status_changes": list(case.status_changes.select_related("by")[:10]),
        "defaults_label": defaults.LABEL,
        "hearing": hearings.of_case(case),
        "files": case.files.exclude(kind="generated").order_by("position", "created"),
        "hearing_in": case.hearing_in_days(today),
        "section_for_path": {s.key: s for s in sections.SECTIONS},
        "start_section": flow.first_to_enter(case),
        "court_state": courts.describe(
            case.court or None, ((case.facts or {}).get("proceedings") or {}).get("opla_office")
        ),
        "questions": plain.missing_questions(screening.result if screening else None, case.facts or {}),
    }
    return render(request, "cases/detail.html", context)


def section_edit(request: HttpRequest, code: UUID, section: str) -> HttpResponse:
    """One step of the guided fact flow: a section's form, the progress list, the screening so far.

    "Save and continue" saves and opens the next section; a section in the progress list saves
    and opens that one; "Add another" shows a new entry without saving. An error keeps
    everything typed and names each field, next to it and at the top."""
    sec = sections.SECTION_BY_KEY.get(section)
    if sec is None:
        raise Http404("No such section")
    case = access.case_for_user(request, code, write=request.method == "POST")
    if request.method != "POST":
        record(request, Action.VIEW, case=case, summary=f"Viewed {sec.title.lower()}")
        return _section_page(request, case, sec, sections.widgets(sec, case.facts or {}), case.version)

    submitted = sections.parse_section(sec, request.POST)
    court_errors = courts.check(submitted, case.facts or {})
    merged = sections.merge(case.facts or {}, sec, submitted)
    try:
        base_version = int(request.POST.get("version", ""))
    except ValueError:
        base_version = -1
    if request.POST.get("add_row"):
        added = sections.added_entry(sec, request.POST["add_row"])
        return _section_page(
            request, case, sec, sections.widgets(sec, merged, added=added), base_version, added=added
        )
    facts, errors, summary = sections.validate(merged)
    if facts is None or court_errors:
        errors = court_errors | errors
        return _section_page(
            request,
            case,
            sec,
            sections.widgets(sec, merged, errors),
            base_version,
            summary=summary,
            status=400,
        )
    then = flow.next_url(case, sec, request.POST.get("then", ""))
    if dump_facts(facts) == (case.facts or {}) and base_version == case.version:
        return redirect(then)  # nothing changed: no new version, no new screening
    try:
        actions.save_facts(
            case, facts=facts, base_version=base_version, section=sec.key, by=request.user, request=request
        )
    except actions.Conflict as conflict:
        # Keep what they typed; show what the other person changed; the next save overwrites
        # deliberately because the form now carries the current version.
        return _section_page(
            request,
            case,
            sec,
            sections.widgets(sec, merged),
            conflict.case.version,
            conflict=conflict,
            status=409,
        )
    _, problem = actions.screen_quietly(case, by=request.user, request=request)
    messages.success(request, f"{sec.title} saved.")
    if problem:
        messages.warning(request, f"Saved, but the case could not be screened: {problem}")
    return redirect(then)


def _section_page(
    request: HttpRequest,
    case: Case,
    sec: sections.Section,
    widgets: list[sections.Widget],
    version: int,
    *,
    summary: str = "",
    conflict: actions.Conflict | None = None,
    added: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    screening = case.latest_screening()
    context = {
        "case": case,
        "section": sec,
        "sections": sections.SECTIONS,
        "version": version,
        "widgets": widgets,
        "errors": sections.with_errors(widgets),
        "summary": summary,
        "conflict": conflict,
        "added": next(iter(added), "") if added else "",
        "progress": flow.progress(case, screening),
        "step": flow.step(sec),
        "next_section": flow.following(sec),
        "so_far": flow.so_far(case, screening, sec),
    }
    return render(request, "cases/section.html", context, status=status)


@require_POST
def section_validate(request: HttpRequest, code: UUID, section: str) -> HttpResponse:
    """Inline validation while typing: the section's error slots and, when the form is right,
    the screening of what is in it, swapped out-of-band by htmx. Saves nothing."""
    sec = sections.SECTION_BY_KEY.get(section)
    if sec is None:
        raise Http404("No such section")
    case = access.case_for_user(request, code, write=True)
    submitted = sections.parse_section(sec, request.POST)
    court_errors = courts.check(submitted, case.facts or {})
    merged = sections.merge(case.facts or {}, sec, submitted)
    facts, errors, summary = sections.validate(merged)
    errors = court_errors | errors
    widgets = sections.widgets(sec, merged, errors)
    slots = []
    for w in widgets:
        slots.append(w)
        for row in w.rows:
            slots.extend(row)
    so_far = None
    if facts is not None:
        try:
            preview = actions.preview_facts(case, facts)
        except DiscretionError:
            preview = None
        so_far = flow.summarise(preview, merged, sec) if preview else None
    context = {
        "slots": slots,
        "errors": sections.with_errors(widgets),
        "summary": summary,
        "section": sec,
        "so_far": so_far,
    }
    return render(request, "cases/section_errors.html", context)


@require_safe
def court_search(request: HttpRequest) -> HttpResponse:
    """The court picker's suggestions (htmx): directory courts matching what is typed."""
    access.membership(request)
    text = request.GET.get(courts.COURT_PATH, request.GET.get("q", ""))[:100]
    found = courts.search(text)
    rows = [(c, directory_office(c)) for c in found]
    return render(request, "cases/_court_options.html", {"rows": rows, "text": text})


def directory_office(court):
    from discretion.offices import directory

    return directory().office_for(court)


@require_POST
def screen_now(request: HttpRequest, code: UUID) -> HttpResponse:
    case = access.case_for_user(request, code, write=True)
    form = AsOfForm(request.POST, policies=list(catalogue()))
    if not form.is_valid():
        messages.error(request, "As of: enter a date written YYYY-MM-DD.")
        return redirect(reverse("cases:detail", kwargs={"code": case.code}) + "#screening")
    _, problem = actions.screen_quietly(case, by=request.user, on=form.cleaned_data["on"], request=request)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, f"Screened as of {form.cleaned_data['on']:%B %-d, %Y}.")
    return redirect(reverse("cases:detail", kwargs={"code": case.code}) + "#screening")


@require_safe
def compare(request: HttpRequest, code: UUID) -> HttpResponse:
    case = access.case_for_user(request, code)
    policies = list(catalogue())
    form = AsOfForm(request.GET or None, policies=policies)
    current = case.latest_screening()
    context = {"case": case, "form": form, "current": current, "rows": None, "error": ""}
    if request.GET and form.is_valid():
        try:
            other = actions.preview_screening(
                case, on=form.cleaned_data["on"], policy_id=form.cleaned_data["policy"] or None
            )
        except DiscretionError as exc:
            context["error"] = str(exc)
        else:
            context |= {
                "other": other,
                "other_context": screening_context(other, case.facts or {}, case.code),
                "rows": actions.compare(current.result if current else {}, other),
            }
            record(
                request,
                Action.VIEW,
                case=case,
                summary=f"Compared with {other['policy']['id']} as of {other['as_of']}",
            )
    elif request.GET:
        context["error"] = " ".join(
            f"{form[field].label}: {'enter a date written YYYY-MM-DD.' if field == 'on' else ' '.join(map(str, errs))}"
            for field, errs in form.errors.items()
        )
    return render(request, "cases/compare.html", context, status=400 if context["error"] else 200)


@require_POST
def case_settings(request: HttpRequest, code: UUID) -> HttpResponse:
    case = access.case_for_user(request, code, write=True)
    form = CaseSettingsForm(request.POST, organisation=case.organisation)
    if not form.is_valid():
        for field, errs in form.errors.items():
            messages.error(
                request, f"{form[field].label if field in form.fields else field}: {' '.join(map(str, errs))}"
            )
        return redirect(reverse("cases:detail", kwargs={"code": case.code}) + "#case-settings")
    d = form.cleaned_data
    try:
        changed = actions.change_settings(
            case,
            status=d["status"],
            assigned_to=d["assigned_to"],
            closing_reason=d["closing_reason"],
            why=d["why"],
            by=request.user,
            request=request,
            opened=d["opened"] or None,
        )
    except concurrency.Stale as conflict:
        case.refresh_from_db()
        data = request.POST.copy()
        data["opened"] = actions.SETTINGS_FIELDS.seal(case)
        again = CaseSettingsForm(data, organisation=case.organisation, auto_id="settings-%s")
        return render(
            request,
            "cases/settings_conflict.html",
            {"case": case, "settings_form": again, "conflict": conflict},
            status=409,
        )
    if changed:
        messages.success(request, "Case updated: " + "; ".join(changed) + ".")
    return redirect("cases:detail", code=case.code)


@require_safe
def history(request: HttpRequest, code: UUID) -> HttpResponse:
    """Who changed which facts when, newest first (from the revisions every save writes)."""
    case = access.case_for_user(request, code)
    record(request, Action.VIEW, case=case, summary="Viewed the history of the facts")
    page = Paginator(case.revisions.select_related("created_by").order_by("-version"), 20).get_page(
        request.GET.get("page")
    )
    revisions = list(page.object_list)
    versions = [r.version - 1 for r in revisions]
    previous = {r.version: r.facts for r in CaseRevision.objects.filter(case=case, version__in=versions)}
    entries = []
    for r in revisions:
        before = previous.get(r.version - 1, {})
        section = sections.SECTION_BY_KEY.get(r.section)
        entries.append({"revision": r, "section": section, "changes": sections.changes(before, r.facts)})
    return render(request, "cases/history.html", {"case": case, "page": page, "entries": entries})


@require_safe
def screening_report(request: HttpRequest, code: UUID) -> HttpResponse:
    """The latest screening snapshot as Markdown (the core's report), on the facts it was made from."""
    from discretion.report import render_markdown
    from discretion.screening import Screening

    case = access.case_for_user(request, code)
    snap = case.latest_screening()
    if snap is None:
        raise Http404("This case has not been screened yet")
    revision = CaseRevision.objects.filter(case=case, version=snap.case_version).first()
    facts = CaseFacts.model_validate(revision.facts if revision else case.facts)
    body = render_markdown(Screening.from_dict(snap.result), facts)
    record(
        request,
        Action.EXPORT,
        obj=snap,
        case=case,
        summary=f"Downloaded the screening under {snap.policy_id}",
    )
    response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    attach(response, f"screening-{case.reference or str(case.code)[:8]}-{snap.on}", ".md")
    response["Cache-Control"] = "private, no-store"
    return response


def case_import(request: HttpRequest) -> HttpResponse:
    """Add cases from docket CSVs or case files. Nothing is imported unless every file is right."""
    from discretion.web.cases import imports

    m = access.editor(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    report = None
    if request.method == "POST":
        if form.is_valid():
            report = imports.read_uploads(form.cleaned_data["file"])
        else:
            report = imports.ImportReport(
                problems=[("File", " ".join(str(e) for errs in form.errors.values() for e in errs))]
            )
        if not report.problems:
            assignee = request.user if m.is_representative else None
            created = imports.import_cases(
                m.organisation, report, by=request.user, assigned_to=assignee, request=request
            )
            count = len(created)
            # A few imported cases are screened at once; a whole docket would hold the request up.
            screened = count <= SCREEN_ON_IMPORT
            for case in created if screened else ():
                actions.screen_quietly(case, by=request.user, request=request)
            messages.success(
                request,
                f"Imported {count} case{'s' if count != 1 else ''}."
                + ("" if screened else " Screen each one from its page."),
            )
            for case, other in imports.same_a_number(created):
                messages.warning(
                    request,
                    f"{case.display_name} has the same A-number as {other.display_name}, a case you already "
                    "had: check they are not the same person twice.",
                )
            if count == 1:
                return redirect("cases:detail", code=created[0].code)
            return redirect("cases:list")
    status = 400 if report and report.problems else 200
    return render(request, "cases/import.html", {"report": report, "form": form}, status=status)
