"""What changed between two PD policies: dates, status, sources, and rule by rule.

Memos rarely reuse each other's rule ids (Johnson's ``p2c_unlawful_entry_after_2014`` is
Mayorkas's ``bs2_entered_unlawfully_after_2020_11_01``), so rules are paired first by id, then
by what they test: the same predicate with the most similar parameters and label; else a
clearly similar label; else a predicate on the same subject with the same parameter names. A pair whose parameters differ shows the change, e.g. the border cut-off moving from
2014-01-01 to 2020-11-01. Pure: two loaded policies in, a :class:`PolicyDiff` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from discretion import predicates
from discretion.policies import Policy
from discretion.rules import Rule

# A label this similar pairs two rules even when their predicates differ.
LABEL_MATCH = 0.75
_META_FIELDS = ("title", "short_title", "issuer", "issued", "effective", "ended", "ended_by", "status")
_RULE_FIELDS = (
    "kind",
    "label",
    "polarity",
    "test",
    "confidence",
    "evidence",
    "letter",
    "note",
    "level",
    "applies_to",
    "lowered_by",
    "threshold",
)


def _plain(value: Any) -> Any:
    """A JSON-friendly, comparable form of a field value (enums and dates as text)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


@dataclass(frozen=True)
class Change:
    """One field whose value differs: ``old`` and ``new`` are plain JSON values (None = absent)."""

    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        if isinstance(self.old, list) and isinstance(self.new, list):
            added = [v for v in self.new if v not in self.old]
            removed = [v for v in self.old if v not in self.new]
            if added or removed:
                parts = [f"added {_show(v)}" for v in added] + [f"removed {_show(v)}" for v in removed]
                return f"{self.field}: " + "; ".join(parts)
            return f"{self.field}: reordered"
        return f"{self.field}: {_show(self.old)} -> {_show(self.new)}"

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value if len(value) <= 80 else value[:77] + "..."
    return str(value)


@dataclass(frozen=True)
class RuleChange:
    """A rule only in the old policy (removed), only in the new (added), or in both."""

    old: Rule | None
    new: Rule | None
    matched_by: str  # "id", "test", "label", "parameters", or "" for an unpaired rule
    changes: tuple[Change, ...] = ()

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed" if self.changes else "unchanged"

    @property
    def rule(self) -> Rule:
        rule = self.new or self.old
        assert rule is not None
        return rule

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "old_id": self.old.id if self.old else None,
            "new_id": self.new.id if self.new else None,
            "kind": self.rule.kind.value,
            "label": self.rule.label,
            "matched_by": self.matched_by or None,
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass(frozen=True)
class PolicyDiff:
    old: Policy
    new: Policy
    changes: tuple[Change, ...]
    rules: tuple[RuleChange, ...]

    def of_status(self, status: str) -> list[RuleChange]:
        return [r for r in self.rules if r.status == status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.id,
            "new": self.new.id,
            "changes": [c.to_dict() for c in self.changes],
            "rules": [r.to_dict() for r in self.rules if r.status != "unchanged"],
            "unchanged": [r.rule.id for r in self.of_status("unchanged")],
        }


def diff_policies(old: Policy, new: Policy) -> PolicyDiff:
    """Compare two policies: metadata changes and every rule added, removed or changed."""
    return PolicyDiff(old, new, tuple(_meta_changes(old, new)), tuple(_rule_changes(old.rules, new.rules)))


def _meta_changes(old: Policy, new: Policy) -> list[Change]:
    changes = [
        Change(name, _plain(getattr(old.meta, name)), _plain(getattr(new.meta, name)))
        for name in _META_FIELDS
        if getattr(old.meta, name) != getattr(new.meta, name)
    ]

    def periods(p: Policy) -> list[str]:
        return [f"{s.start} to {s.end or 'further notice'}" for s in p.meta.suspensions]

    for name, values in (
        ("suspensions", periods),
        ("includes", lambda p: list(p.meta.includes)),
        ("sources", lambda p: sorted(p.sources)),
    ):
        before, after = values(old), values(new)
        if before != after:
            changes.append(Change(name, before, after))
    return changes


def rule_changes(old: Rule, new: Rule) -> tuple[Change, ...]:
    """Field-by-field differences between two paired rules (parameters key by key)."""
    changes = [
        Change(name, _plain(getattr(old, name)), _plain(getattr(new, name)))
        for name in _RULE_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    for key in sorted(set(old.params) | set(new.params)):
        before, after = old.params.get(key), new.params.get(key)
        if before != after:
            changes.append(Change(f"with.{key}", _plain(before), _plain(after)))
    # Each memo cites itself under its own source id; only a moved pin is news to a reader.
    if [c.pin for c in old.cite] != [c.pin for c in new.cite]:
        before, after = ("; ".join(_cite_text(c) for c in r.cite) for r in (old, new))
        changes.append(Change("cite", before, after))
    return tuple(changes)


def _cite_text(citation: Any) -> str:
    return citation.source + (f" {citation.pin}" if citation.pin else "")


def _label_ratio(a: Rule, b: Rule) -> float:
    return SequenceMatcher(None, a.label.lower(), b.label.lower()).ratio()


def _kin(a: Rule, b: Rule) -> bool:
    """Same kind, same parameter names, predicates from the same subject module.

    Johnson's "entered unlawfully, no presence since 2014-01-01" and Mayorkas's "entered
    unlawfully after 2020-11-01" use different predicates but are the same rule moved on.
    """
    if a.kind is not b.kind or not a.params or set(a.params) != set(b.params):
        return False
    if predicates.get(a.test).__module__ != predicates.get(b.test).__module__:
        return False
    # ...and their labels share a word that carries meaning ("minor" and "advanced age" do not).
    return bool(_words(a.label) & _words(b.label))


_STOPWORDS = {"after", "before", "since", "with", "from", "than", "that", "this", "other", "priority", "tool"}


def _words(label: str) -> set[str]:
    """Crude stems (first five letters) so "unlawful" meets "unlawfully"."""
    return {w[:5] for w in re.findall(r"[a-z]{4,}", label.lower()) if w not in _STOPWORDS}


def _how(a: Rule, b: Rule) -> str | None:
    """Why two rules with different ids are the same rule, or None when they are not."""
    ratio = _label_ratio(a, b)
    if a.test == b.test and (a.kind is b.kind or ratio >= 0.5):
        return "test"
    if ratio >= LABEL_MATCH:
        return "label"
    return "parameters" if _kin(a, b) else None


def _similarity(a: Rule, b: Rule) -> float:
    keys = set(a.params) | set(b.params)
    shared = sum(1 for k in keys if a.params.get(k) == b.params.get(k))
    params = 1.0 if a.params == b.params else (0.5 * shared / len(keys) if keys else 0.0)
    return (
        (1.0 if a.test == b.test else 0.0) + params + _label_ratio(a, b) + (0.2 if a.kind is b.kind else 0.0)
    )


def _rule_changes(old_rules: tuple[Rule, ...], new_rules: tuple[Rule, ...]) -> list[RuleChange]:
    new_by_id = {r.id: r for r in new_rules}
    pairs: dict[str, tuple[Rule, str]] = {}  # old id -> (new rule, how matched)
    for rule in old_rules:
        if rule.id in new_by_id:
            pairs[rule.id] = (new_by_id[rule.id], "id")
    left = [r for r in old_rules if r.id not in pairs]
    taken = {new.id for new, _ in pairs.values()}
    right = [r for r in new_rules if r.id not in taken]
    # Greedy by score: the closest pair is settled first, so a near-twin is not lost to a cousin.
    scored = sorted(
        (
            (_similarity(a, b), i, j, how)
            for i, a in enumerate(left)
            for j, b in enumerate(right)
            if (how := _how(a, b))
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    for _, i, j, how in scored:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs[left[i].id] = (right[j], how)
    result: list[RuleChange] = []
    for rule in old_rules:
        if rule.id in pairs:
            new, how = pairs[rule.id]
            changes = rule_changes(rule, new)
            if how != "id":
                changes = (Change("id", rule.id, new.id), *changes)
            result.append(RuleChange(rule, new, how, changes))
        else:
            result.append(RuleChange(rule, None, ""))
    paired_new = {new.id for new, _ in pairs.values()}
    result.extend(RuleChange(None, r, "") for r in new_rules if r.id not in paired_new)
    return result


def to_lines(diff: PolicyDiff, *, markdown: bool = False) -> list[str]:
    """The diff as lines of text (``+`` added, ``-`` removed, ``~`` changed) or Markdown."""
    bullet = "- " if markdown else "  "
    out = [
        f"# {diff.old.id} -> {diff.new.id}" if markdown else f"{diff.old.id} -> {diff.new.id}",
        "",
        f"{diff.old.title} ({diff.old.effective}) -> {diff.new.title} ({diff.new.effective})",
        "",
    ]
    out.append("## Policy" if markdown else "Policy:")
    out.extend(f"{bullet}{c.describe()}" for c in diff.changes)
    if not diff.changes:
        out.append(f"{bullet}(no change in dates, status or sources)")
    sections = (
        ("added", "+", "Rules added"),
        ("removed", "-", "Rules removed"),
        ("changed", "~", "Rules changed"),
    )
    for status, sign, heading in sections:
        items = diff.of_status(status)
        out += ["", f"## {heading} ({len(items)})" if markdown else f"{heading} ({len(items)}):"]
        for item in items:
            rule = item.rule
            mark = rule.confidence.mark
            name = (
                f"{item.old.id} -> {item.new.id}"
                if item.old and item.new and item.old.id != item.new.id
                else rule.id
            )
            label = f"{rule.kind.value} {name}: {rule.label}" + (f" {mark}" if mark else "")
            how = f" (matched by {item.matched_by})" if item.matched_by not in ("", "id") else ""
            out.append(f"- **{label}**{how}" if markdown else f"{sign} {label}{how}")
            pad = "  - " if markdown else "      "
            out.extend(f"{pad}{c.describe()}" for c in item.changes if c.field != "id")
    unchanged = diff.of_status("unchanged")
    out += [
        "",
        f"Unchanged rules: {len(unchanged)}"
        + (f" ({', '.join(r.rule.id for r in unchanged)})" if unchanged else ""),
    ]
    return out
