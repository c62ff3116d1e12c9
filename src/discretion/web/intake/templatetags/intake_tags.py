"""``{% person_summaries case %}``: the person's summary panel, for the case's documents tab."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("intake/_summaries_panel.html", takes_context=True)
def person_summaries(context, case):
    from discretion.web.intake.models import InvitationStatus

    inv = (
        case.invitations.filter(revoked_at__isnull=True).exclude(status=InvitationStatus.OPEN).first()
        or case.invitations.filter(revoked_at__isnull=True).first()
    )
    return {
        "case": case,
        "summaries": list(case.person_summaries.select_related("file")[:6]),
        "inv": inv,
        "membership": context.get("membership"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
