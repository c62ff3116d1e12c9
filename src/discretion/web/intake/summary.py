"""Releasing the person's plain-language summary through their invitation link.

The summaries are made on the documents tab with the letter (``documents.actions``: one
``summary_pdf`` per language asked for, from the same letter content and screening snapshot).
The person sees one only when a practitioner releases it to their invitation.
"""

from __future__ import annotations

from django.db import transaction

from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.intake.models import Invitation, SummaryRelease


def latest(case) -> list:
    """The newest finished summary PDF of the case in each language."""
    from discretion.web.documents.models import DocKind, DocStatus, GeneratedDocument

    out: dict[str, GeneratedDocument] = {}
    docs = GeneratedDocument.objects.filter(case=case, kind=DocKind.SUMMARY_PDF, status=DocStatus.DONE)
    for doc in docs.select_related("file").order_by("-created", "-id"):
        out.setdefault((doc.options or {}).get("language", "en"), doc)
    return sorted(out.values(), key=lambda d: (d.options or {}).get("language", "en"))


def release(inv: Invitation, *, by, request=None) -> list[SummaryRelease]:
    """Let the person open the case's latest summaries; [] when none has been made yet."""
    docs = latest(inv.case)
    with transaction.atomic():
        made = [
            SummaryRelease.objects.create(
                invitation=inv, document=d, language=(d.options or {}).get("language", "en"), released_by=by
            )
            for d in docs
        ]
        if made:
            languages = ", ".join(r.language for r in made)
            record(
                request,
                Action.CHANGE,
                obj=inv,
                case=inv.case,
                user=by,
                summary=f"Released the plain-language summary ({languages}) to the person",
            )
    return made


def released(inv: Invitation) -> list[SummaryRelease]:
    """What the person may open: the latest release in each language."""
    out: dict[str, SummaryRelease] = {}
    for r in inv.releases.select_related("document__file").order_by("-released_at", "-id"):
        out.setdefault(r.language, r)
    return sorted(out.values(), key=lambda r: r.language)
