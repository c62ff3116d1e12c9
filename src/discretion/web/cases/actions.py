"""Verbs that touch several models: create a case, save its facts, screen it.

Every function here is called by a view after the permission check; none checks permissions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.timezone import localdate, now

from discretion.errors import DiscretionError
from discretion.facts import CaseFacts
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases import sections
from discretion.web.cases.models import (
    Case,
    CaseNote,
    CaseRevision,
    ClosingReason,
    ScreeningRecord,
    Status,
    dump_facts,
)
from discretion.web.cases.policy import catalogue
from discretion.web.lib import concurrency


class Conflict(Exception):
    """Someone saved the case after the version the form started from."""

    def __init__(self, case: Case, changes: list[sections.Change], by: str):
        super().__init__("the case changed while you were editing")
        self.case = case
        self.changes = changes
        self.by = by


@transaction.atomic
def create_case(
    organisation, *, facts: CaseFacts, by, assigned_to=None, status: str = "intake", request=None
) -> Case:
    case = Case(organisation=organisation, created_by=by, assigned_to=assigned_to, status=status)
    case.apply_facts(facts)
    case.save()
    CaseRevision.objects.create(case=case, version=case.version, facts=case.facts, section="", created_by=by)
    record(request, Action.CREATE, case=case, user=by, summary="Case created")
    return case


def save_facts(case: Case, *, facts: CaseFacts, base_version: int, section: str, by, request=None) -> Case:
    """Save new facts if nobody saved since ``base_version``; otherwise raise Conflict.

    The check and the write are one UPDATE ... WHERE version = base, so two saves racing on two
    threads or two servers cannot both win.
    """
    probe = Case(organisation_id=case.organisation_id)
    probe.apply_facts(facts)
    columns = {
        f: getattr(probe, f)
        for f in (
            "facts",
            "reference",
            "name",
            "name_key",
            "a_number",
            "a_number_key",
            "court",
            "next_hearing_on",
            "requested_action",
            "detained",
        )
    }
    with transaction.atomic():
        won = Case.objects.filter(pk=case.pk, version=base_version).update(
            version=F("version") + 1, updated=now(), **columns
        )
        if not won:
            current = Case.objects.get(pk=case.pk)
            base = CaseRevision.objects.filter(case=case, version=base_version).first()
            latest = CaseRevision.objects.filter(case=case).select_related("created_by").first()
            section_obj = sections.SECTION_BY_KEY.get(section)
            diff = sections.changes(base.facts if base else {}, current.facts, section_obj)
            by = latest.created_by if latest else None
            who = (by.get_full_name() or by.get_username()) if by is not None else "someone"
            raise Conflict(current, diff, who)
        case.refresh_from_db()
        CaseRevision.objects.create(
            case=case, version=case.version, facts=case.facts, section=section, created_by=by
        )
        record(
            request,
            Action.CHANGE,
            case=case,
            user=by,
            summary=f"Edited {section or 'facts'} (version {case.version})",
        )
    return case


def screen_case(case: Case, *, by, on: date | None = None, request=None) -> ScreeningRecord:
    """Screen the case's current facts with the policy in force ``on`` and keep a snapshot.

    Raises DiscretionError (NoPolicyInForce, CaseFileError) with a message for the user.
    """
    from discretion.screening import screen

    on = on or localdate()
    policy = catalogue().select(on)
    facts = case.to_facts()
    result = screen(facts, policy, on=on).to_dict()
    snapshot = ScreeningRecord.objects.create(
        case=case,
        created_by=by,
        on=on,
        policy_id=policy.id,
        policy_sha256=policy.sha256,
        facts_digest=result["facts_digest"],
        case_version=case.version,
        summary=result["summary"],
        result=result,
    )
    met = [f for f in result["findings"] if f["kind"] == "priority" and f["outcome"] == "met"]
    has_priorities = any(f["kind"] == "priority" for f in result["findings"])
    high = [r for r in result["risks"] if r["outcome"] == "met" and r.get("level") == "high"]
    Case.objects.filter(pk=case.pk).update(
        priority_met=bool(met) if has_priorities else None, high_risks=min(len(high), 32767)
    )
    case.priority_met, case.high_risks = (bool(met) if has_priorities else None), len(high)
    record(
        request,
        Action.SCREEN,
        obj=snapshot,
        case=case,
        user=by,
        summary=f"Screened as of {on} under {policy.id}",
    )
    return snapshot


def screen_quietly(
    case: Case, *, by, on: date | None = None, request=None
) -> tuple[ScreeningRecord | None, str]:
    """screen_case, turning a core error into a message instead of an exception."""
    try:
        return screen_case(case, by=by, on=on, request=request), ""
    except DiscretionError as exc:
        return None, str(exc)


def preview_screening(case: Case, *, on: date, policy_id: str | None = None) -> dict[str, Any]:
    """A screening that is shown, not stored: the what-if of another date or policy."""
    from discretion.screening import screen

    cat = catalogue()
    policy = cat.get(policy_id) if policy_id else cat.select(on)
    return screen(case.to_facts(), policy, on=on).to_dict()


def preview_facts(case: Case, facts: CaseFacts, *, on: date | None = None) -> dict[str, Any]:
    """The screening of facts not saved yet (the form being typed), shown and never stored."""
    from discretion.screening import screen

    on = on or localdate()
    return screen(facts, catalogue().select(on), on=on).to_dict()


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of findings by label across two screenings: what each says, and whether they differ."""
    rows: dict[str, dict[str, Any]] = {}
    for side, result in (("a", a), ("b", b)):
        for group in ("findings", "risks", "relief"):
            for f in result.get(group, []):
                key = f"{f['kind']}:{f['id']}"
                row = rows.setdefault(key, {"label": f["label"], "kind": f["kind"], "a": None, "b": None})
                row[side] = f
    out = list(rows.values())
    for row in out:
        ao = row["a"]["outcome"] if row["a"] else None
        bo = row["b"]["outcome"] if row["b"] else None
        row["differs"] = ao != bo
    order = {"priority": 0, "aggravating": 1, "mitigating": 2, "risk": 3, "relief": 4}
    out.sort(key=lambda r: (not r["differs"], order.get(r["kind"], 9), r["label"]))
    return out


# What the case settings form edits, for the concurrency check (lib/concurrency.py).
SETTINGS_FIELDS = concurrency.Fields(
    {
        "status": ("Status", lambda c: c.get_status_display()),
        "assigned_to": ("Assigned attorney", lambda c: c.assigned_to),
    }
)
NOTE_FIELDS = concurrency.Fields({"body": ("Note", concurrency.field("body"))})


@transaction.atomic
def change_settings(
    case: Case,
    *,
    status: str,
    assigned_to,
    closing_reason: str = "",
    why: str = "",
    by,
    request=None,
    opened: str | None = None,
) -> list[str]:
    """Status set by hand (closing needs a reason) and the assigned attorney; what changed, in words.

    Raises concurrency.Stale if someone changed either since the form was ``opened``.
    """
    locked = Case.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=case.pk)
    SETTINGS_FIELDS.check(opened, locked, by=concurrency.last_editor(case))
    case.status, case.assigned_to = locked.status, locked.assigned_to
    changed: list[str] = []
    if status != case.status:
        old = case.get_status_display()
        if status == Status.CLOSED:
            reason = f"Closed: {ClosingReason(closing_reason).label}" if closing_reason else "Closed"
            if closing_reason == ClosingReason.OTHER and why:
                reason = f"Closed: {why}"
            elif why:
                reason += f" ({why})"
        else:
            reason = f"Set by hand{': ' + why if why else ''}"
        case.set_status(status, by=by, reason=reason)
        changed.append(f"status {old} → {Status(status).label}")
    if (assigned_to.pk if assigned_to else None) != case.assigned_to_id:
        Case.objects.filter(pk=case.pk).update(assigned_to=assigned_to)
        case.assigned_to = assigned_to
        changed.append(f"assigned to {assigned_to or 'nobody'}")
    if changed:
        record(request, Action.CHANGE, case=case, user=by, summary="; ".join(changed))
    return changed


def add_note(case: Case, *, body: str, by, request=None) -> CaseNote:
    note = CaseNote.objects.create(case=case, body=body, author=by)
    # The audit row says that a note was written, not what it says: the log is read more widely.
    record(request, Action.CREATE, obj=note, case=case, user=by, summary="Note added")
    return note


@transaction.atomic
def edit_note(note: CaseNote, *, body: str, by, request=None, opened: str | None = None) -> None:
    """Raises concurrency.Stale if someone changed the note since the form was ``opened``."""
    NOTE_FIELDS.check(
        opened, CaseNote.objects.select_for_update().get(pk=note.pk), by=concurrency.last_editor(note)
    )
    note.body, note.edited = body, now()
    note.save(update_fields=["body", "edited"])
    record(request, Action.CHANGE, obj=note, case=note.case, user=by, summary="Note edited")


def delete_note(note: CaseNote, *, by, request=None) -> None:
    record(request, Action.DELETE, obj=note, case=note.case, user=by, summary="Note deleted")
    note.delete()


def facts_for_new_case(
    name: str, a_number: str, reference: str = "", requested_action: str = ""
) -> dict[str, Any]:
    data: dict[str, Any] = {"identity": {}}
    if requested_action:
        data["requested_action"] = requested_action
    if name:
        data["identity"]["name"] = name
    if a_number:
        data["identity"]["a_number"] = a_number
    if reference:
        data["case_id"] = reference
    return data


__all__ = [
    "Conflict",
    "add_note",
    "change_settings",
    "compare",
    "create_case",
    "delete_note",
    "edit_note",
    "dump_facts",
    "facts_for_new_case",
    "preview_facts",
    "preview_screening",
    "save_facts",
    "screen_case",
    "screen_quietly",
]
