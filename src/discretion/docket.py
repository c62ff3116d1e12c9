"""The flat CSV layout of a docket: one case per row, turned back into CaseFacts.

The layout (``docs/batch-csv.md``) is derived from :class:`~discretion.facts.CaseFacts`, so a new
fact becomes a new column without anyone editing a list:

* every scalar fact is a column named by its path (``entry.first_entry_on``);
* a list of words or years is one cell, items separated by ``;`` (``none`` = the empty list);
* the lists of records are summarised by fixed columns (``criminal.*``, ``family.*``, and the
  ``presence.absences``, ``immigration_history.prior_removals``, ``proceedings.pending_applications``,
  ``proceedings.prior_pd_requests`` and ``health.serious_conditions`` cells) and turned back into
  records by the rules written in the doc.

An empty cell is *unknown*, never "no". Cells are converted here (booleans, strict
``YYYY-MM-DD`` dates, whole numbers) so that an error names the column; pydantic then checks
the whole row once. ``discretion.batch`` streams a file of such rows through the screener.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from discretion import partial_dates
from discretion.casefile import describe_error
from discretion.facts import (
    ApplicationKind,
    CaseFacts,
    Disposition,
    Forum,
    GrandfatheredPerson,
    OffenceCategory,
    OffenceLevel,
    PriorRequest,
    Relationship,
    RelativeStatus,
    Removal,
)
from discretion.hygiene import InputError, clean_date, clean_number, clean_text, cut

# Sections a docket does not carry: the letter's prose, the representative's contact card and
# counsel's privileged record (advice, consent, overrides).
SKIPPED_SECTIONS = ("narrative", "representative", "counsel", "notes", "date_basis", "disputes")
NONE_WORD = "none"
BOOLEANS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}

# Summary columns for the lists of records, with what each holds (also the doc's table).
CRIMINAL_COLUMNS = {
    "criminal.felony_convictions": "number of felony convictions",
    "criminal.misdemeanor_convictions": "number of misdemeanour convictions",
    "criminal.infraction_convictions": "number of infraction convictions (incl. minor traffic)",
    "criminal.pending_charges": "number of charges not yet resolved",
    "criminal.felony_categories": "categories among the felony convictions, `;`-separated",
    "criminal.misdemeanor_categories": "categories among the misdemeanour convictions, `;`-separated",
    "criminal.first_conviction_on": "date of the earliest conviction",
    "criminal.last_conviction_on": "date of the most recent conviction",
    "criminal.longest_sentence_days": "longest custody sentence imposed, in days",
}
CRIMINAL_COUNTS = tuple(c for c in CRIMINAL_COLUMNS if c.endswith(("_convictions", "_charges")))
FAMILY_COLUMNS = {
    "family.usc_children": "number of U.S.-citizen children",
    "family.lpr_children": "number of permanent-resident children",
    "family.other_children": "number of other children (any other or unknown status)",
    "family.spouse": "spouse's status: usc, lpr, other_lawful, undocumented, unknown, or none",
    "family.usc_parents": "number of U.S.-citizen parents",
    "family.lpr_parents": "number of permanent-resident parents",
}
RECORD_LIST_COLUMNS = {
    "proceedings.pending_applications": "applications pending: `kind` or `kind:forum`, `;`-separated",
    "proceedings.prior_pd_requests": "earlier PD requests by outcome (granted, denied, no_response, withdrawn, pending)",
    "entry.paroles": (
        "paroles: `start..end` (dates YYYY-MM-DD, YYYY-MM or YYYY; either may be left out), "
        "`:terminated` added when DHS ended it early, `;`-separated"
    ),
    "presence.absences": "trips abroad: `YYYY-MM-DD..YYYY-MM-DD` (no end = still abroad), `;`-separated",
    "presence.proofs": (
        "proofs of presence, `;`-separated, each typed from its words: `lease 2019; tax return 2020; "
        "school record` (kinds in docs/case-file.md)"
    ),
    "immigration_history.prior_removals": "removals: `YYYY-MM-DD` or `YYYY-MM-DD:kind`, `;`-separated",
    "immigration_history.grandfathering_filings": (
        "INA 245(i) petitions or labor certifications: filing date, with `:self`, `:parent` or "
        "`:spouse` for whose, `;`-separated (`none` = none)"
    ),
    "health.serious_conditions": "number of serious health conditions",
}


# Schema 1 column names still read (a docket written for schema 1 keeps working): the row is
# then converted like a schema 1 case file (discretion.migration).
LEGACY_COLUMNS = {
    "entry.parole_ends_on": "date",
    "entry.parole_terminated": "bool",
    "entry.parole_program": "text",
    "presence.evidence": "words",
    "immigration_history.has_245i_petition": "bool",
    "immigration_history.section_245i_filed_on": "date",
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    path: tuple[str, ...]
    kind: str  # bool | int | date | fact_date | text | words | numbers | summary
    help: str
    legacy: bool = False


def _unwrap(annotation: Any) -> list[Any]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    return [annotation]


def _column(name: str, info: Any, prefix: tuple[str, ...]) -> Iterator[Column]:
    """The column(s) for one model field: scalars and word lists directly, sub-models flattened."""
    path = (*prefix, name)
    (annotation,) = _unwrap(info.annotation)
    help_text = info.description or ""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for sub, sub_info in annotation.model_fields.items():
            yield from _column(sub, sub_info, path)
        return
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if typing.get_origin(item) is typing.Annotated:  # a constrained type, e.g. TaxYear
            item = typing.get_args(item)[0]
        # lists of records are summarised by the fixed columns instead
        if item in (str, int):
            yield Column(".".join(path), path, "words" if item is str else "numbers", help_text)
        return
    kind = {bool: "bool", int: "int", date: "date"}.get(annotation, "text")
    if kind == "date" and any(getattr(m, "func", None) is partial_dates.validate for m in info.metadata):
        kind = "fact_date"  # also YYYY-MM and YYYY
    choices: tuple[str, ...] = ()
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = tuple(e.value for e in annotation)
    elif typing.get_origin(annotation) is typing.Literal:
        choices = typing.get_args(annotation)
    if choices:
        help_text = (help_text + " " if help_text else "") + "One of: " + ", ".join(choices) + "."
    yield Column(".".join(path), path, kind, help_text)


def layout() -> list[Column]:
    """Every column a docket CSV may have, in the documented order."""
    columns: list[Column] = []
    for name, info in CaseFacts.model_fields.items():
        if name == "schema_version" or name in SKIPPED_SECTIONS:
            continue
        if name == "criminal_history":
            columns += [Column(n, (n,), "summary", h) for n, h in CRIMINAL_COLUMNS.items()]
        elif name == "family":
            columns += [Column(n, (n,), "summary", h) for n, h in FAMILY_COLUMNS.items()]
        else:
            columns += _column(name, info, ())
            columns += [
                Column(n, (n,), "summary", h)
                for n, h in RECORD_LIST_COLUMNS.items()
                if n.startswith(name + ".")
            ]
    return columns


COLUMNS = layout()
BY_NAME = {c.name: c for c in COLUMNS} | {
    name: Column(name, tuple(name.split(".")), kind, "schema 1 column", legacy=True)
    for name, kind in LEGACY_COLUMNS.items()
}


class RowError(ValueError):
    """One bad cell: the column and the reason."""

    def __init__(self, column: str, reason: str):
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


def parse_date(text: str, column: str) -> date:
    # Only YYYY-MM-DD: date.fromisoformat also takes 20200101, and pydantic takes timestamps.
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise RowError(column, f"{cut(text)} is not a date written YYYY-MM-DD")
    try:
        return clean_date(date.fromisoformat(text), field=column)
    except InputError as exc:
        raise RowError(column, exc.reason) from None
    except ValueError:
        raise RowError(column, f"{text!r} is not a real date") from None


def parse_fact_date(text: str, column: str) -> date:
    """A fact date: YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known."""
    partial = partial_dates.parse_partial(text)
    if partial is not None:
        return partial
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise RowError(column, f"{text!r} is not a date written YYYY-MM-DD (or YYYY-MM, or YYYY)")
    return parse_date(text, column)


def parse_int(text: str, column: str) -> int:
    if len(text) > 20:  # int() of thousands of digits is slow, then refused by Python anyway
        raise RowError(column, f"{cut(text, 24)} is not a whole number in range")
    try:
        return clean_number(int(text), field=column)
    except InputError as exc:
        raise RowError(column, exc.reason) from None
    except ValueError:
        raise RowError(column, f"{cut(text)} is not a whole number") from None


# How many records a count cell may stand for: each becomes a record in the case, and one
# absurd count (10^9 children) once exhausted the memory of the whole batch.
MAX_RECORDS = 100


def parse_count(text: str, column: str) -> int:
    count = parse_int(text, column)
    if not 0 <= count <= MAX_RECORDS:
        raise RowError(column, f"{count} is out of range (0 to {MAX_RECORDS})")
    return count


def _items(text: str) -> list[str]:
    return [] if text.lower() == NONE_WORD else [i.strip() for i in text.split(";") if i.strip()]


def _set(target: dict[str, Any], path: tuple[str, ...], value: object) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def _convert(column: Column, text: str) -> object:
    kind = column.kind
    if kind == "bool":
        return _boolean(text, column.name)
    if kind == "date":
        return parse_date(text, column.name)
    if kind == "fact_date":
        return parse_fact_date(text, column.name)
    if kind == "int":
        return parse_int(text, column.name)
    if kind == "words":
        return _items(text)
    if kind == "numbers":
        return [parse_int(i, column.name) for i in _items(text)]
    return text


def _boolean(text: str, column: str) -> bool:
    try:
        return BOOLEANS[text.lower()]
    except KeyError:
        raise RowError(column, f"{text!r} is not yes/no (yes, no, true, false, 1, 0)") from None


def _converter(column: Column) -> typing.Callable[[str], object]:
    """``_convert`` for one column, chosen once per header rather than once per cell.

    Partials of module functions, not closures: a Reader is pickled to the worker processes.
    """
    kind = column.kind
    if kind == "bool":
        return functools.partial(_boolean, column=column.name)
    if kind == "date":
        return functools.partial(parse_date, column=column.name)
    if kind == "fact_date":
        return functools.partial(parse_fact_date, column=column.name)
    if kind == "int":
        return functools.partial(parse_int, column=column.name)
    if kind in ("words", "numbers"):
        return functools.partial(_convert, column)
    return str


Step = tuple[str, str | None, typing.Callable[[str], object] | None, tuple[str, ...]]


@dataclass(frozen=True)
class Reader:
    """Turns the cells of one row into CaseFacts for a given header."""

    header: tuple[str, ...]
    columns: tuple[Column, ...] = field(init=False)
    # Per column: name, section (None at top level), converter (None for a summary column) and
    # the rest of the path. Worked out once: a docket reads the same header a million times.
    steps: tuple[Step, ...] = field(init=False, repr=False)
    legacy: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(BY_NAME[name] for name in self.header))
        object.__setattr__(self, "legacy", any(c.legacy for c in self.columns))
        steps = []
        for c in self.columns:
            convert = None if c.kind == "summary" else _converter(c)
            section, rest = (None, c.path) if len(c.path) == 1 else (c.path[0], c.path[1:])
            steps.append((c.name, section, convert, rest))
        object.__setattr__(self, "steps", tuple(steps))

    def facts(self, cells: list[str]) -> CaseFacts:
        """The row as CaseFacts; raises RowErrors naming every bad column."""
        data: dict[str, Any] = {}
        summaries: dict[str, str] = {}
        bad: list[RowError] = []
        for (name, section, convert, rest), raw in zip(self.steps, cells, strict=True):
            text = raw.strip()
            if not text:
                continue
            try:
                # The boundary, as for case files: control characters, NUL, over-long cells.
                text = clean_text(text, field=name)
            except InputError as exc:
                bad.append(RowError(name, exc.reason))
                continue
            if convert is None:
                summaries[name] = text
                continue
            try:
                value = convert(text)
            except RowError as exc:
                bad.append(exc)
                continue
            if section is None:
                data[rest[0]] = value
                continue
            target = data.get(section)
            if target is None:
                target = data[section] = {}
            if len(rest) == 1:
                target[rest[0]] = value
            else:
                _set(target, rest, value)
        if summaries:
            try:
                _records(summaries, data)
            except RowError as exc:
                bad.append(exc)
        if bad:
            raise RowErrors(bad)
        if self.legacy:
            data["schema_version"] = 1  # converted by discretion.migration
        try:
            return CaseFacts.model_validate(data)
        except ValidationError as exc:
            raise _row_errors(exc) from None


class RowErrors(ValueError):
    """Every bad cell of one row, so a single pass over the errors file fixes the row."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def _row_errors(exc: ValidationError) -> RowErrors:
    found = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if isinstance(p, str))
        name = ".".join(loc)
        column = name if name in BY_NAME else _summary_column(loc)
        found.append(RowError(column, describe_error(err)))
    return RowErrors(found)


def _summary_column(loc: tuple[str, ...]) -> str:
    head = loc[0] if loc else ""
    prefix = {"criminal_history": "criminal.*", "family": "family.*"}.get(head)
    if prefix:
        return prefix
    two = ".".join(loc[:2])
    return two if two in RECORD_LIST_COLUMNS else ".".join(loc) or "(row)"


def _records(cells: dict[str, str], data: dict[str, Any]) -> None:
    """Rebuild the lists of records from the summary cells (rules in docs/batch-csv.md)."""
    if any(name.startswith("criminal.") for name in cells):
        data["criminal_history"] = _criminal(cells)
    if any(name.startswith("family.") for name in cells):
        data["family"] = _family(cells)
    for name in RECORD_LIST_COLUMNS:
        if name in cells:
            section, key = name.split(".")
            data.setdefault(section, {})
            if name == "health.serious_conditions":
                data[section]["conditions"] = [
                    {"description": "serious condition (from docket)", "serious": True}
                ] * parse_count(cells[name], name)
            else:
                data[section][key] = _record_list(name, cells[name])


def _record_list(name: str, text: str) -> list[Any]:
    out: list[Any] = []
    for item in _items(text):
        if name == "presence.absences":
            left, _, back = item.partition("..")
            out.append(
                {
                    "left_on": parse_date(left.strip(), name),
                    "returned_on": parse_date(back.strip(), name) if back.strip() else None,
                }
            )
        elif name == "immigration_history.prior_removals":
            when, _, kind = item.partition(":")
            entry: dict[str, Any] = {"removed_on": parse_date(when.strip(), name)}
            if kind.strip():
                entry["kind"] = _choice(kind.strip(), _REMOVAL_KINDS, name)
            out.append(entry)
        elif name == "entry.paroles":
            span, _, flag = item.partition(":")
            start, _, end = span.partition("..")
            parole: dict[str, Any] = {}
            if start.strip():
                parole["paroled_on"] = parse_fact_date(start.strip(), name)
            if end.strip():
                parole["ends_on"] = parse_fact_date(end.strip(), name)
            if flag.strip():
                _choice(flag.strip(), ("terminated",), name)
                parole["terminated"] = True
            out.append(parole)
        elif name == "presence.proofs":
            out.append(item)  # typed by Presence (discretion.proof_kinds)
        elif name == "immigration_history.grandfathering_filings":
            when, _, whose = item.partition(":")
            filing: dict[str, Any] = {"filed_on": parse_fact_date(when.strip(), name)}
            if whose.strip():
                filing["beneficiary"] = _choice(whose.strip(), _GRANDFATHERED, name)
            out.append(filing)
        elif name == "proceedings.pending_applications":
            kind, _, forum = item.partition(":")
            app: dict[str, Any] = {"kind": _choice(kind.strip(), _APPLICATION_KINDS, name)}
            if forum.strip():
                app["forum"] = _choice(forum.strip(), _FORUMS, name)
            out.append(app)
        else:  # proceedings.prior_pd_requests
            out.append({"outcome": _choice(item, _PD_OUTCOMES, name)})
    return out


# The words a record-list cell may hold, worked out once (they were rebuilt for every item).
_REMOVAL_KINDS: tuple[str, ...] = typing.get_args(Removal.model_fields["kind"].annotation)
_APPLICATION_KINDS = tuple(k.value for k in ApplicationKind)
_FORUMS = tuple(f.value for f in Forum)
_GRANDFATHERED = tuple(g.value for g in GrandfatheredPerson)
_PD_OUTCOMES: tuple[str, ...] = typing.get_args(_unwrap(PriorRequest.model_fields["outcome"].annotation)[0])
_CATEGORIES = tuple(k.value for k in OffenceCategory)
_STATUSES = tuple(s.value for s in RelativeStatus)


def _choice(value: str, allowed: typing.Iterable[str], column: str) -> str:
    allowed = allowed if isinstance(allowed, tuple) else tuple(allowed)
    if value not in allowed:
        raise RowError(column, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _criminal(cells: dict[str, str]) -> list[dict[str, Any]]:
    missing = [c for c in CRIMINAL_COUNTS if c not in cells]
    if missing:
        raise RowError(missing[0], "is required when any criminal.* column is filled (0 if none)")
    count = {c: parse_count(cells[c], c) for c in CRIMINAL_COUNTS}
    events: list[dict[str, Any]] = []
    for level in (OffenceLevel.FELONY, OffenceLevel.MISDEMEANOR, OffenceLevel.INFRACTION):
        column = f"criminal.{level.value}_convictions"
        for index in range(count[column]):
            event: dict[str, Any] = {
                "offence": f"{level.value} conviction (from docket)",
                "disposition": Disposition.CONVICTED,
                "level": level,
            }
            # Categories are counted once: they go on the first conviction of their level.
            categories = cells.get(f"criminal.{level.value}_categories")
            if categories and index == 0:
                event["categories"] = [
                    _choice(c, _CATEGORIES, f"criminal.{level.value}_categories") for c in _items(categories)
                ]
            events.append(event)
    for name in ("felony", "misdemeanor"):
        column = f"criminal.{name}_categories"
        if column in cells and not count[f"criminal.{name}_convictions"]:
            raise RowError(column, f"categories given but criminal.{name}_convictions is 0")
    convictions = events[:]
    for _ in range(count["criminal.pending_charges"]):
        events.append({"offence": "pending charge (from docket)", "disposition": Disposition.PENDING})
    # Which conviction a date belongs to is not in the row. Erring toward the client's risk, the
    # most recent date and the longest sentence go on the most serious conviction, the earliest
    # date on the least serious one.
    dated = {
        "criminal.last_conviction_on": 0,
        "criminal.first_conviction_on": -1,
        "criminal.longest_sentence_days": 0,
    }
    first, last = cells.get("criminal.first_conviction_on"), cells.get("criminal.last_conviction_on")
    if len(convictions) == 1 and first and last and first != last:
        raise RowError(
            "criminal.first_conviction_on", "differs from criminal.last_conviction_on with one conviction"
        )
    for column, position in dated.items():
        if column in cells:
            if not convictions:
                raise RowError(column, "given but there are no convictions")
            if column.endswith("_on"):
                convictions[position]["convicted_on"] = parse_date(cells[column], column)
            else:
                convictions[position]["sentence_days"] = parse_int(cells[column], column)
    return events


def _family(cells: dict[str, str]) -> list[dict[str, Any]]:
    missing = [c for c in FAMILY_COLUMNS if c not in cells]
    if missing:
        raise RowError(missing[0], "is required when any family.* column is filled (0 or none if none)")
    members: list[dict[str, Any]] = []
    plan = (
        ("family.usc_children", Relationship.CHILD, RelativeStatus.USC),
        ("family.lpr_children", Relationship.CHILD, RelativeStatus.LPR),
        ("family.other_children", Relationship.CHILD, RelativeStatus.UNKNOWN),
        ("family.usc_parents", Relationship.PARENT, RelativeStatus.USC),
        ("family.lpr_parents", Relationship.PARENT, RelativeStatus.LPR),
    )
    for column, relationship, status in plan:
        members += [{"relationship": relationship, "status": status}] * parse_count(cells[column], column)
    spouse = cells["family.spouse"]
    if spouse != NONE_WORD:
        members.append(
            {
                "relationship": Relationship.SPOUSE,
                "status": _choice(spouse, _STATUSES, "family.spouse"),
            }
        )
    return members


_KIND_WORDS = {
    "bool": "yes/no",
    "int": "whole number",
    "date": "YYYY-MM-DD",
    "fact_date": "YYYY-MM-DD, YYYY-MM or YYYY",
    "text": "text",
    "words": "`;` list",
    "numbers": "`;` list of years",
    "summary": "summary",
}


def reference_markdown() -> str:
    """The column reference of docs/batch-csv.md, generated so that it cannot go stale."""
    out: list[str] = []
    section = None
    for column in COLUMNS:
        head = column.name.split(".")[0]
        head = "case" if head in ("case_id", "requested_action") else head
        if head != section:
            section = head
            out += ["", f"**{head}**", "", "| column | kind | meaning |", "|---|---|---|"]
        meaning = column.help.replace("|", "/")
        out.append(f"| `{column.name}` | {_KIND_WORDS[column.kind]} | {meaning} |")
    return "\n".join(out).lstrip("\n") + "\n"
