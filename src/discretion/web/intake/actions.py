"""Invite, answer, send, review: every write of the intake, each one audited.

Called by views after their checks (the practitioner's permission, or the person's link).
Answers are written the moment a page is submitted, so a lost signal or a closed browser loses
nothing. The case's facts change only in ``accept``, through ``cases.actions.save_facts`` (the
same versioned save as any practitioner edit), never from the person's pages.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.timezone import localdate, now

from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases import actions as case_actions
from discretion.web.cases.models import Case
from discretion.web.intake import proposal
from discretion.web.intake.models import (
    Decision,
    Invitation,
    InvitationStatus,
    ProposedAnswer,
    ProposedFile,
    token_hash,
)
from discretion.web.intake.plan import Plan, plan

DEFAULT_DAYS = 14  # how long a new link works, unless the practitioner chooses otherwise
MAX_DAYS = 90


def _new_token() -> str:
    return secrets.token_urlsafe(16)  # 128 random bits


# --- the practitioner's side ----------------------------------------------------------------


def invite(
    case: Case, *, by, days: int = DEFAULT_DAYS, language: str = "en", request=None
) -> tuple[Invitation, str]:
    """A new invitation and its link's token (shown once; only its hash is kept)."""
    token = _new_token()
    inv = Invitation.objects.create(
        case=case,
        token_hash=token_hash(token),
        language=language,
        expires_at=now() + timedelta(days=days),
        created_by=by,
    )
    record(
        request,
        Action.CREATE,
        obj=inv,
        case=case,
        user=by,
        summary=f"Invited the person to give facts (link works {days} days)",
    )
    return inv, token


def new_link(inv: Invitation, *, by, days: int | None = None, request=None) -> str:
    """Replace the link (the old one stops working at once) and, if asked, its expiry."""
    token = _new_token()
    fields: dict[str, Any] = {"token_hash": token_hash(token), "revoked_at": None}
    if days is not None:
        fields["expires_at"] = now() + timedelta(days=days)
    Invitation.objects.filter(pk=inv.pk).update(**fields)
    inv.refresh_from_db()
    record(
        request,
        Action.CHANGE,
        obj=inv,
        case=inv.case,
        user=by,
        summary="Made a new intake link; the old one no longer works",
    )
    return token


def revoke(inv: Invitation, *, by, request=None) -> None:
    Invitation.objects.filter(pk=inv.pk, revoked_at__isnull=True).update(revoked_at=now())
    inv.refresh_from_db()
    record(request, Action.CHANGE, obj=inv, case=inv.case, user=by, summary="Revoked the intake link")


def emailed(inv: Invitation, address: str, *, by, request=None) -> None:
    Invitation.objects.filter(pk=inv.pk).update(email=address)
    inv.refresh_from_db()
    record(
        request,
        Action.EXPORT,
        obj=inv,
        case=inv.case,
        user=by,
        summary="E-mailed the intake link to the person",
    )


def accept(
    inv: Invitation, answer_ids: list[int], file_ids: list[int], *, base_version: int, by, request=None
) -> int:
    """Write the chosen answers into the case's facts and file the chosen files as evidence.

    Raises cases.actions.Conflict if the case changed since ``base_version`` (nothing is
    written), and DiscretionError if the accepted facts do not validate.
    """
    from discretion.casefile import parse_facts
    from discretion.web.files.models import StoredFile

    case = inv.case
    chosen = list(
        inv.answers.filter(
            pk__in=answer_ids, decision__in=[Decision.PENDING, Decision.RETURNED], dont_know=False
        )
    )
    files = list(
        inv.files.filter(pk__in=file_ids, decision__in=[Decision.PENDING, Decision.RETURNED]).select_related(
            "file"
        )
    )
    with transaction.atomic():
        if chosen:
            facts = parse_facts(proposal.apply(case.facts, chosen), where="the accepted answers")
            case_actions.save_facts(
                case, facts=facts, base_version=base_version, section="intake", by=by, request=request
            )
            ProposedAnswer.objects.filter(pk__in=[a.pk for a in chosen]).update(decision=Decision.ACCEPTED)
        for pf in files:
            from discretion.web.intake.documents import item_title

            StoredFile.objects.filter(pk=pf.file_id).update(
                kind="evidence", proves=[pf.item_id], description=item_title(case, pf.item_id)[:300]
            )
            ProposedFile.objects.filter(pk=pf.pk).update(decision=Decision.ACCEPTED)
        _settle(inv)
        record(
            request,
            Action.CHANGE,
            obj=inv,
            case=case,
            user=by,
            summary=f"Accepted {len(chosen)} answer(s) and {len(files)} file(s) from the person",
        )
    return len(chosen) + len(files)


def _settle(inv: Invitation) -> None:
    """Reviewed once nothing the person sent waits for a decision."""
    waiting = (
        inv.answers.filter(decision=Decision.PENDING, dont_know=False).exists()
        or inv.files.filter(decision=Decision.PENDING).exists()
    )
    if not waiting and inv.status == InvitationStatus.SENT:
        Invitation.objects.filter(pk=inv.pk).update(status=InvitationStatus.REVIEWED)
    inv.refresh_from_db()


def give_back(inv: Invitation, note: str, *, by, request=None) -> int:
    """Return what is not accepted to the person with a note; they can change it and send again."""
    with transaction.atomic():
        n = inv.answers.filter(decision=Decision.PENDING).update(decision=Decision.RETURNED)
        n += inv.files.filter(decision=Decision.PENDING).update(decision=Decision.RETURNED)
        Invitation.objects.filter(pk=inv.pk).update(status=InvitationStatus.RETURNED, return_note=note[:2000])
        inv.refresh_from_db()
        record(
            request,
            Action.CHANGE,
            obj=inv,
            case=inv.case,
            user=by,
            summary=f"Returned {n} item(s) to the person with a note",
        )
    return n


# --- the person's side -------------------------------------------------------------------------


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.select_related("case__organisation").filter(token_hash=token_hash(token)).first()
    )


def opened(inv: Invitation, request) -> None:
    if inv.opened_at is None:
        Invitation.objects.filter(pk=inv.pk).update(opened_at=now())
    record(request, Action.VIEW, obj=inv, case=inv.case, summary="The person opened the intake link")


def answers_of(inv: Invitation) -> list[ProposedAnswer]:
    return list(inv.answers.all())


def current_plan(inv: Invitation) -> Plan:
    answers = answers_of(inv)
    answered = {a.path for a in answers if a.answered}
    return plan(proposal.overlay(inv.case.facts, answers), answered, on=localdate())


def save_answer(
    inv: Invitation,
    path: str,
    *,
    value: Any = None,
    dont_know: bool = False,
    complete: bool = True,
    request=None,
) -> ProposedAnswer:
    with transaction.atomic():
        existing = inv.answers.filter(path=path).first()
        if existing is not None and existing.decision == Decision.ACCEPTED:
            return existing  # accepted by the practitioner: the person cannot change it any more
        position = existing.position if existing else (inv.answers.aggregate(m=Max("position"))["m"] or 0) + 1
        answer, _created = ProposedAnswer.objects.update_or_create(
            invitation=inv,
            path=path,
            defaults={
                "value": None if dont_know else value,
                "dont_know": dont_know,
                "complete": complete,
                "position": position,
                "updated": now(),
                "decision": Decision.PENDING,
            },
        )
    # The audit says which question was answered, never the answer.
    record(
        request,
        Action.CHANGE,
        obj=inv,
        case=inv.case,
        summary=f"The person answered {path}" + (" (does not know)" if dont_know else ""),
    )
    return answer


def add_file(inv: Invitation, upload, item_id: str, *, request=None) -> ProposedFile:
    """Store a photo or file the person sent for a checklist item (files.store checks its type)."""
    from discretion.web.files.store import store

    stored = store(
        upload,
        case=inv.case,
        by=None,
        kind="other",
        description=f"From the person, not reviewed: {item_id}"[:300],
    )
    pf = ProposedFile.objects.create(invitation=inv, file=stored, item_id=item_id)
    record(request, Action.UPLOAD, obj=stored, case=inv.case, summary=f"The person sent a file for {item_id}")
    return pf


def remove_file(inv: Invitation, pf: ProposedFile, *, request=None) -> None:
    from discretion.web.files.models import StoredFile

    if pf.decision == Decision.ACCEPTED:
        return
    with transaction.atomic():
        stored = pf.file
        pf.delete()
        StoredFile.objects.filter(pk=stored.pk, kind="other").delete()
        transaction.on_commit(stored.delete_blob)
    record(request, Action.DELETE, obj=inv, case=inv.case, summary="The person removed a file they had sent")


def send(inv: Invitation, *, request=None) -> None:
    with transaction.atomic():
        inv.answers.filter(decision=Decision.RETURNED).update(decision=Decision.PENDING)
        inv.files.filter(decision=Decision.RETURNED).update(decision=Decision.PENDING)
        Invitation.objects.filter(pk=inv.pk).update(status=InvitationStatus.SENT, sent_at=now())
        inv.refresh_from_db()
    record(request, Action.CHANGE, obj=inv, case=inv.case, summary="The person sent their answers for review")
