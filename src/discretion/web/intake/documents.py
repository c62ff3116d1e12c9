"""The documents a person is asked for: the case's evidence checklist, in plain words.

The checklist is the core's (``discretion.evidence``), built from the case's facts with the
person's answers laid over them, so telling us about a U.S.-citizen child asks for that
child's birth certificate. Only items the person can photograph are shown (``wording.DOCUMENTS``),
by a plain name that shows nothing of the case: never the names or dates the practitioner
entered; items of the same kind are numbered instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from discretion.errors import DiscretionError
from discretion.web.intake.wording import DOCUMENTS


@dataclass(frozen=True)
class Item:
    id: str  # the checklist item id, e.g. "usc_child_birth_certificate.sofia-lopez"
    label: str  # in the person's language
    required: bool
    provided: bool  # the practitioner already has it


def base_id(item_id: str) -> str:
    return item_id.split(".", 1)[0]


def _checklist(facts: dict):
    from discretion.casefile import parse_facts
    from discretion.evidence import build_checklist
    from discretion.screening import screen
    from discretion.web.cases.policy import catalogue

    on = localdate()
    parsed = parse_facts(facts, where="facts")
    return build_checklist(parsed, screen(parsed, catalogue().select(on), on=on), on=on)


def items_for(facts: dict, provided_ids: set[str]) -> list[Item]:
    """What the person can send, required first, in the checklist's order."""
    try:
        checklist = _checklist(facts)
    except DiscretionError:
        return []
    items = [i for i in checklist.items if base_id(i.id) in DOCUMENTS]
    counts: dict[str, int] = {}
    for i in items:
        counts[base_id(i.id)] = counts.get(base_id(i.id), 0) + 1
    seen: dict[str, int] = {}
    out = []
    for i in items:
        b = base_id(i.id)
        label = str(DOCUMENTS[b])
        if counts[b] > 1:
            seen[b] = seen.get(b, 0) + 1
            label = _("%(document)s (%(n)s of %(total)s)") % {
                "document": label,
                "n": seen[b],
                "total": counts[b],
            }
        out.append(Item(i.id, label, i.required, i.id in provided_ids))
    out.sort(key=lambda i: not i.required)
    return out


def item_title(case, item_id: str) -> str:
    """The practitioner's title of a checklist item (English), for the evidence list."""
    try:
        checklist = _checklist(case.facts)
    except DiscretionError:
        return item_id
    for i in checklist.items:
        if i.id == item_id:
            return i.title
    return str(DOCUMENTS.get(base_id(item_id), item_id))
