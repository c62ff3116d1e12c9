from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.views.decorators.http import require_POST, require_safe

from discretion.web.accounts.models import CalendarFeed
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases.models import Case
from discretion.web.cases.views import _get_case_for_user, _membership
from discretion.web.files.store import UploadRejected, store
from discretion.web.tracking import defaults, ical
from discretion.web.tracking.followups import due_between
from discretion.web.tracking.forms import EventForm, PDRequestEditForm, PDRequestForm
from discretion.web.tracking.models import DECIDED, PDRequest, RequestStatus


def _get_request_for_user(request: HttpRequest, code: UUID, *, write: bool = False) -> PDRequest:
    try:
        pd = PDRequest.objects.select_related("case").get(code=code)
    except PDRequest.DoesNotExist:
        raise Http404("No such request") from None
    # The permission check is the case's: same organisation, and write needs an editor.
    _get_case_for_user(request, pd.case.code, write=write)
    return pd


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    m = _membership(request)
    today = localdate()
    end = today + timedelta(days=6 - today.weekday() + 0)  # through Sunday
    if (end - today).days < 3:
        end = today + timedelta(days=7)
    cases = Case.objects.filter(organisation=m.organisation)
    mine = request.GET.get("scope", "mine") != "all"
    if mine:
        cases = cases.filter(assigned_to=request.user)
    due = due_between(cases, None, end, today=today)
    # Triage: a hearing is coming and no request has gone out yet.
    unsent = (
        cases.filter(
            next_hearing_on__gte=today, next_hearing_on__lte=today + timedelta(days=UNSENT_WINDOW_DAYS)
        )
        .exclude(pd_requests__status__in=[s for s in RequestStatus.values if s != RequestStatus.DRAFTED])
        .exclude(status__in=["decided", "closed"])
        .select_related("assigned_to")
        .order_by("next_hearing_on")[:25]
    )
    return render(
        request,
        "tracking/dashboard.html",
        {
            "due": due,
            "today": today,
            "end": end,
            "mine": mine,
            "defaults_label": defaults.LABEL,
            "overdue": [d for d in due if d.on < today],
            "upcoming": [d for d in due if d.on >= today],
            "case_count": cases.count(),
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


def _office(case: Case):
    """The OPLA office for the case's court, from the core's directory (None if unknown)."""
    from discretion.errors import DiscretionError
    from discretion.offices import office_for_court

    try:
        return office_for_court(case.court) if case.court else None
    except DiscretionError:
        return None


def request_new(request: HttpRequest, code: UUID) -> HttpResponse:
    case = _get_case_for_user(request, code, write=True)
    office = _office(case)
    initial = {
        "kind": case.requested_action or "",
        "channel": "email",
        "office": office.name if office else "",
    }
    form = PDRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            pd = PDRequest.objects.create(
                case=case,
                kind=d["kind"],
                office=d["office"],
                channel=d["channel"],
                follow_up_on=d["follow_up_on"],
                created_by=request.user,
            )
            drafted_on = min(localdate(), d["sent_on"]) if d["sent_on"] else localdate()
            pd.set_status(RequestStatus.DRAFTED, by=request.user, on=drafted_on, note="Request recorded")
            if d["sent_on"]:
                pd.set_status(RequestStatus.SENT, by=request.user, on=d["sent_on"])
            record(request, Action.CREATE, obj=pd, case=case, summary=f"PD request: {pd.get_kind_display()}")
        messages.success(request, "Request recorded.")
        return redirect("tracking:request", code=pd.code)
    return render(
        request,
        "tracking/request_new.html",
        {"case": case, "form": form, "office": office},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def request_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    pd = _get_request_for_user(request, code)
    form = EventForm(initial={"on": localdate()})
    return _detail(request, pd, form)


def _detail(request, pd, form, status=200, edit_form=None):
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
    pd = _get_request_for_user(request, code, write=True)
    form = PDRequestEditForm(request.POST, prefix="edit")
    if not form.is_valid():
        return _detail(request, pd, EventForm(initial={"on": localdate()}), status=400, edit_form=form)
    d = form.cleaned_data
    drafted = pd.drafted_on()
    if d["sent_on"] and drafted and d["sent_on"] < drafted:
        form.add_error("sent_on", _before_drafted("Date sent", drafted))
        return _detail(request, pd, EventForm(initial={"on": localdate()}), status=400, edit_form=form)
    PDRequest.objects.filter(pk=pd.pk).update(
        office=d["office"], channel=d["channel"], sent_on=d["sent_on"], follow_up_on=d["follow_up_on"]
    )
    record(request, Action.CHANGE, obj=pd, case=pd.case, summary="Edited the request details")
    messages.success(request, "Request details saved.")
    return redirect("tracking:request", code=pd.code)


@require_POST
def request_event(request: HttpRequest, code: UUID) -> HttpResponse:
    pd = _get_request_for_user(request, code, write=True)
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
    new_status = d["new_status"] or pd.status  # a note keeps the status
    with transaction.atomic():
        pd.set_status(new_status, by=request.user, on=d["on"], note=d["note"], attachment=attachment)
        if d["outcome"] and new_status in DECIDED:
            PDRequest.objects.filter(pk=pd.pk).update(outcome=d["outcome"])
        label = RequestStatus(new_status).label if d["new_status"] else "note"
        record(request, Action.CHANGE, obj=pd, case=pd.case, summary=f"Request timeline: {label}")
    messages.success(request, f"Recorded: {label}.")
    return redirect("tracking:request", code=pd.code)


# --- calendar feeds --------------------------------------------------------------------------


def calendar_settings(request: HttpRequest) -> HttpResponse:
    _membership(request)
    feed, _ = CalendarFeed.objects.get_or_create(user=request.user)
    if request.method == "POST":
        feed.rotate()
        record(request, Action.CHANGE, obj=feed, summary="Replaced the calendar feed address")
        messages.success(request, "New calendar address made. The old one no longer works.")
        return redirect("tracking:calendar")
    url = request.build_absolute_uri(reverse("tracking:feed", kwargs={"token": feed.token}))
    return render(
        request, "tracking/calendar.html", {"feed": feed, "url": url, "defaults_label": defaults.LABEL}
    )


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed. The token is the credential; it is not a login, and shows only the
    user's assigned cases, with names but never A-numbers."""
    try:
        feed = CalendarFeed.objects.select_related("user__membership").get(token=token)
    except CalendarFeed.DoesNotExist:
        raise Http404("No such calendar") from None
    user = feed.user
    membership = getattr(user, "membership", None)
    if not user.is_active or membership is None:
        raise Http404("No such calendar")
    today = localdate()
    cases = Case.objects.filter(organisation_id=membership.organisation_id, assigned_to=user)
    events = []
    for d in due_between(cases, today - timedelta(days=30), today + timedelta(days=365), today=today):
        url = request.build_absolute_uri(reverse("cases:detail", kwargs={"code": d.case.code}))
        events.append(
            {
                "uid": d.uid,
                "on": d.on,
                "summary": f"{d.title}: {d.case.display_name}",
                "description": f"{d.case.court or ''}\n{defaults.LABEL if d.kind != 'hearing' else ''}".strip(),
                "url": url,
            }
        )
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
