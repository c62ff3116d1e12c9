"""Demo mode's person-side pages: the demo organisation's public consultation page, weekly
hours for two of its practitioners, and one open intake invitation (a new link each start,
the previous demo link revoked, as demo passwords are new each start)."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db import transaction
from django.urls import reverse

DEMO_PAGE_SLUG = "riverside"
DEMO_HOURS = ((time(9, 0), time(12, 0)), (time(13, 0), time(16, 0)))
DEMO_INTAKE_NAME = "Abdi Hassan Warsame"  # examples/many-unknowns.yaml: many questions to ask


@transaction.atomic
def seed(org, users, *, base_url: str = "") -> list[str]:
    """Create or refresh the demo's public page, hours and invitation; the lines to print."""
    from discretion.web.booking.models import Availability, ConsultationPage, WeeklyHours
    from discretion.web.cases.models import Case
    from discretion.web.intake import actions

    page, _ = ConsultationPage.objects.update_or_create(
        organisation=org,
        defaults={
            "slug": DEMO_PAGE_SLUG,
            "published": True,
            "phone": "(555) 010-0199",
            "days_ahead": 21,
            "min_notice_hours": 4,
        },
    )
    for username in ("ana", "marcus"):
        user = users[username]
        a, created = Availability.objects.get_or_create(
            user=user,
            defaults={
                "organisation": org,
                "time_zone": "America/New_York",
                "length_minutes": 45,
                "buffer_minutes": 15,
            },
        )
        if created:
            WeeklyHours.objects.bulk_create(
                [
                    WeeklyHours(availability=a, weekday=d, start=s, end=e)
                    for d in range(5)
                    for s, e in DEMO_HOURS
                ]
            )
    lines = [f"  Public consultation page: {base_url}{reverse('booking:start', kwargs={'slug': page.slug})}"]
    case = (
        Case.objects.filter(organisation=org, name=DEMO_INTAKE_NAME).first()
        or Case.objects.filter(organisation=org).first()
    )
    if case is not None:
        for old in case.invitations.filter(revoked_at__isnull=True, created_by=users["ana"]):
            actions.revoke(old, by=users["ana"])
        _inv, token = actions.invite(case, by=users["ana"], days=7, language="es")
        lines.append(
            f"  Open intake invitation ({case.display_name}): {base_url}{reverse('intake:open', kwargs={'token': token})}"
        )
    return lines


def disable(org) -> None:
    """Outside demo mode: the demo organisation takes no bookings and its links stop working."""
    from django.utils.timezone import now

    from discretion.web.booking.models import ConsultationPage
    from discretion.web.intake.models import Invitation

    ConsultationPage.objects.filter(organisation=org).update(published=False)
    Invitation.objects.filter(case__organisation=org, revoked_at__isnull=True).update(revoked_at=now())


def mail_line() -> str:
    from django.conf import settings

    mailer: dict[str, Any] = settings.MAILERS["default"]  # type: ignore[assignment]  # not in the stubs' settings
    backend = mailer["BACKEND"].rsplit(".", 2)[-2]
    if backend == "filebased":
        return f"  Mail is written to {mailer['OPTIONS']['file_path']} (set DISCRETION_SMTP_HOST to send it)"
    return f"  Mail goes through the {backend} backend"
