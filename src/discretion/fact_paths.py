"""Field paths into a case ("entry.first_entry_on", "criminal_history[0].harm"): parse, check, read, set.

Disputed facts and the claimed / documented markers name facts by these paths, the same
paths the screen lists as missing and validation names in its problems.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date
from typing import Any

from pydantic import BaseModel

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")

Path = tuple[str | int, ...]


def parse(path: str) -> Path:
    """``"criminal_history[0].harm"`` as ``("criminal_history", 0, "harm")``; ValueError if malformed."""
    out: list[str | int] = []
    for piece in path.strip().split("."):
        match = _PART.fullmatch(piece)
        if not match:
            raise ValueError(
                f"{path!r} is not a field path (write it like entry.first_entry_on or family[0].status)"
            )
        out.append(match.group(1))
        out += [int(i) for i in re.findall(r"\[(\d+)\]", match.group(2))]
    return tuple(out)


def _inner(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
        return _inner(annotation)
    return annotation


def field_annotation(path: str) -> Any:
    """The type of the field a path names (list items through their index); ValueError if none."""
    from discretion.facts import CaseFacts

    model: Any = CaseFacts
    annotation: Any = CaseFacts
    parts = parse(path)
    for i, part in enumerate(parts):
        if isinstance(part, int):
            if typing.get_origin(annotation) is not list:
                raise ValueError(f"{path!r}: {_show(parts[:i])} is not a list")
            annotation = _inner(typing.get_args(annotation)[0])
            model = annotation
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            raise ValueError(f"{path!r}: no field {part!r} there (see docs/case-file.md)")
        annotation = _inner(model.model_fields[part].annotation)
        model = annotation
    return annotation


def check_date_path(path: str) -> None:
    """A ``date_basis`` key must name a date field outside a list (records carry their own basis)."""
    parts = parse(path)
    if any(isinstance(p, int) for p in parts):
        raise ValueError(f"{path!r}: a record in a list carries its own basis field; mark it there")
    if field_annotation(path) is not date:
        raise ValueError(f"{path!r} is not a date field")


def read(data: Any, parts: Path) -> Any:
    """The value at ``parts`` in plain case data; None where the path is absent."""
    for part in parts:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
            data = data[part]
        else:
            if not isinstance(data, dict):
                return None
            data = data.get(part)
    return data


def replaced(data: dict[str, Any], parts: Path, value: Any) -> dict[str, Any]:
    """A copy of plain case data with the value at ``parts`` replaced (sections created as needed)."""
    head, rest = parts[0], parts[1:]
    if not rest:
        return {**data, str(head): value}
    child = data.get(str(head)) if isinstance(head, str) else None
    if isinstance(rest[0], int):
        items = list(child or [])
        index = rest[0]
        if index >= len(items):
            raise ValueError(f"{_show(parts[:2])}: there is no record {index} (the list has {len(items)})")
        if len(rest) == 1:
            items[index] = value
        else:
            items[index] = replaced(dict(items[index] or {}), rest[1:], value)
        return {**data, str(head): items}
    return {**data, str(head): replaced(dict(child or {}), rest, value)}


def _show(parts: Path) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
