"""Background work of bookings (django.tasks; the database worker runs it under `discretion serve`)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.tasks import task


@task
def send_reminder(booking_id: int, starts_at: str) -> str:
    """Remind the person of the consultation starting at ``starts_at``, once.

    Does nothing if the booking was cancelled or moved since (a move queues its own reminders)
    or this reminder already went out.
    """
    from discretion.web.audit.log import record
    from discretion.web.audit.models import Action
    from discretion.web.booking import notices
    from discretion.web.booking.models import Booking

    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .select_related("organisation", "practitioner")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None or not booking.is_active:
            return "cancelled"
        if booking.starts_at != datetime.fromisoformat(starts_at):
            return "moved"
        if booking.is_past:
            return "past"
        sent_for = f"{starts_at}|{len(booking.reminders_sent)}"
        if not notices.to_person(booking, "reminder"):
            return "not sent"
        Booking.objects.filter(pk=booking.pk).update(reminders_sent=[*booking.reminders_sent, sent_for])
        record(
            None,
            Action.GENERATE,
            obj=booking,
            organisation=booking.organisation_id,
            summary="Consultation reminder e-mailed to the person",
        )
    return "sent"
