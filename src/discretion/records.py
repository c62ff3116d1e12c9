"""The records that settle a missing fact (``data/records.yaml``).

When a rule cannot be decided, the screen names the fact it needs. A practitioner does not look for
``entry.manner``: they order the I-94, ask for the release paper, file a FOIA with CBP. This module
turns a missing fact path into those documents, for the "Ask" lines of a screening and for the
checklist's items to request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import DocumentError
from discretion.rules import Citation, Confidence, Source

RECORDS_FILE = Path(__file__).parent / "data" / "records.yaml"
_INDEX = re.compile(r"\[\d+\]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Record(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    title: str
    detail: str | None = None
    facts: list[str] = Field(min_length=1)
    cite: list[Citation] = Field(min_length=1)
    confidence: Confidence


class RecordsFile(_Strict):
    title: str
    sources: list[Source] = Field(min_length=1)
    records: list[Record] = Field(min_length=1)


def _settles(pattern: str, field: str) -> bool:
    base = pattern.removesuffix(".*")
    if pattern.endswith(".*"):
        return field == base or field.startswith(base + ".")
    # A missing whole list or section (``criminal_history``) is settled by records of its fields.
    return field == pattern or pattern.startswith(field + ".")


@dataclass(frozen=True, eq=False)  # hashed by identity: the cache below keys on it
class Records:
    meta: RecordsFile

    @property
    def sources(self) -> dict[str, Source]:
        return {s.id: s for s in self.meta.sources}

    def for_fact(self, path: str) -> tuple[Record, ...]:
        """The records that settle the fact at ``path`` (``criminal_history[2].disposition``)."""
        return _for_field(self, _INDEX.sub("", path))

    def titles(self, path: str) -> list[str]:
        """The records' titles, each with its confidence mark when unsure."""
        return list(_titles(self, path))


@cache
def _for_field(records: Records, field: str) -> tuple[Record, ...]:
    return tuple(r for r in records.meta.records if any(_settles(p, field) for p in r.facts))


@cache
def _titles(records: Records, path: str) -> tuple[str, ...]:
    # Cached by path: a docket asks the same few dozen paths for every case.
    return tuple(
        f"{r.title} {r.confidence.mark}".strip() if r.confidence.is_unsure else r.title
        for r in records.for_fact(path)
    )


def load_records(path: Path = RECORDS_FILE) -> Records:
    """Read and check a records file. Raises DocumentError naming the file, line and entry."""
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or ''}: {exc}".replace(":: ", ": ")) from None
    try:
        meta = RecordsFile.model_validate(data)
    except ValidationError as exc:
        err = next((e for e in exc.errors() if e["type"] == "extra_forbidden"), exc.errors()[0])
        loc = tuple(err["loc"])
        line = line_of(lines, loc)
        msg = "unexpected key" if err["type"] == "extra_forbidden" else err["msg"]
        where = f"{path.name}:{line}" if line else path.name
        raise DocumentError(f"{where}: {'.'.join(map(str, loc))}: {msg}") from None
    sources = {s.id for s in meta.sources}
    seen: set[str] = set()
    for record in meta.records:
        if record.id in seen:
            raise DocumentError(f"{path.name}: record {record.id!r}: duplicate id")
        seen.add(record.id)
        for cite in record.cite:
            if cite.source not in sources:
                raise DocumentError(f"{path.name}: record {record.id!r}: unknown source {cite.source!r}")
    return Records(meta)


@cache
def records() -> Records:
    """The shipped table, loaded once per process."""
    return load_records()
