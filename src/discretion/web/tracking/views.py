from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.views.decorators.http import require_POST, require_safe

from discretion.web import access
from discretion.web.access import AuthenticatedRequest
from discretion.web.accounts.models import CalendarFeed
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases.models import Case, Status
from discretion.web.files.store import UploadRejected, store
from discretion.web.lib import concurrency
from discretion.web.tracking import actions, defaults, hearings, ical
from discretion.web.tracking.followups import due_between, work_of
from discretion.web.tracking.forms import EventForm, PDRequestEditForm, PDRequestForm, ScopeForm
from discretion.web.tracking.models import RequestStatus


@require_safe
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    m = access.membership(request)
    today = localdate()
    end = today + timedelta(days=6 - today.weekday() + 0)  # through Sunday
    if (end - today).days < 3:
        end = today + timedelta(days=7)
    mine = ScopeForm(request.GET).mine()
    cases, tasks = work_of(m.organisation, request.user if mine else None)
    due = due_between(cases, None, end, today=today, tasks=tasks)
    # Triage: a hearing is coming and no request has gone out yet.
    unsent = (
        cases.filter(
            next_hearing_on__gte=today, next_hearing_on__lte=today + timedelta(days=UNSENT_WINDOW_DAYS)
        )
        .exclude(pd_requests__status__in=[s for s in RequestStatus.values if s != RequestStatus.DRAFTED])
        .exclude(status=Status.DECIDED)
        .select_related("assigned_to")
        .order_by("next_hearing_on")[:25]
    )
    # Counted exactly as the case list filters them, so each number is the list it links to.
    scoped = Case.objects.filter(organisation=m.organisation)
    if mine:
        scoped = scoped.filter(assigned_to=request.user)
    counts = dict(scoped.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_status = [(value, label, counts.get(value, 0)) for value, label in Status.choices]
    return render(
        request,
        "tracking/dashboard.html",
        {
            "due": due,
            "today": today,
            "end": end,
            "mine": mine,
            "defaults_label": defaults.LABEL,
            "overdue": [d for d in due if d.on is not None and d.on < today],
            "upcoming": [d for d in due if d.on is not None and d.on >= today],
            "case_count": sum(counts.values()),
            "by_status": by_status,
            "unsent": list(unsent),
            "unsent_days": UNSENT_WINDOW_DAYS,
            "consultations": consultations_until(request.user, m.organisation, end),
            "intakes": intakes_to_review(cases),
        },
    )


def consultations_until(user, organisation, end):
    from datetime import datetime, time

    from django.utils.timezone import get_current_timezone

    from discretion.web.booking.views import upcoming_for

    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=get_current_timezone())
    return upcoming_for(user, organisation, until=until)


def intakes_to_review(cases):
    """Answers people sent through their invitation links, waiting for a practitioner."""
    from discretion.web.intake.models import Invitation, InvitationStatus

    return list(
        Invitation.objects.filter(case__in=cases, status=InvitationStatus.SENT)
        .select_related("case")
        .order_by("sent_at")[:25]
    )


UNSENT_WINDOW_DAYS = 45  # practice default, not law: how far ahead to flag hearings with no request sent
HEARING_LENGTH = timedelta(hours=1)  # a calendar needs an end; notices give only the start


def _office(case: Case):
    """The OPLA office the case names or its court's, from the core's directory (None if unknown)."""
    from discretion.errors import DiscretionError
    from discretion.offices import office_for_case

    chosen = ((case.facts or {}).get("proceedings") or {}).get("opla_office")
    try:
        return office_for_case(case.court or None, chosen)
    except DiscretionError:
        return None


def request_new(request: HttpRequest, code: UUID) -> HttpResponse:
    case = access.case_for_user(request, code, write=True)
    office = _office(case)
    initial = {
        "kind": case.requested_action or "",
        "channel": "email",
        "office": office.name if office else "",
    }
    form = PDRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        pd, moved = actions.record_request(
            case,
            kind=d["kind"],
            office=d["office"],
            channel=d["channel"],
            sent_on=d["sent_on"],
            follow_up_on=d["follow_up_on"],
            by=request.user,
            request=request,
        )
        messages.success(request, "Request recorded." + (f" The case is now “{moved}”." if moved else ""))
        return redirect("tracking:request", code=pd.code)
    return render(
        request,
        "tracking/request_new.html",
        {"case": case, "form": form, "office": office},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def request_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    pd = access.request_for_user(request, code)
    form = EventForm(initial={"on": localdate()})
    return _detail(request, pd, form)


def _detail(request, pd, form, status=200, edit_form=None, conflict=None):
    edit_form = edit_form or PDRequestEditForm(
        initial={
            "office": pd.office,
            "channel": pd.channel,
            "sent_on": pd.sent_on,
            "follow_up_on": pd.follow_up_on,
        },
        prefix="edit",
    )
    return render(
        request,
        "tracking/request.html",
        {
            "pd": pd,
            "case": pd.case,
            "form": form,
            # By the date of each event, then the order they were recorded.
            "events": pd.events.select_related("by", "attachment").order_by("on", "created", "id"),
            "follow_up": pd.follow_up_due(),
            "edit_form": edit_form,
            "edit_opened": actions.REQUEST_FIELDS.seal(pd),
            "conflict": conflict,
            "defaults_label": defaults.LABEL,
        },
        status=status,
    )


def _before_drafted(field: str, drafted) -> str:
    return (
        f"{field}: the request was drafted on {drafted:%B} {drafted.day}, {drafted.year}; "
        "enter that date or a later one."
    )


@require_POST
def request_edit(request: HttpRequest, code: UUID) -> HttpResponse:
    pd = access.request_for_user(request, code, write=True)
    form = PDRequestEditForm(request.POST, prefix="edit")
    if not form.is_valid():
        return _detail(request, pd, EventForm(initial={"on": localdate()}), status=400, edit_form=form)
    d = form.cleaned_data
    drafted = pd.drafted_on()
    if d["sent_on"] and drafted and d["sent_on"] < drafted:
        form.add_error("sent_on", _before_drafted("Date sent", drafted))
        return _detail(request, pd, EventForm(initial={"on": localdate()}), status=400, edit_form=form)
    try:
        actions.edit_request(
            pd,
            office=d["office"],
            channel=d["channel"],
            sent_on=d["sent_on"],
            follow_up_on=d["follow_up_on"],
            by=request.user,
            request=request,
            opened=concurrency.opened_from(request.POST),
        )
    except concurrency.Stale as conflict:
        pd.refresh_from_db()
        event_form = EventForm(initial={"on": localdate()})
        return _detail(request, pd, event_form, status=409, edit_form=form, conflict=conflict)
    messages.success(request, "Request details saved.")
    return redirect("tracking:request", code=pd.code)


@require_POST
def request_event(request: HttpRequest, code: UUID) -> HttpResponse:
    pd = access.request_for_user(request, code, write=True)
    form = EventForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, pd, form, status=400)
    d = form.cleaned_data
    drafted = pd.drafted_on()
    if drafted and d["on"] < drafted:
        form.add_error("on", _before_drafted("Date", drafted))
        return _detail(request, pd, form, status=400)
    attachment = None
    if d["attachment"]:
        try:
            attachment = store(
                d["attachment"],
                case=pd.case,
                by=request.user,
                kind="response",
                description=f"OPLA response ({RequestStatus(d['new_status']).label})",
            )
        except UploadRejected as exc:
            form.add_error("attachment", str(exc))
            return _detail(request, pd, form, status=400)
    if not d["new_status"] and not d["note"] and attachment is None:
        form.add_error("note", "Write the note, or choose what happened.")
        return _detail(request, pd, form, status=400)
    label, moved = actions.record_event(
        pd,
        new_status=d["new_status"],
        on=d["on"],
        note=d["note"],
        outcome=d["outcome"],
        attachment=attachment,
        by=request.user,
        request=request,
    )
    messages.success(request, f"Recorded: {label}." + (f" The case is now “{moved}”." if moved else ""))
    return redirect("tracking:request", code=pd.code)


# --- calendar feeds --------------------------------------------------------------------------


def calendar_settings(request: HttpRequest) -> HttpResponse:
    access.membership(request)
    if request.method == "POST":
        actions.rotate_feed(request.user, request=request)
        messages.success(request, "New calendar address made. The old one no longer works.")
        return redirect("tracking:calendar")
    feed = actions.calendar_feed_of(request.user)
    url = request.build_absolute_uri(reverse("tracking:feed", kwargs={"token": feed.token}))
    return render(
        request, "tracking/calendar.html", {"feed": feed, "url": url, "defaults_label": defaults.LABEL}
    )


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed. The token is the credential; it is not a login, and shows only the
    user's own work (their tasks, the hearings and follow-ups of their cases), with names but
    never A-numbers. Hearings with a readable time are timed in the court's time zone."""
    try:
        feed = CalendarFeed.objects.select_related("user__membership").get(token=token)
    except CalendarFeed.DoesNotExist:
        raise Http404("No such calendar") from None
    user = feed.user
    membership = getattr(user, "membership", None)
    if not user.is_active or membership is None:
        raise Http404("No such calendar")
    today = localdate()
    cases, tasks = work_of(membership.organisation, user)
    events = []
    for d in due_between(
        cases, today - timedelta(days=30), today + timedelta(days=365), today=today, tasks=tasks
    ):
        url = request.build_absolute_uri(reverse("cases:detail", kwargs={"code": d.case.code}))
        event: dict[str, Any] = {
            "uid": d.uid,
            "on": d.on,
            "summary": f"{d.title}: {d.case.display_name}",
            "url": url,
        }
        lines = [d.case.court] if d.case.court else []
        if d.kind == "hearing":
            start = hearings.of_case(d.case)
            if start is not None and start.at is not None:
                event |= {"start": start.at, "duration": HEARING_LENGTH}
                lines.append(
                    f"Time zone: {start.zone} (the court's){'; ' + start.zone_note if start.zone_note else ''}."
                )
                lines.append("How long the hearing lasts is not known: shown as one hour.")
            elif start is not None:
                lines.append(f"Shown as all day: {start.problem}.")
        elif d.kind == "task":
            lines.append(f"Task for {d.person_name}." if d.person_name else "Task.")
        else:
            lines.append(defaults.LABEL)
        event["description"] = "\n".join(lines)
        events.append(event)
    events += consultation_events(request, user, membership.organisation_id, today)
    record(
        None,
        Action.EXPORT,
        user=user,
        organisation=membership.organisation_id,
        summary="Calendar feed fetched",
    )
    body = ical.calendar(f"PD workbench: {user.get_username()}", events)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def consultation_events(request: HttpRequest, user, organisation_id: int, today) -> list[dict]:
    """The user's booked consultations as timed events (the person's name and phone, nothing else)."""
    from discretion.web.booking.models import Booking, BookingStatus

    qs = Booking.objects.filter(
        organisation_id=organisation_id,
        practitioner=user,
        status=BookingStatus.BOOKED,
        starts_at__date__gte=today - timedelta(days=30),
    ).order_by("starts_at")[:500]
    url = request.build_absolute_uri(reverse("booking:list"))
    return [
        {
            "uid": f"consultation-{b.code}@discretion",
            "start": b.starts_at,
            "end": b.ends_at,
            "summary": f"Consultation: {b.name}",
            "description": f"Call {b.phone}. Language: {b.language}.",
            "sequence": b.moves,
            "url": url,
        }
        for b in qs
    ]
