"""The person's plain-language summary (the core's, in English and Spanish), made and released.

The summary is built from the same letter content the request is (``discretion.letters``), on
the case's current screening snapshot; it is the practitioner who decides to show it to the
person, through their invitation link.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.timezone import now

from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.intake.models import Invitation, PersonSummary

LANGUAGES = ("en", "es")


def make(case, *, by, release_to: Invitation | None = None, request=None) -> list[PersonSummary]:
    """Render the summary in every language; raises DiscretionError with a message for the user."""
    from discretion.letters import build_letter, build_summary, render_summary_pdf
    from discretion.screening import Screening
    from discretion.web.cases.policy import catalogue
    from discretion.web.documents.actions import current_screening, exhibits_for
    from discretion.web.files.store import store_bytes

    snap = current_screening(case, by=by, request=request)
    facts = case.to_facts()
    letter = build_letter(
        facts,
        Screening.from_dict(snap.result),
        catalogue().get(snap.policy_id),
        on=snap.on,
        exhibits=exhibits_for(case),
    )
    made = []
    with transaction.atomic():
        for lang in LANGUAGES:
            pdf = render_summary_pdf(build_summary(letter, facts, lang))
            name = {"en": "Summary of your request.pdf", "es": "Resumen de su solicitud.pdf"}.get(
                lang, f"Summary-{lang}.pdf"
            )
            stored = store_bytes(
                pdf,
                name=name,
                content_type="application/pdf",
                case=case,
                by=by,
                description=f"Plain-language summary for the person ({lang})",
            )
            made.append(PersonSummary.objects.create(case=case, language=lang, file=stored, created_by=by))
        record(
            request,
            Action.GENERATE,
            case=case,
            user=by,
            summary="Made the person's plain-language summary (en, es)",
        )
        if release_to is not None:
            release(made, release_to, by=by, request=request)
    return made


def latest(case) -> list[PersonSummary]:
    out: dict[str, PersonSummary] = {}
    for s in case.person_summaries.order_by("-created", "-id"):
        out.setdefault(s.language, s)
    return list(out.values())


def release(summaries: list[PersonSummary], inv: Invitation, *, by, request=None) -> None:
    PersonSummary.objects.filter(pk__in=[s.pk for s in summaries]).update(released_to=inv, released_at=now())
    record(
        request,
        Action.CHANGE,
        obj=inv,
        case=inv.case,
        user=by,
        summary="Released the plain-language summary to the person",
    )
