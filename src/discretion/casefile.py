"""Read a case file (YAML or JSON) into CaseFacts, with errors that name the file, line and field."""

from __future__ import annotations

import json
import types
import typing
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from discretion.datafiles import DataFileError, line_of, load_file, load_text
from discretion.errors import CaseFileError
from discretion.facts import SCHEMA_VERSION, CaseFacts
from discretion.hygiene import MAX_LINE, MAX_TEXT, MULTILINE_KEYS, InputError, clean_data, cut

SUFFIXES = (".yaml", ".yml", ".json")
READABLE_VERSIONS = (1, 2)  # 1 is migrated on reading (discretion.migration)

# Fields of schema 1 that moved in schema 2: a file that says schema_version: 2 but uses one
# of them is told where it went.
MOVED = {
    "parole_ends_on": "entry.paroles[].ends_on (schema 2 keeps a list of paroles)",
    "parole_terminated": "entry.paroles[].terminated",
    "parole_program": "entry.paroles[].program",
    "evidence": "presence.proofs (typed items: kind, dates)",
    "has_245i_petition": "immigration_history.grandfathering_filings",
    "section_245i_filed_on": "immigration_history.grandfathering_filings[].filed_on",
    "harm_caused": "harm (none / minor / serious / unknown) and harm_description",
}


def describe_error(err: Any) -> str:
    """One pydantic error as a short plain-English phrase."""
    kind = err["type"]
    if kind == "extra_forbidden":
        name = str(err["loc"][-1]) if err.get("loc") else ""
        if name in MOVED:
            return f"moved in schema_version 2 to {MOVED[name]}"
        return "unknown field (check the spelling against docs/case-file.md)"
    if kind == "missing":
        return "is required"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"must be a date written YYYY-MM-DD, not {cut(err.get('input'))}"
    if kind == "partial_date":
        return str(err["msg"])
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{cut(err.get('input'))} is not one of {expected}"
    if kind == "literal_error":
        return f"{cut(err.get('input'))} is not allowed here ({err.get('ctx', {}).get('expected', '')})"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    # A message may quote the bad value (pydantic's and ours do): never echo megabytes of it.
    msg = msg if len(msg) <= 200 else msg[:200] + "…"
    return msg[0].lower() + msg[1:] if msg else kind


def field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse_facts(data: Any, *, where: str, lines: dict[tuple[str | int, ...], int] | None = None) -> CaseFacts:
    """Validate plain data as CaseFacts; on failure raise CaseFileError naming ``where``, line and field."""
    if data is None:
        raise CaseFileError(
            f"{where}: the file is empty (a case file needs at least `schema_version: {SCHEMA_VERSION}`)"
        )
    if not isinstance(data, dict):
        kind = {"list": "a list", "str": "a single text value"}.get(type(data).__name__, type(data).__name__)
        raise CaseFileError(f"{where}: (top level): a case file must be a mapping of fields, not {kind}")
    version = data.get("schema_version", 1)
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        line = line_of(lines or {}, ("schema_version",))
        place = f"{where}:{line}" if line else where
        raise CaseFileError(
            f"{place}: schema_version: {cut(version)} is not supported "
            f"(this version of discretion reads 1 and 2; 1 is converted on reading)"
        )
    try:
        # The boundary: control characters, absurd numbers and dates, over-long text, nesting.
        data = clean_data(data)
    except InputError as exc:
        line = line_of(lines or {}, exc.path)
        place = f"{where}:{line}" if line else where
        raise CaseFileError(
            f"{place}: {exc.field or '(top level)'}: {exc.reason}", path=exc.path, reason=exc.reason
        ) from None
    try:
        return CaseFacts.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        loc = tuple(first["loc"])
        line = line_of(lines or {}, loc)
        place = f"{where}:{line}" if line else where
        more = (
            f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
            if len(errors) > 1
            else ""
        )
        raise CaseFileError(f"{place}: {field_path(loc)}: {describe_error(first)}{more}") from None


def case_schema() -> dict[str, Any]:
    """The JSON Schema of a case file, generated from CaseFacts (shipped as data/case.schema.json)."""
    schema = CaseFacts.model_json_schema()
    _text_limits(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://discretion.invalid/case.schema.json",
        **schema,
        "title": "discretion case file",
        "description": (
            "The facts of one removal case. Omitted or null means unknown; for lists, "
            "omitted means not yet asked and [] means none. See docs/case-file.md."
        ),
    }


def _text_limits(node: Any, key: str | None = None) -> None:
    """Write the boundary's text limits (``hygiene``) into the schema, so editors show them."""
    if isinstance(node, dict):
        if (
            node.get("type") == "string"
            and "format" not in node
            and "enum" not in node
            and "const" not in node
        ):
            node.setdefault("maxLength", MAX_TEXT if key in MULTILINE_KEYS else MAX_LINE)
        for name, value in node.items():
            if name == "properties" and isinstance(value, dict):
                for field, sub in value.items():
                    _text_limits(sub, field)
            else:
                _text_limits(value, key)
    elif isinstance(node, list):
        for item in node:
            _text_limits(item, key)


def case_schema_text() -> str:
    """The schema as the exact text shipped and written by ``discretion schema``."""
    return json.dumps(case_schema(), indent=2, ensure_ascii=False) + "\n"


def load_case(path: Path) -> CaseFacts:
    """Load one case file. Raises CaseFileError with a one-line message on any bad input."""
    if path.is_dir():
        raise CaseFileError(f"{path}: is a directory, not a case file")
    if not path.exists():
        raise CaseFileError(f"{path}: file not found")
    if path.suffix.lower() not in SUFFIXES:
        raise CaseFileError(f"{path}: a case file must end in .yaml, .yml or .json")
    try:
        data, lines, raw = load_file(path)
    except DataFileError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise CaseFileError(f"{where}: {exc}") from None
    try:
        return parse_facts(data, where=str(path), lines=lines)
    except CaseFileError as first:
        if lines or path.suffix.lower() != ".json":
            raise
        # The json module keeps no positions. Valid JSON is (nearly always) valid YAML, so the
        # YAML reader finds the line of the bad field; only on this error path, as it is slower.
        try:
            _, lines = load_text(raw.decode("utf-8-sig"), suffix=".yaml")
        except DataFileError:
            raise first from None
        return parse_facts(data, where=str(path), lines=lines)


def field_reference() -> str:
    """The "Sections and fields" tables of docs/case-file.md, generated from CaseFacts."""
    out: list[str] = []
    queue: list[tuple[type[BaseModel], str]] = [(CaseFacts, "(top level)")]
    seen: set[type[BaseModel]] = set()
    while queue:
        model, title = queue.pop(0)
        if model in seen:
            continue
        seen.add(model)
        out += ["", f"### {title}", "", "| field | value | meaning |", "|---|---|---|"]
        for name, info in model.model_fields.items():
            (annotation,) = _unwrap(info.annotation)
            meaning = (info.description or "").replace("|", "/")
            if info.is_required():
                meaning = f"**Required.** {meaning}".rstrip()
            value = "A-number (see above)" if name == "a_number" else _kind(annotation)
            out.append(f"| `{name}` | {value} | {meaning} |")
            inner = typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else annotation
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                queue.append((inner, name if model is CaseFacts else f"{title}.{name}"))
    return "\n".join(out).lstrip("\n") + "\n"


def _unwrap(annotation: Any) -> list[Any]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    return [annotation]


def _kind(annotation: Any) -> str:
    if typing.get_origin(annotation) is typing.Annotated:  # a constrained type, e.g. TaxYear
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return "list of " + (
            item.__name__ if isinstance(item, type) and issubclass(item, BaseModel) else _kind(item)
        )
    if origin is typing.Literal:
        return " / ".join(f"`{x}`" for x in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return " / ".join(f"`{e.value}`" for e in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    names = {str: "text", int: "whole number", bool: "true / false", date: "date"}
    return names.get(annotation, str(annotation))
