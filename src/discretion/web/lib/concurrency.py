"""Optimistic concurrency for every form that edits a stored row (no silent overwrite).

A form carries, in a signed hidden field ``opened``, the values of the fields it edits as they
were when the page was drawn. The save locks the row (``select_for_update``: a row lock on
PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write lock), compares the
row's current values with those, and writes only if nobody changed them in between; otherwise
it raises ``Stale`` with what changed, and the view answers 409 with the person's input kept
and a table of the changes (``templates/_conflict.html``, the same shape as the fact sections'
conflict page). Saving again from that page carries the current values, so the second save
overwrites deliberately.

Comparing the edited values rather than a row version means two people changing different
things of the same row (the case's facts and its assignee) never block each other, and no
model needs a version column. The fact sections keep their version number (cases.actions).

The token is signed only so that a broken or truncated form is told apart from a stale one;
it protects nothing secret. A POST without the field (a script, an old page) saves as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core import signing
from django.db import models

FIELD = "opened"
_SALT = "discretion.web.opened"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


class Stale(Exception):
    """Someone saved this row after the form was opened."""

    def __init__(self, changes: list[Change], by: str):
        super().__init__("changed while you were editing")
        self.changes = changes
        self.by = by


def _raw(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_raw(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _raw(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value:%B} {value.day}, {value.year}"
    if isinstance(value, (list, tuple)):
        return "; ".join(_shown(v) for v in value) or "—"
    return str(value)


@dataclass(frozen=True)
class Fields:
    """The edited fields of one kind of row: label and how to read each from the row."""

    readers: Mapping[str, tuple[str, Callable[[Any], Any]]]

    def values(self, row: Any) -> dict[str, Any]:
        """The fields' values; all empty when there is no row yet (a first save)."""
        return {key: None if row is None else read(row) for key, (_, read) in self.readers.items()}

    def seal(self, row: Any) -> str:
        """The hidden ``opened`` value for a form drawn from ``row`` now."""
        return signing.dumps(
            {k: [_raw(v), _shown(v)] for k, v in self.values(row).items()}, salt=_SALT, compress=True
        )

    def check(self, opened: str | None, row: Any, *, by: Callable[[], str] | None = None) -> None:
        """Raise Stale if ``row`` (read under lock) differs from what the form was opened on."""
        if opened is None:
            return
        try:
            before = signing.loads(opened, salt=_SALT)
        except signing.BadSignature:
            before = {}
        now = self.values(row)
        changes = []
        for key, value in now.items():
            was = before.get(key)
            if was is None or was[0] != _raw(value):
                label = self.readers[key][0]
                changes.append(
                    Change(label, was[1] if was else "(unknown: the form was incomplete)", _shown(value))
                )
        if changes:
            raise Stale(changes, by() if by else "Someone")


def field(name: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row, name)


def shown_field(name: str) -> Callable[[Any], Any]:
    """A model field's value as people read it (a choice's label)."""

    def read(row: Any) -> Any:
        display = getattr(row, f"get_{name}_display", None)
        return display() if display else getattr(row, name)

    return read


def model_form_fields(form_class: Any) -> Fields:
    """The fields a ModelForm edits, labelled as on the form."""
    base = form_class.base_fields
    return Fields({n: (str(base[n].label or n), shown_field(n)) for n in form_class._meta.fields})


def opened_from(post: Mapping[str, Any]) -> str | None:
    value = post.get(FIELD)
    return value if isinstance(value, str) else None


def last_editor(obj: Any) -> Callable[[], str]:
    """Who last changed ``obj``, from the audit log (for the conflict page's heading)."""

    def who() -> str:
        from discretion.web.audit.models import AuditEvent

        key = str(getattr(obj, "code", None) or obj.pk)
        event = (
            AuditEvent.objects.filter(object_type=type(obj).__name__, object_id=key)
            .exclude(action__in=["view", "download", "export"])
            .order_by("-created", "-id")
            .first()
        )
        return event.username if event and event.username else "Someone"

    return who
