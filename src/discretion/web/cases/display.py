"""Arrange a stored screening (the core's JSON contract) for the page: what applies or is
undecided first, what does not apply folded away. No legal logic here: outcomes, reasons and
citations are the core's, shown as they are."""

from __future__ import annotations

from typing import Any

GROUPS = [
    ("priority", "findings", "Enforcement priorities"),
    ("aggravating", "findings", "Aggravating factors"),
    ("mitigating", "findings", "Mitigating factors"),
    ("risk", "risks", "Risks to review"),
    ("relief", "relief", "Other relief to consider"),
]


def screening_groups(result: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not result:
        return []
    out = []
    for kind, key, title in GROUPS:
        items = [f for f in result.get(key, []) if f.get("kind") == kind]
        if not items:
            continue
        shown = [f for f in items if f.get("outcome") != "not_met"]
        shown.sort(key=lambda f: f.get("outcome") != "met")
        out.append(
            {
                "kind": kind,
                "title": title,
                "shown": shown,
                "hidden": [f for f in items if f.get("outcome") == "not_met"],
                "met": sum(1 for f in items if f.get("outcome") == "met"),
                "unknown": sum(1 for f in items if f.get("outcome") == "unknown"),
            }
        )
    return out
