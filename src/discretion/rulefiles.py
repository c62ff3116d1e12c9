"""Strict checking of rule data files (policies and relief): every fault as one line.

A data author needs to know which file, which line, which entry (by rule id) and what is
wrong, and ``discretion policies check`` wants every fault in a file, not only the first, so
checks add to a :class:`FileProblems` instead of raising. The loaders raise the first one.
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from discretion import predicates
from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import PolicyError
from discretion.rules import Kind, Rule


class FieldProblem(ValueError):
    """A cross-field check that knows which key is at fault, so the loader can give its line."""

    def __init__(self, message: str, loc: tuple[str | int, ...]):
        super().__init__(message)
        self.loc = loc


Loc = tuple[str | int, ...]
Lines = dict[Loc, int]
_SINGULAR = {"priorities": "priority", "risks": "risk", "sources": "source", "relief": "relief"}
_DATE_ERRORS = {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}


@dataclass
class FileProblems:
    """The one-line problems found in one data file, each naming file, line, entry and fault.

    ``policies check`` prints them all; the loaders raise the first as a PolicyError.
    """

    path: Path
    lines: Lines
    data: Any = None
    found: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, loc: Loc, problem: str, *, warning: bool = False) -> None:
        line = line_of(self.lines, loc)
        where = f"{self.path.name}:{line}" if line else self.path.name
        entry = entry_label(self.data, loc)
        (self.warnings if warning else self.found).append(
            f"{where}: {entry + ': ' if entry else ''}{problem}"
        )

    def add_validation(self, exc: ValidationError, base: Loc = ()) -> None:
        self.add_errors(exc.errors(), base)

    def add_errors(self, errors: Iterable[Any], base: Loc = ()) -> None:
        for err in errors:
            loc = (*base, *err["loc"])
            ctx_error = (err.get("ctx") or {}).get("error")
            if isinstance(ctx_error, FieldProblem):
                loc = (*base, *ctx_error.loc)
            self.add(loc, explain(err, relative=tuple(err["loc"])))

    def raise_first(self) -> None:
        if self.found:
            more = len(self.found) - 1
            tail = f" (and {more} more problem{'s' * (more > 1)}: run `discretion policies check`)"
            raise PolicyError(self.found[0] + (tail if more else ""))


def entry_label(data: Any, loc: Loc) -> str:
    """Name the list entry ``loc`` points into, by its id where it has one: "mitigating 'x'"."""
    if len(loc) < 2 or not isinstance(data, dict) or not isinstance(loc[1], int):
        return ""
    section, index = str(loc[0]), loc[1]
    items = data.get(section)
    item = items[index] if isinstance(items, list) and index < len(items) else None
    singular = _SINGULAR.get(section, section.removesuffix("s"))
    if isinstance(item, dict) and section == "suspensions" and "from" in item:
        return f"suspension from {item['from']}"
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{singular} {item['id']!r}"
    return f"{section}[{index}]"


def explain(err: Any, relative: Loc) -> str:
    """One pydantic error in the words a data author needs: the key at fault and what is wrong."""
    kind, value = err["type"], err.get("input")
    field_name = ".".join(str(p) for p in relative) or "value"
    key = relative[-1] if relative else ""
    if kind == "extra_forbidden":
        return f"unexpected key {key!r}"
    if kind == "missing":
        return f"missing required key {key!r}"
    if kind == "too_short":
        return f"{field_name} must not be empty"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    if kind in _DATE_ERRORS:
        return f"{field_name}: {value!r} is not a date (write YYYY-MM-DD)"
    if kind == "enum":
        return f"{field_name}: {value!r} is not one of {err['ctx']['expected']}"
    choices = re.fullmatch(r"\^\(([\w|-]+)\)\$", str((err.get("ctx") or {}).get("pattern", "")))
    if kind == "string_pattern_mismatch" and choices:
        return f"{field_name}: {value!r} is not one of {', '.join(choices.group(1).split('|'))}"
    if kind == "string_pattern_mismatch":
        return f"{field_name}: {value!r} does not match {err['ctx']['pattern']}"
    if kind in ("model_type", "dict_type"):
        return f"{field_name} must be a mapping of keys to values, not {type(value).__name__}"
    return f"{field_name}: {err['msg']}"


def parse_rules(
    problems: FileProblems,
    section: str,
    kind: Kind,
    source_ids: set[str],
    seen: dict[str, int],
    *,
    allow_kind: bool = False,
) -> list[Rule]:
    """Check and build the rules of one section; every fault goes into ``problems``.

    ``seen`` maps rule ids already used in the file to their line, across sections.
    """
    entries = problems.data.get(section) if isinstance(problems.data, dict) else None
    if not isinstance(entries, list):
        return []
    rules: list[Rule] = []
    for index, entry in enumerate(entries):
        loc: Loc = (section, index)
        if not isinstance(entry, dict):
            problems.add(loc, f"each entry in {section} must be a mapping of keys to values")
            continue
        if "kind" in entry and not (allow_kind and entry["kind"] == kind.value):
            problems.add((*loc, "kind"), "`kind` comes from the section the rule is in; remove it")
            continue
        try:
            rule = Rule.model_validate({**entry, "kind": kind})
        except ValidationError as exc:
            problems.add_validation(exc, base=loc)
            continue
        if rule.id in seen:
            problems.add((*loc, "id"), f"duplicate id (first used on line {seen[rule.id]})")
            continue
        seen[rule.id] = line_of(problems.lines, (*loc, "id")) or 0
        fault = predicates.check_parameters(rule.test, rule.params) or _shape_fault(rule.test, rule.params)
        if fault:
            at = "test" if fault.startswith("no predicate") or "with" not in entry else "with"
            close = difflib.get_close_matches(rule.test, predicates.names(), n=1)
            if fault.startswith("no predicate") and close:
                fault += f" (did you mean {close[0]!r}?)"
            problems.add((*loc, at), fault)
            continue
        bad = [c.source for c in rule.cite if c.source not in source_ids]
        if bad:
            problems.add((*loc, "cite"), f"cites unknown source {bad[0]!r} (sources: {listed(source_ids)})")
            continue
        _warn_split_items(problems, loc, rule)
        rules.append(rule)
    return rules


# An unquoted comma inside a flow list ``[a, b (c, d)]`` silently splits one item in two; the
# halves betray themselves by an unbalanced parenthesis or by opening with a year or "or"/"and".
_SPLIT_HALF = re.compile(r"^(\d|or |and |including )")


def _warn_split_items(problems: FileProblems, loc: Loc, rule: Rule) -> None:
    for name in ("evidence", "lowered_by"):
        for index, item in enumerate(getattr(rule, name)):
            if item.count("(") != item.count(")") or _SPLIT_HALF.match(item):
                problems.add(
                    (*loc, name, index),
                    f"{name} item {item!r} looks like half of an item split at a comma: "
                    "quote items that contain commas, or write the list one item per line",
                    warning=True,
                )
                break


def _shape_fault(test: str, params: dict[str, Any]) -> str | None:
    """What ``check_parameters`` lets through: ``true`` for an int (bool is an int in Python),
    and a single value where the predicate wants a list (it would be read letter by letter)."""
    accepted = inspect.signature(predicates.get(test)).parameters
    for key, value in params.items():
        annotation = str(accepted[key].annotation)
        if annotation == "int" and isinstance(value, bool):
            return f"predicate {test!r}: parameter {key!r} must be int, not bool"
        if annotation.startswith("list[") and value is not None and not isinstance(value, list):
            return f"predicate {test!r}: parameter {key!r} must be a list, not {type(value).__name__}"
    return None


def check_sources(problems: FileProblems) -> set[str]:
    """The file's source ids; a repeated id is a problem (citations would be ambiguous)."""
    ids: dict[str, int] = {}
    entries = problems.data.get("sources") if isinstance(problems.data, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        sid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(sid, str):
            continue
        if sid in ids:
            problems.add(("sources", index, "id"), f"duplicate source id (first on line {ids[sid]})")
        ids.setdefault(sid, line_of(problems.lines, ("sources", index, "id")) or 0)
    return set(ids)


def listed(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids)) or "none"


def read_data_file(path: Path) -> FileProblems:
    """Parse ``path`` strictly; a file that cannot be parsed, is empty or is not a mapping is a problem."""
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        problems = FileProblems(path, {})
        entry = _entry_at_line(path, exc.line) if exc.line else ""
        where = f"{path.name}:{exc.line}" if exc.line else path.name
        problems.found.append(f"{where}: {entry + ': ' if entry else ''}{exc}")
        return problems
    problems = FileProblems(path, lines, data)
    if data is None:
        problems.found.append(f"{path.name}: the file is empty")
    elif not isinstance(data, dict):
        problems.found.append(
            f"{path.name}: the file must be a mapping of keys to values, not a {type(data).__name__}"
        )
    return problems


def _entry_at_line(path: Path, line: int) -> str:
    """For a file that failed to load (a duplicate key), name the list entry around ``line``."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return ""
    if not isinstance(root, yaml.MappingNode):
        return ""
    for key_node, value_node in root.value:
        if not isinstance(value_node, yaml.SequenceNode):
            continue
        for index, item in enumerate(value_node.value):
            # end_mark sits on the next item's first line, except for a last item at end of file.
            last = item.end_mark.line + (index == len(value_node.value) - 1)
            if item.start_mark.line < line <= max(last, item.start_mark.line + 1):
                fields = {k.value: v.value for k, v in getattr(item, "value", []) if hasattr(k, "value")}
                return entry_label({key_node.value: [None] * index + [fields]}, (key_node.value, index))
    return ""
