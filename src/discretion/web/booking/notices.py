"""The mail a booking sends: to the person in their language (with the .ics), to the practitioner."""

from __future__ import annotations

from django.urls import reverse

from discretion.web.booking.models import Booking
from discretion.web.lib.mail import Attachment, send
from discretion.web.tracking import ical


def manage_url(booking: Booking, base: str = "") -> str:
    from discretion.web.booking.actions import manage_token, site_url

    base = base or booking.link_base or site_url()
    return base + reverse("booking:manage", kwargs={"token": manage_token(booking)})


def ics(booking: Booking, *, url: str = "") -> str:
    """The consultation as an iCalendar file for the person's own calendar app."""
    from django.utils.translation import gettext as _

    org = booking.organisation.name
    cancelled = not booking.is_active
    return ical.calendar(
        org,
        [
            {
                "uid": f"consultation-{booking.code}@discretion",
                "start": booking.starts_at,
                "end": booking.ends_at,
                "summary": _("Talk with %(org)s") % {"org": org},
                "description": _("Change or cancel: %(url)s") % {"url": url} if url and not cancelled else "",
                "sequence": booking.moves + (1 if cancelled else 0),
                "status": "CANCELLED" if cancelled else "CONFIRMED",
                "alarm_minutes": 0 if cancelled else 120,
            }
        ],
        method="PUBLISH",
    )


def _context(booking: Booking, url: str) -> dict:
    from django.utils import translation

    from discretion.web.client.pages import when

    page = getattr(booking.organisation, "consultation_page", None)
    with translation.override(booking.language):
        when_text = when(booking.local_start())
    return {
        "booking": booking,
        "when": when_text,
        "org_name": booking.organisation.name,
        "local": booking.local_start(),
        "url": url,
        "phone": page.phone if page else "",
        "minutes": int((booking.ends_at - booking.starts_at).total_seconds() // 60),
    }


def to_person(booking: Booking, template: str, *, base: str = "") -> bool:
    """Send ``booking/mail/<template>`` to the person, if they gave an e-mail address."""
    if not booking.email:
        return False
    from django.utils import translation

    url = manage_url(booking, base)
    with translation.override(booking.language):
        calendar_file = ics(booking, url=url)
    page = getattr(booking.organisation, "consultation_page", None)
    return send(
        to=booking.email,
        template=f"booking/mail/{template}",
        context=_context(booking, url),
        language=booking.language,
        attachments=[Attachment("consultation.ics", calendar_file.encode(), "text/calendar")],
        reply_to=page.reply_to if page else "",
    )


def to_practitioner(booking: Booking, template: str, *, base: str = "") -> bool:
    email = booking.practitioner.email
    if not email:
        return False
    from discretion.web.booking.actions import site_url

    context = _context(booking, (base or booking.link_base or site_url()) + reverse("booking:list"))
    return send(to=email, template=f"booking/mail/{template}", context=context, language="en")
