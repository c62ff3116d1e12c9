"""Exhibit references in the letter: which exhibits prove a rule, and how the text cites them.

An exhibit proves a rule when its ``proves`` names the rule id, or names a checklist item that
supports the rule (``discretion.evidence``). The letter cites them the way briefs do: "(Exh. C)",
"(Exhs. C, D)", just before the sentence's final full stop.
"""

from __future__ import annotations

from collections.abc import Sequence

from discretion.exhibits import Exhibit


class ExhibitRefs:
    def __init__(self, exhibits: Sequence[Exhibit], support: dict[str, set[str]]):
        self.exhibits = exhibits
        self.support = support  # checklist item id -> rule ids it supports

    def tabs(self, rule_id: str, items: frozenset[str] | None = None) -> tuple[str, ...]:
        """The exhibits proving ``rule_id``; with ``items``, only those proving it through one of
        these checklist items (``usc_child_birth_certificate`` matches ``...certificate.daniel``)."""

        def counts(p: str) -> bool:
            if p == rule_id:
                return True
            return rule_id in self.support.get(p, ()) and (items is None or p.split(".", 1)[0] in items)

        return tuple(e.tab for e in self.exhibits if any(counts(p) for p in e.proves))

    @staticmethod
    def cite(text: str, tabs: Sequence[str]) -> str:
        if not tabs:
            return text
        ref = f"(Exh. {tabs[0]})" if len(tabs) == 1 else f"(Exhs. {', '.join(tabs)})"
        body = text.rstrip()
        if body.endswith("."):
            return f"{body[:-1]} {ref}."
        return f"{body} {ref}"
