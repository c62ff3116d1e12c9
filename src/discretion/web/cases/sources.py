"""The "Sources and disputed facts" section: claimed / documented dates and disputed versions.

In the case file these are a mapping (``date_basis``: path -> basis) and a nested list
(``disputes``: fact -> versions). A form edits both as flat rows, one entry per marked date and
one per alternative version, and they are turned back into the case-file shape on saving; the
core then validates them like any other fact (a path that names no date, a version that is not
a valid value for its fact).
"""

from __future__ import annotations

import functools
import typing
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from discretion.facts import Basis, CaseFacts


@functools.cache
def date_paths() -> tuple[str, ...]:
    """Every date of a section (not inside a list): the keys ``date_basis`` may have."""
    out: list[str] = []
    for name, info in CaseFacts.model_fields.items():
        model = info.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for sub, sub_info in model.model_fields.items():
            args = typing.get_args(sub_info.annotation) or (sub_info.annotation,)
            if date in args:
                out.append(f"{name}.{sub}")
    return tuple(out)


BasisRow = create_model(
    "BasisRow",
    fact=(Literal[date_paths()], Field(description="The date this marks.")),  # type: ignore[arg-type]
    basis=(Basis, Field(description="Claimed (the person's word) or documented (a document on file).")),
)


class VersionRow(BaseModel):
    fact: str = Field(
        description="The disputed fact's path as the screen prints it, e.g. entry.first_entry_on."
    )
    value: str = Field(
        description="This version's value, written as in the case file (2011-07-14, yes, 3...)."
    )
    source: str | None = Field(
        None, description="Where this version comes from: FOIA, the NTA, a court record..."
    )
    basis: Basis | None = None
    recorded_source: str | None = Field(
        None, description="Where the value recorded in the case comes from (the first row of a fact is used)."
    )
    notes: str | None = None


def specs() -> list[Any]:
    # Imported here: sections imports this module for the section's rows.
    from discretion.web.cases.sections import Spec

    basis_specs = Spec(
        "date_basis",
        "rows",
        "Claimed or documented dates",
        "One entry per date whose source you want on record.",
        model=BasisRow,
    )
    version_specs = Spec(
        "disputes",
        "rows",
        "Other versions of disputed facts",
        "One entry per other version. The screen runs on each and shows which outcomes change.",
        model=VersionRow,
    )
    return [basis_specs, version_specs]


def as_rows(facts: dict[str, Any]) -> dict[str, Any]:
    """The case's ``date_basis`` and ``disputes`` as the section's rows."""
    basis = facts.get("date_basis")
    disputes = facts.get("disputes")
    version_rows = None
    if disputes is not None:
        version_rows = []
        for dispute in disputes:
            for i, version in enumerate(dispute.get("versions") or ()):
                value = version.get("value")
                version_rows.append(
                    {
                        "fact": dispute.get("fact"),
                        "value": value if isinstance(value, str) else _text(value),
                        "source": version.get("source"),
                        "basis": version.get("basis"),
                        "recorded_source": dispute.get("recorded_source") if i == 0 else None,
                        "notes": version.get("notes"),
                    }
                )
    return {
        "date_basis": None if basis is None else [{"fact": k, "basis": v} for k, v in basis.items()],
        "disputes": version_rows,
    }


def _text(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def from_rows(data: dict[str, Any]) -> dict[str, Any]:
    """The section's rows back in the case-file shape."""
    rows = data.get("date_basis")
    basis = None if rows is None else {r["fact"]: r["basis"] for r in rows if r.get("fact")}
    versions = data.get("disputes")
    disputes: list[dict[str, Any]] | None = None
    if versions is not None:
        by_fact: dict[str, dict[str, Any]] = {}
        for row in versions:
            fact = (row.get("fact") or "").strip()
            dispute = by_fact.setdefault(fact, {"fact": fact, "versions": []})
            if row.get("recorded_source") and "recorded_source" not in dispute:
                dispute["recorded_source"] = row["recorded_source"]
            version = {k: row[k] for k in ("value", "source", "basis", "notes") if row.get(k) is not None}
            dispute["versions"].append(version)
        disputes = list(by_fact.values())
    # An empty mapping says nothing: no marked dates is the same as none recorded.
    return {"date_basis": basis or None, "disputes": disputes or None}


def row_errors(facts: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """Errors of ``date_basis`` / ``disputes`` shown on the section's lists."""
    out = dict(errors)
    for key, message in errors.items():
        for head in ("date_basis", "disputes"):
            if key.startswith(head) and key != head:
                out.setdefault(head, message)
    return out
