"""The public consultation pages: no login, one question a page, safety first.

The order is fixed by what keeps a person safe: first what this page does and does not do, then
whether they have a case in immigration court (someone with none is told not to contact ICE on
their own, and is offered a talk, never a request: digest §0, §2.5), whether they are detained,
their next court date, and only then a time and how to reach them. Answers wait in the
session until the booking is made; nothing is written to the database before that.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.timezone import localdate, now
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.booking import actions, notices
from discretion.web.booking import slots as slot_rules
from discretion.web.booking.forms import AnswerForm, ContactForm, HearingForm, TimeForm
from discretion.web.booking.models import Answer, Booking, ConsultationPage
from discretion.web.client import throttle
from discretion.web.client.language import client_page
from discretion.web.client.pages import clock, limited_post, long_day, plain, render_client, too_many
from discretion.web.client.pages import when as when_text
from discretion.web.lib.downloads import attach

SOON_DAYS = 14  # a court date this close gets the "go to court" warning first (practice default)
STEPS = ["court", "detained", "hearing", "day", "contact", "check"]


def _page(slug: str) -> ConsultationPage:
    page = ConsultationPage.objects.select_related("organisation").filter(slug=slug).first()
    if page is None:
        raise Http404("No such page")
    return page


def _draft(request: HttpRequest, page: ConsultationPage) -> dict:
    return request.session.setdefault(f"booking:{page.pk}", {})


def _save(request: HttpRequest, page: ConsultationPage, **values) -> None:
    draft = _draft(request, page)
    draft.update(values)
    request.session[f"booking:{page.pk}"] = draft
    request.session.modified = True


def _closed(request: HttpRequest, page: ConsultationPage) -> HttpResponse:
    return plain(
        request,
        _("We are not taking bookings on this page now"),
        _("Please call us to ask for a time."),
        org_name=page.organisation.name,
        phone=page.phone,
    )


def _render(request, page, template, context, status=200):
    return render_client(
        request, template, {"page": page, **context}, org_name=page.organisation.name, status=status
    )


def _guard(request: HttpRequest, slug: str, step: str):
    """(page, draft, response): a response when the page is closed, rate-limited or a step skipped."""
    page = _page(slug)
    if not page.published:
        return page, {}, _closed(request, page)
    limited = limited_post(request)
    if limited:
        return page, {}, limited
    draft = _draft(request, page)
    needed = {
        "detained": "in_court",
        "hearing": "detained",
        "day": "detained",
        "contact": "starts_at",
        "check": "name",
    }.get(step)
    if needed and needed not in draft:
        return page, draft, redirect("booking:start", slug=slug)
    return page, draft, None


def _step_label(step: str) -> str:
    n = STEPS.index(step) + 1
    return _("Step %(n)s of %(total)s") % {"n": n, "total": len(STEPS)}


@login_not_required
@require_safe
@client_page
def start(request: HttpRequest, slug: str) -> HttpResponse:
    page = _page(slug)
    if not page.published:
        return _closed(request, page)
    return _render(request, page, "booking/start.html", {})


def _yes_no(
    request, slug: str, step: str, key: str, *, question: str, hint: str, then, back: str
) -> HttpResponse:
    """One yes / no / "I don't know" page: ``then(answer, draft)`` names the next page."""
    page, draft, stop = _guard(request, slug, step)
    if stop:
        return stop
    form = AnswerForm(request.POST if request.method == "POST" else None, initial={"answer": draft.get(key)})
    if request.method == "POST" and form.is_valid():
        answer = form.cleaned_data["answer"]
        _save(request, page, **{key: answer})
        return redirect(then(answer, draft), slug=slug)
    context = {"form": form, "progress": _step_label(step), "question": question, "hint": hint}
    context["back"] = reverse(back, kwargs={"slug": slug})
    return _render(
        request, page, "booking/question.html", context, status=400 if request.method == "POST" else 200
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@client_page
def court(request: HttpRequest, slug: str) -> HttpResponse:
    def then(answer: str, draft: dict) -> str:
        if answer == Answer.YES:
            return "booking:detained"
        _save(request, _page(slug), hearing_on=None)
        return "booking:safety"

    return _yes_no(
        request,
        slug,
        "court",
        "in_court",
        question=_("Do you have a case in immigration court?"),
        hint=_(
            "You have a case if you got a paper called a Notice to Appear, or a letter with a court date."
        ),
        then=then,
        back="booking:start",
    )


@login_not_required
@require_safe
@client_page
def safety(request: HttpRequest, slug: str) -> HttpResponse:
    """For a person with no court case (or who does not know): do not go to ICE alone."""
    page, draft, stop = _guard(request, slug, "detained")
    if stop:
        return stop
    return _render(
        request,
        page,
        "booking/safety.html",
        {"unknown": draft.get("in_court") == Answer.UNKNOWN, "progress": _step_label("court")},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@client_page
def detained(request: HttpRequest, slug: str) -> HttpResponse:
    in_court = _draft(request, _page(slug)).get("in_court") == Answer.YES
    return _yes_no(
        request,
        slug,
        "detained",
        "detained",
        question=_("Is the person who needs help held by immigration now?"),
        hint=_("This means in a detention center or jail because of immigration."),
        then=lambda answer, draft: "booking:hearing" if in_court else "booking:day",
        back="booking:court" if in_court else "booking:safety",
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@client_page
def hearing(request: HttpRequest, slug: str) -> HttpResponse:
    page, draft, stop = _guard(request, slug, "hearing")
    if stop:
        return stop
    initial = draft.get("hearing_on")
    form = HearingForm(request.POST if request.method == "POST" else None, initial={"hearing_on": initial})
    if request.method == "POST":
        if "dont_know" in request.POST:
            _save(request, page, hearing_on=None)
            return redirect("booking:day", slug=slug)
        if form.is_valid():
            value = form.cleaned_data["hearing_on"]
            if value is None:
                form.add_error("hearing_on", _("Write the date, or tap “I don't know”."))
            else:
                _save(request, page, hearing_on=value.isoformat())
                return redirect("booking:day", slug=slug)
    return _render(
        request,
        page,
        "booking/hearing.html",
        {
            "form": form,
            "progress": _step_label("hearing"),
            "detained": draft.get("detained") == Answer.YES,
            "back": reverse("booking:detained", kwargs={"slug": slug}),
        },
        status=400 if request.method == "POST" else 200,
    )


def _offered(page: ConsultationPage) -> list[slot_rules.Slot]:
    return slot_rules.open_slots(
        page.organisation, now=now(), days_ahead=page.days_ahead, min_notice_hours=page.min_notice_hours
    )


def _days(slots: list[slot_rules.Slot]) -> list[tuple[date, int]]:
    counts: dict[date, set[datetime]] = {}
    for s in slots:
        counts.setdefault(s.local().date(), set()).add(s.starts_at)
    return sorted((d, len(v)) for d, v in counts.items())


def _zone_label(slots: list[slot_rules.Slot]) -> str:
    zone = slots[0].time_zone if slots else ""
    city = zone.rsplit("/", 1)[-1].replace("_", " ") if zone else ""
    return _("All times are %(city)s time.") % {"city": city} if city else ""


def _warnings(draft: dict) -> dict:
    hearing_on = date.fromisoformat(draft["hearing_on"]) if draft.get("hearing_on") else None
    soon = hearing_on is not None and 0 <= (hearing_on - localdate()).days <= SOON_DAYS
    return {"detained": draft.get("detained") == Answer.YES, "hearing_soon": soon}


def _day_list(request, page, *, draft, back, day_url, title, progress, extra=None):
    slots = _offered(page)
    return _render(
        request,
        page,
        "booking/days.html",
        {
            "days": [
                {"url": day_url(d), "label": long_day(d, year=False), "count": n} for d, n in _days(slots)
            ],
            "zone": _zone_label(slots),
            "title": title,
            "progress": progress,
            "back": back,
            **_warnings(draft),
            **(extra or {}),
        },
    )


@login_not_required
@require_safe
@client_page
def day(request: HttpRequest, slug: str) -> HttpResponse:
    page, draft, stop = _guard(request, slug, "day")
    if stop:
        return stop
    back = "booking:hearing" if draft.get("in_court") == Answer.YES else "booking:detained"
    return _day_list(
        request,
        page,
        draft=draft,
        back=reverse(back, kwargs={"slug": slug}),
        day_url=lambda d: reverse("booking:time", kwargs={"slug": slug, "day": d.isoformat()}),
        title=_("Choose a day for your talk"),
        progress=_step_label("day"),
        extra={"taken": request.GET.get("taken") == "1"},
    )


def _times_of(slots: list[slot_rules.Slot], on: date) -> list[tuple[str, str]]:
    seen: dict[int, str] = {}
    for s in slots:
        local = s.local()
        if local.date() == on:
            seen.setdefault(int(s.starts_at.timestamp()) // 60, clock(local.time()))
    return [(str(k), v) for k, v in sorted(seen.items())]


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404("No such day") from None


def _chosen(form: TimeForm) -> datetime:
    return datetime.fromtimestamp(int(form.cleaned_data["time"]) * 60, UTC)


@login_not_required
@require_http_methods(["GET", "POST"])
@client_page
def time(request: HttpRequest, slug: str, day: str) -> HttpResponse:
    page, draft, stop = _guard(request, slug, "day")
    if stop:
        return stop
    on = _parse_day(day)
    times = _times_of(_offered(page), on)
    form = TimeForm(request.POST if request.method == "POST" else None, times=times)
    if request.method == "POST" and form.is_valid():
        _save(request, page, starts_at=_chosen(form).isoformat())
        return redirect("booking:contact", slug=slug)
    return _render(
        request,
        page,
        "booking/times.html",
        {
            "form": form,
            "day_label": long_day(on, year=False),
            "zone": _zone_label(_offered(page)),
            "progress": _step_label("day"),
            "back": reverse("booking:day", kwargs={"slug": slug}),
            "none_left": not times,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@client_page
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    page, draft, stop = _guard(request, slug, "contact")
    if stop:
        return stop
    initial = {k: draft.get(k, "") for k in ("name", "phone", "email")}
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _save(request, page, **form.cleaned_data)
        return redirect("booking:check", slug=slug)
    return _render(
        request,
        page,
        "booking/contact.html",
        {
            "form": form,
            "progress": _step_label("contact"),
            "back": reverse("booking:day", kwargs={"slug": slug}),
        },
        status=400 if request.method == "POST" else 200,
    )


def _when(starts_at: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return when_text(starts_at.astimezone(ZoneInfo(zone)))


@login_not_required
@require_http_methods(["GET", "POST"])
@client_page
def check(request: HttpRequest, slug: str) -> HttpResponse:
    page, draft, stop = _guard(request, slug, "check")
    if stop:
        return stop
    starts_at = datetime.fromisoformat(draft["starts_at"])
    offered = [s for s in _offered(page) if s.starts_at == starts_at]
    if request.method == "POST":
        if throttle.is_limited(request, throttle.BOOKING):
            return too_many(request)
        details = actions.Details(
            in_court=draft.get("in_court", Answer.UNKNOWN),
            detained=draft.get("detained", Answer.UNKNOWN),
            hearing_on=date.fromisoformat(draft["hearing_on"]) if draft.get("hearing_on") else None,
            name=draft["name"],
            phone=draft["phone"],
            email=draft.get("email", ""),
            language=get_language() or "en",
        )
        try:
            booking = actions.book(page, starts_at, details, request=request)
        except actions.SlotTaken:
            draft.pop("starts_at", None)
            _save(request, page)
            return redirect(reverse("booking:day", kwargs={"slug": slug}) + "?taken=1")
        throttle.count(request, throttle.BOOKING)
        request.session.pop(f"booking:{page.pk}", None)
        base = actions.site_url(request)
        sent = notices.to_person(booking, "confirmation", base=base)
        notices.to_practitioner(booking, "new_booking", base=base)
        url = reverse("booking:manage", kwargs={"token": actions.manage_token(booking)})
        return redirect(f"{url}?new=1{'&sent=1' if sent else ''}")
    if not offered:
        draft.pop("starts_at", None)
        _save(request, page)
        return redirect(reverse("booking:day", kwargs={"slug": slug}) + "?taken=1")
    zone = offered[0].time_zone
    return _render(
        request,
        page,
        "booking/check.html",
        {
            "when": _when(starts_at, zone),
            "minutes": int(offered[0].length.total_seconds() // 60),
            "draft": draft,
            "progress": _step_label("check"),
            "back": reverse("booking:contact", kwargs={"slug": slug}),
        },
    )


# --- the private link: see, add to calendar, move, cancel ------------------------------------


def _booking(request: HttpRequest, token: str) -> Booking | None:
    booking = actions.booking_for_token(token)
    if booking is None:
        throttle.count(request, throttle.BAD_LINK)
    return booking


def _link_gone(request: HttpRequest) -> HttpResponse:
    return plain(
        request,
        _("This link does not work"),
        _(
            "Check that you copied the whole link. If you still need help, call the office that gave you the link."
        ),
        status=404,
    )


def _manage_guard(request: HttpRequest, token: str):
    if throttle.is_limited(request, throttle.BAD_LINK):
        return None, too_many(request)
    limited = limited_post(request)
    if limited:
        return None, limited
    booking = _booking(request, token)
    if booking is None:
        return None, _link_gone(request)
    return booking, None


@login_not_required
@require_safe
@client_page
def manage(request: HttpRequest, token: str) -> HttpResponse:
    booking, stop = _manage_guard(request, token)
    if stop:
        return stop
    assert booking is not None
    page = booking.organisation.consultation_page
    record(
        request,
        Action.VIEW,
        obj=booking,
        organisation=booking.organisation_id,
        summary="The person opened their booking link",
    )
    return _render(
        request,
        page,
        "booking/manage.html",
        {
            "booking": booking,
            "when": _when(booking.starts_at, booking.time_zone),
            "minutes": int((booking.ends_at - booking.starts_at).total_seconds() // 60),
            "new": request.GET.get("new") == "1",
            "sent": request.GET.get("sent") == "1",
            "moved": request.GET.get("moved") == "1",
            "token": token,
            **_warnings(
                {
                    "detained": booking.detained,
                    "hearing_on": booking.hearing_on.isoformat() if booking.hearing_on else None,
                }
            ),
        },
    )


@login_not_required
@require_safe
@client_page
def calendar_file(request: HttpRequest, token: str) -> HttpResponse:
    booking, stop = _manage_guard(request, token)
    if stop:
        return stop
    assert booking is not None
    url = request.build_absolute_uri(reverse("booking:manage", kwargs={"token": token}))
    response = HttpResponse(notices.ics(booking, url=url), content_type="text/calendar; charset=utf-8")
    attach(response, "consultation", ".ics")
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
@client_page
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking, stop = _manage_guard(request, token)
    if stop:
        return stop
    assert booking is not None
    page = booking.organisation.consultation_page
    if request.method == "POST" and booking.is_active and not booking.is_past:
        actions.cancel(booking, by_person=True, request=request)
        base = actions.site_url(request)
        notices.to_person(booking, "cancelled", base=base)
        notices.to_practitioner(booking, "cancelled_by_person", base=base)
        return redirect("booking:manage", token=token)
    return _render(
        request,
        page,
        "booking/cancel.html",
        {"booking": booking, "when": _when(booking.starts_at, booking.time_zone), "token": token},
    )


@login_not_required
@require_safe
@client_page
def move_day(request: HttpRequest, token: str) -> HttpResponse:
    booking, stop = _manage_guard(request, token)
    if stop:
        return stop
    assert booking is not None
    page = booking.organisation.consultation_page
    if not booking.is_active or booking.is_past:
        return redirect("booking:manage", token=token)
    return _day_list(
        request,
        page,
        draft={},
        back=reverse("booking:manage", kwargs={"token": token}),
        day_url=lambda d: reverse("booking:move_time", kwargs={"token": token, "day": d.isoformat()}),
        title=_("Choose a new day"),
        progress="",
        extra={
            "taken": request.GET.get("taken") == "1",
            "current": _when(booking.starts_at, booking.time_zone),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@client_page
def move_time(request: HttpRequest, token: str, day: str) -> HttpResponse:
    booking, stop = _manage_guard(request, token)
    if stop:
        return stop
    assert booking is not None
    page = booking.organisation.consultation_page
    if not booking.is_active or booking.is_past:
        return redirect("booking:manage", token=token)
    on = _parse_day(day)
    offered = _offered(page)
    times = _times_of(offered, on)
    form = TimeForm(request.POST if request.method == "POST" else None, times=times)
    if request.method == "POST" and form.is_valid():
        try:
            actions.move(booking, _chosen(form), request=request)
        except actions.SlotTaken:
            return redirect(reverse("booking:move_day", kwargs={"token": token}) + "?taken=1")
        base = actions.site_url(request)
        notices.to_person(booking, "moved", base=base)
        notices.to_practitioner(booking, "moved_by_person", base=base)
        return redirect(reverse("booking:manage", kwargs={"token": token}) + "?moved=1")
    return _render(
        request,
        page,
        "booking/times.html",
        {
            "form": form,
            "day_label": long_day(on, year=False),
            "zone": _zone_label(offered),
            "back": reverse("booking:move_day", kwargs={"token": token}),
            "none_left": not times,
            "button": _("Move my talk to this time"),
        },
        status=400 if request.method == "POST" else 200,
    )
