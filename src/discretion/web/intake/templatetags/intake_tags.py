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
    from discretion.web.intake import summary

    return {
        "case": case,
        "summaries": summary.latest(case),
        "released": summary.released(inv) if inv else [],
        "inv": inv,
        "membership": context.get("membership"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
