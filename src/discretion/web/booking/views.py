"""The practitioner's side of consultations: the bookings, one's own availability, the public page."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.timezone import now
from django.views.decorators.http import require_POST, require_safe

from discretion.web import access
from discretion.web.access import AuthenticatedRequest
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.booking import actions, notices
from discretion.web.booking.forms import WEEKDAYS, AvailabilityForm, BlackoutForm, PageForm
from discretion.web.booking.models import (
    Availability,
    Blackout,
    Booking,
    BookingStatus,
    ConsultationPage,
    WeeklyHours,
)
from discretion.web.lib import concurrency


def _page_of(organisation) -> ConsultationPage | None:
    return ConsultationPage.objects.filter(organisation=organisation).first()


@require_safe
def bookings(request: AuthenticatedRequest) -> HttpResponse:
    m = access.membership(request)
    mine = request.GET.get("scope", "all") == "mine"
    qs = Booking.objects.filter(organisation=m.organisation, ends_at__gte=now() - timedelta(hours=12))
    if mine:
        qs = qs.filter(practitioner=request.user)
    qs = qs.select_related("practitioner").order_by("starts_at")[:200]
    page = _page_of(m.organisation)
    record(request, Action.VIEW, summary="Viewed the consultations")
    return render(
        request,
        "booking/list.html",
        {
            "bookings": list(qs),
            "mine": mine,
            "page": page,
            "public_url": request.build_absolute_uri(reverse("booking:start", kwargs={"slug": page.slug}))
            if page
            else "",
            "has_availability": Availability.objects.filter(user=request.user).exists(),
        },
    )


@require_POST
def cancel(request: HttpRequest, code: UUID) -> HttpResponse:
    booking = access.booking_for_user(request, code, write=True)
    if booking.is_active:
        actions.cancel(booking, by_person=False, by=request.user, request=request)
        sent = notices.to_person(booking, "cancelled", base=actions.site_url(request))
        messages.success(
            request,
            "Consultation cancelled."
            + (" The person was told by e-mail." if sent else " Call the person to tell them."),
        )
    return redirect("booking:list")


def availability(request: AuthenticatedRequest) -> HttpResponse:
    m = access.membership(request)
    if not m.can_edit:
        raise PermissionDenied("Read-only members do not take consultations")
    a = Availability.objects.filter(user=request.user).prefetch_related("hours", "blackouts").first()
    initial: dict = {
        "active": True,
        "time_zone": "America/New_York",
        "length_minutes": 45,
        "buffer_minutes": 15,
    }
    if a is not None:
        initial = {
            "active": a.active,
            "time_zone": a.time_zone,
            "length_minutes": a.length_minutes,
            "buffer_minutes": a.buffer_minutes,
        }
        parts: dict[int, int] = {}
        for h in a.hours.all():
            part = parts[h.weekday] = parts.get(h.weekday, 0) + 1
            if part <= 2:
                initial[f"d{h.weekday}_{part}_start"] = h.start
                initial[f"d{h.weekday}_{part}_end"] = h.end
    form = AvailabilityForm(request.POST or None, initial=initial)
    opened, conflict = AVAILABILITY_FIELDS.seal(a), None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _save_availability(request, m, d)
        except concurrency.Stale as stale:
            a = Availability.objects.filter(user=request.user).prefetch_related("hours", "blackouts").first()
            conflict, opened = stale, AVAILABILITY_FIELDS.seal(a)
        else:
            messages.success(request, "Availability saved. Booked consultations keep their times.")
            return redirect("booking:availability")
    rows = [
        (name, [form[f"d{day}_{part}_{edge}"] for part in (1, 2) for edge in ("start", "end")])
        for day, name in enumerate(WEEKDAYS)
    ]
    return render(
        request,
        "booking/availability.html",
        {
            "form": form,
            "rows": rows,
            "blackouts": list(a.blackouts.all()) if a else [],
            "blackout_form": BlackoutForm(),
            "has_availability": a is not None,
            "opened": opened,
            "conflict": conflict,
        },
        status=409 if conflict else 400 if request.method == "POST" else 200,
    )


def _hours(a: Availability) -> list[str]:
    return [
        f"{WEEKDAYS[h.weekday]} {h.start:%H:%M}-{h.end:%H:%M}"
        for h in sorted(a.hours.all(), key=lambda h: (h.weekday, h.start))
    ]


# What the availability and page forms edit, for the concurrency check (lib/concurrency.py).
AVAILABILITY_FIELDS = concurrency.Fields(
    {
        "active": ("Taking consultations", concurrency.field("active")),
        "time_zone": ("Time zone", concurrency.field("time_zone")),
        "length_minutes": ("Length (minutes)", concurrency.field("length_minutes")),
        "buffer_minutes": ("Buffer (minutes)", concurrency.field("buffer_minutes")),
        "hours": ("Weekly hours", _hours),
    }
)
PAGE_FIELDS = concurrency.model_form_fields(PageForm)


@transaction.atomic
def _save_availability(request: AuthenticatedRequest, m, d: dict) -> None:
    locked = Availability.objects.select_for_update().filter(user=request.user).first()
    AVAILABILITY_FIELDS.check(
        concurrency.opened_from(request.POST), locked, by=concurrency.last_editor(locked) if locked else None
    )
    a, _ = Availability.objects.update_or_create(
        user=request.user,
        defaults={
            "organisation": m.organisation,
            "active": d["active"],
            "time_zone": d["time_zone"],
            "length_minutes": d["length_minutes"],
            "buffer_minutes": d["buffer_minutes"],
            "updated": now(),
        },
    )
    WeeklyHours.objects.filter(availability=a).delete()
    WeeklyHours.objects.bulk_create(
        [WeeklyHours(availability=a, weekday=day, start=s, end=e) for day, s, e in d["windows"]]
    )
    record(request, Action.CHANGE, obj=a, summary="Changed consultation availability")


@require_POST
def blackout_add(request: AuthenticatedRequest) -> HttpResponse:
    if not access.membership(request).can_edit:
        raise PermissionDenied("Read-only members do not take consultations")
    a = Availability.objects.filter(user=request.user).first()
    if a is None:
        messages.error(request, "Save your weekly hours first.")
        return redirect("booking:availability")
    form = BlackoutForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for e in map(str, errors):
                messages.error(
                    request, e if field == "__all__" or ":" in e else f"{form.fields[field].label}: {e}"
                )
        return redirect("booking:availability")
    b = Blackout.objects.create(availability=a, **form.cleaned_data)
    record(request, Action.CHANGE, obj=a, summary=f"Blocked consultation days {b.starts_on} to {b.ends_on}")
    messages.success(
        request,
        "Days blocked. Consultations already booked on them stay booked: cancel them below if needed.",
    )
    return redirect("booking:availability")


@require_POST
def blackout_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not access.membership(request).can_edit:
        raise PermissionDenied("Read-only members do not take consultations")
    deleted, _ = Blackout.objects.filter(pk=pk, availability__user=request.user).delete()
    if deleted:
        record(request, Action.CHANGE, summary="Unblocked consultation days")
        messages.success(request, "Those days are open again.")
    return redirect("booking:availability")


def page_settings(request: HttpRequest) -> HttpResponse:
    m = access.org_admin(request, why="Only organisation admins publish the consultation page")
    page = _page_of(m.organisation) or ConsultationPage(
        organisation=m.organisation, slug=slugify(m.organisation.name)[:50] or f"org-{m.organisation_id}"
    )
    form = PageForm(request.POST or None, instance=page)
    opened, conflict = PAGE_FIELDS.seal(page if page.pk else None), None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                locked = (
                    ConsultationPage.objects.select_for_update().filter(organisation=m.organisation).first()
                )
                PAGE_FIELDS.check(
                    concurrency.opened_from(request.POST),
                    locked,
                    by=concurrency.last_editor(locked) if locked else None,
                )
                saved = form.save()
                record(request, Action.CHANGE, obj=saved, summary="Changed the public consultation page")
        except concurrency.Stale as stale:
            conflict, opened = stale, PAGE_FIELDS.seal(_page_of(m.organisation))
        else:
            messages.success(request, "Consultation page saved.")
            return redirect("booking:page")
    return render(
        request,
        "booking/page.html",
        {
            "form": form,
            "public_url": request.build_absolute_uri(reverse("booking:start", kwargs={"slug": page.slug}))
            if page.pk
            else "",
            "published": page.pk and page.published,
            "opened": opened,
            "conflict": conflict,
        },
        status=409 if conflict else 400 if request.method == "POST" else 200,
    )


def upcoming_for(user, organisation, *, until) -> list[Booking]:
    """Active consultations of ``user`` from now until ``until`` (the dashboard's panel)."""
    return list(
        Booking.objects.filter(
            organisation=organisation,
            practitioner=user,
            status=BookingStatus.BOOKED,
            ends_at__gte=now(),
            starts_at__lte=until,
        ).order_by("starts_at")[:50]
    )
