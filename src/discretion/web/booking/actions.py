"""Book, move and cancel consultations; the private link; the reminders.

Every write here is one transaction. ``book`` and ``move`` take a time by inserting its
``SlotHold`` rows: the unique constraint decides who wins when two people pick the same time at
the same instant, on SQLite and PostgreSQL alike, and the loser is told the time was just taken.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.timezone import now

from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.booking import slots as slot_rules
from discretion.web.booking.models import Availability, Booking, BookingStatus, ConsultationPage, SlotHold

log = logging.getLogger(__name__)

# Practice defaults, not rules: when reminders go out before a consultation.
REMINDERS_BEFORE = (timedelta(hours=24), timedelta(hours=2))
_SALT = "discretion.booking.manage"


class SlotTaken(Exception):
    """Someone else took the time first (or it is no longer offered)."""


@dataclass(frozen=True)
class Details:
    """What the person gave on the public page."""

    in_court: str
    detained: str
    hearing_on: date | None
    name: str
    phone: str
    email: str
    language: str


# --- the private link -------------------------------------------------------------------------


def manage_token(booking: Booking) -> str:
    """The secret of the booking's private link: the booking's code signed with the site key.

    Signed rather than stored, so a reminder sent by the worker can carry the link again; it
    cannot be guessed without the secret key (HMAC-SHA256) and shows one booking only.
    """
    return signing.Signer(salt=_SALT).sign(booking.code.hex)


def booking_for_token(token: str) -> Booking | None:
    try:
        code = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Booking.objects.select_related("organisation", "practitioner").filter(code=code).first()


# --- taking and releasing time --------------------------------------------------------------


def _free_at(page: ConsultationPage, starts_at: datetime) -> list[slot_rules.Slot]:
    """The slots at exactly ``starts_at`` still on offer now (one per free practitioner)."""
    offered = slot_rules.open_slots(
        page.organisation,
        now=now(),
        days_ahead=page.days_ahead,
        min_notice_hours=page.min_notice_hours,
    )
    return [s for s in offered if s.starts_at == starts_at]


def _hold(booking: Booking, slot: slot_rules.Slot) -> None:
    SlotHold.objects.bulk_create(
        [SlotHold(practitioner_id=booking.practitioner_id, tick=t, booking=booking) for t in slot.ticks()]
    )


def book(page: ConsultationPage, starts_at: datetime, details: Details, *, request=None) -> Booking:
    """Book the first practitioner free at ``starts_at``; raise SlotTaken if nobody is."""
    candidates = _free_at(page, starts_at)
    availabilities = {
        str(a.code): a
        for a in Availability.objects.filter(code__in=[s.availability_code for s in candidates])
    }
    for slot in candidates:
        availability = availabilities[slot.availability_code]
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    organisation=page.organisation,
                    practitioner_id=availability.user_id,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    time_zone=slot.time_zone,
                    in_court=details.in_court,
                    detained=details.detained,
                    hearing_on=details.hearing_on,
                    name=details.name,
                    phone=details.phone,
                    email=details.email,
                    language=details.language,
                    link_base=site_url(request),
                )
                _hold(booking, slot)
        except IntegrityError:
            continue  # taken by someone else a moment ago: try the next free practitioner
        record(
            request,
            Action.CREATE,
            obj=booking,
            organisation=page.organisation_id,
            summary=f"Consultation booked for {booking.starts_at:%Y-%m-%d %H:%M} UTC from the public page",
        )
        transaction.on_commit(partial(schedule_reminders, booking))
        return booking
    raise SlotTaken()


def move(booking: Booking, starts_at: datetime, *, request=None) -> Booking:
    """Move an active booking to another free time of the same organisation."""
    page = booking.organisation.consultation_page
    if not booking.is_active:
        raise SlotTaken()
    candidates = _free_at(page, starts_at)
    # Prefer the same practitioner.
    candidates.sort(key=lambda s: s.availability_code != str(booking.practitioner.availability.code))
    availabilities = {
        str(a.code): a
        for a in Availability.objects.filter(code__in=[s.availability_code for s in candidates])
    }
    old = booking.starts_at
    for slot in candidates:
        availability = availabilities[slot.availability_code]
        try:
            with transaction.atomic():
                SlotHold.objects.filter(booking=booking).delete()
                Booking.objects.filter(pk=booking.pk).update(
                    practitioner_id=availability.user_id,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    time_zone=slot.time_zone,
                    moves=booking.moves + 1,
                )
                booking.refresh_from_db()
                _hold(booking, slot)
        except IntegrityError:
            booking.refresh_from_db()
            continue
        record(
            request,
            Action.CHANGE,
            obj=booking,
            organisation=booking.organisation_id,
            summary=f"Consultation moved from {old:%Y-%m-%d %H:%M} to {booking.starts_at:%Y-%m-%d %H:%M} UTC",
        )
        transaction.on_commit(partial(schedule_reminders, booking))
        return booking
    raise SlotTaken()


def cancel(booking: Booking, *, by_person: bool, by=None, request=None) -> Booking:
    with transaction.atomic():
        SlotHold.objects.filter(booking=booking).delete()
        Booking.objects.filter(pk=booking.pk).update(
            status=BookingStatus.CANCELLED, cancelled_at=now(), cancelled_by_person=by_person
        )
        booking.refresh_from_db()
        who = "the person" if by_person else "the organisation"
        record(
            request,
            Action.CHANGE,
            obj=booking,
            user=by,
            organisation=booking.organisation_id,
            summary=f"Consultation of {booking.starts_at:%Y-%m-%d %H:%M} UTC cancelled by {who}",
        )
    return booking


# --- reminders --------------------------------------------------------------------------------


def schedule_reminders(booking: Booking) -> int:
    """Queue a reminder for each of REMINDERS_BEFORE still ahead; the worker sends them.

    Each task names the start it reminds of, so a reminder of a time that was moved or
    cancelled does nothing when it runs.
    """
    from discretion.web.booking.tasks import send_reminder

    if not booking.email or not booking.is_active:
        return 0
    if not send_reminder.get_backend().supports_defer:
        log.info("the task backend cannot run tasks later; no reminders for booking %s", booking.pk)
        return 0
    queued = 0
    for before in REMINDERS_BEFORE:
        at = booking.starts_at - before
        if at <= now():
            continue
        send_reminder.using(run_after=at).enqueue(booking.pk, booking.starts_at.isoformat())
        queued += 1
    return queued


def site_url(request=None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return (settings.SITE_URL or "http://127.0.0.1:8000").rstrip("/")
