"""Fact sections as web forms, generated from the core's CaseFacts model.

Each section of ``CaseFacts`` (identity, proceedings, criminal history...) becomes one form. The
fields, their kinds, labels and hints come from the pydantic model, so a field added to the core
appears here without a change. Input is validated by the core itself: the submitted section is
merged into the case's facts and checked with ``discretion.casefile.parse_facts``; every pydantic
error is mapped back to the input it came from, worded by ``casefile.describe_error``.

HTML names are dotted fact paths (``identity.a_number``, ``criminal_history.0.offence``,
``proceedings.next_hearing.date``); element ids replace dots with dashes.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Literal

from django.http import QueryDict
from pydantic import BaseModel, ValidationError

from discretion import partial_dates
from discretion.casefile import describe_error, parse_facts
from discretion.errors import CaseFileError
from discretion.facts import SCHEMA_VERSION, CaseFacts, PresenceProof
from discretion.migration import migrate
from discretion.proof_kinds import item_from_text, split_line
from discretion.web.cases import courts, plain, sources

# Words the generated labels would get wrong.
LABELS = {
    "a_number": "A-number",
    "nta_served_on": "NTA served on",
    "nta_filed_on": "NTA filed on",
    "nta_has_time_and_place": "NTA named the hearing's time and place",
    "opla_attorney": "OPLA attorney",
    "ead_based_on_pending_application": "Work permit based on a pending application",
    "g28_filed": "G-28 filed",
    "eoir28_filed": "EOIR-28 filed",
    "eoir_id": "EOIR ID",
    "us_high_school_diploma_or_ged": "U.S. high-school diploma or GED",
    "us_college": "U.S. college",
    "in_us": "In the U.S.",
    "in_us_at_enlistment": "In the U.S. at enlistment",
    "case_id": "Your case reference",
    "usc": "U.S. citizen",
    "lpr": "Lawful permanent resident",
    "cimt": "Crime involving moral turpitude",
    "dui": "DUI",
    "cat": "CAT",
    "daca": "DACA",
    "tps": "TPS",
    "sijs": "SIJS",
    "i130": "I-130",
    "i601a": "I-601A",
    "uscis": "USCIS",
    "vawa_cancellation": "VAWA cancellation",
    "vawa_self_petition": "VAWA self-petition",
    "u_visa": "U visa",
    "t_visa": "T visa",
    "cancellation_non_lpr": "Cancellation (non-LPR)",
    "cancellation_lpr": "Cancellation (LPR)",
    "join_motion_to_reopen": "Join a motion to reopen",
    "join_motion_to_recalendar_and_terminate": "Join a motion to recalendar and terminate",
    "cancel_nta": "Cancel the NTA",
    "not_appeal": "Not appeal",
    "none_not_in_proceedings": "None: not in proceedings (no request to OPLA)",
    "i94_admit_until": "I-94 admit-until date",
    "i94_duration_of_status": "I-94 reads D/S (duration of status)",
    "atd": "Alternatives to Detention (ATD)",
    "atd_kind": "ATD kind",
    "atd_since": "On ATD since",
    "u_bona_fide": "U-visa bona fide determination",
    "u_bona_fide_on": "Bona fide determination date",
    "drug_quantity_grams": "Drug quantity (grams)",
    "time_served_days": "Time served (days)",
    "grandfathering_filings": "INA 245(i) petitions or labor certifications",
    "order_of_recognizance": "Order of recognizance (I-220A)",
    "order_of_supervision": "Order of supervision (I-220B)",
    "basis": "Claimed or documented",
}
LONG_TEXT = {
    "address",
    "rehabilitation",
    "harm_description",
    "note",
    "notes",
    "dependant_condition",
    "of_whom",
    "source",
}


def humanise(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    if "." in name:  # a fact path, e.g. entry.first_entry_on -> "Entry: first entry on"
        head, _, rest = name.partition(".")
        return f"{humanise(head)}: {humanise(rest)[:1].lower()}{humanise(rest)[1:]}"
    words = [WORDS.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


# Abbreviations inside longer names ("years_worked_in_us" -> "Years worked in U.S.").
WORDS = {
    "us": "U.S.",
    "nta": "NTA",
    "ead": "EAD",
    "opla": "OPLA",
    "ged": "GED",
    "lpr": "LPR",
    "usc": "U.S. citizen",
    "daca": "DACA",
    "tps": "TPS",
    "i918b": "I-918B",
    "eoir": "EOIR",
    "pd": "PD",
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str = ""

    @property
    def is_list(self) -> bool:
        return self.key in LIST_SECTIONS

    @property
    def anchor(self) -> str:
        return f"facts-{self.key}"


# "request" holds the top-level fields; the others are CaseFacts attributes of the same name.
SECTIONS = [
    Section("request", "Case and request", "Your reference and the action you will ask OPLA for."),
    Section("identity", "Identity"),
    Section("proceedings", "Proceedings", "Court, charges, next hearing and applications pending."),
    Section("entry", "Entry"),
    Section("presence", "Presence in the United States"),
    Section("immigration_history", "Immigration history"),
    Section(
        "criminal_history", "Criminal history", "Every arrest, charge and conviction, whatever the outcome."
    ),
    Section("gang", "Gang allegations"),
    Section("security", "Security and human rights"),
    Section("family", "Family"),
    Section("employment", "Employment and taxes"),
    Section("education", "Education"),
    Section("military", "Military service"),
    Section("health", "Health"),
    Section("caretaker", "Caretaking"),
    Section("victimisation", "Victimisation"),
    Section("fear", "Fear of return"),
    Section("juvenile", "Juvenile"),
    Section("tps", "Temporary Protected Status"),
    Section(
        "supervision",
        "ICE release, check-ins and ATD",
        "The release paper, ICE check-ins and Alternatives to Detention.",
    ),
    Section("community", "Community ties"),
    Section("representative", "Representative"),
    Section("narrative", "Narrative paragraphs", "Your own words, used verbatim by the request letter."),
    Section(
        "counsel",
        "Advice and consent",
        "Privileged: the advice you gave on the risks of the request and the client's answer. Shown on the "
        "review sheet and in the client's summary, never in the letter.",
    ),
    Section(
        "sources",
        "Sources and disputed facts",
        "Mark dates as claimed (the person's word) or documented, and record other versions of a "
        "disputed fact with their source: the screen runs on each version and shows what changes.",
    ),
]
SECTION_BY_KEY = {s.key: s for s in SECTIONS}
LIST_SECTIONS = {"criminal_history", "family"}
REQUEST_FIELDS = ("case_id", "requested_action", "notes")
SOURCE_FIELDS = ("date_basis", "disputes")


def request_action_choices() -> list[tuple[str, str]]:
    """The requested action's choices in the words of the case's first section."""
    spec = next(s for s in specs_for(CaseFacts, only=("requested_action",)))
    return spec.choices


def section_for_path(path: str) -> Section | None:
    """The section a fact path (e.g. 'entry.first_entry_on') is edited in."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    if head in REQUEST_FIELDS:
        return SECTION_BY_KEY["request"]
    if head in SOURCE_FIELDS:
        return SECTION_BY_KEY["sources"]
    return SECTION_BY_KEY.get(head)


# --- field specs ---------------------------------------------------------------------------


@dataclass
class Spec:
    name: str  # attribute name
    kind: str  # text, longtext, date, partial_date, int, float, bool, choice, lines, ints, multi, group, rows
    label: str
    help: str = ""
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    model: type[BaseModel] | None = None  # for group / rows
    optional_list: bool = True  # rows/lines: None (not asked) is allowed


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, whether None is allowed)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner = args[0] if len(args) == 1 else annotation
        return inner, True
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation, False


def _choices_of(tp: Any) -> list[tuple[str, str]] | None:
    if isinstance(tp, type) and issubclass(tp, Enum):
        return [(m.value, humanise(m.value)) for m in tp]
    if typing.get_origin(tp) is Literal:
        return [(str(v), humanise(str(v))) for v in typing.get_args(tp)]
    return None


# The model's descriptions are written for case-file authors ("[] means none"); a form says the
# same in words, next to the "Not asked yet" box.
_JARGON = re.compile(r"\s*(\[\] means none|omitted means not yet asked)[^.]*\.?", re.IGNORECASE)
PLAIN_HINTS = {
    "criminal_history": (
        "Every arrest, charge and conviction, one entry each. If you asked and there are none, "
        "leave the entries empty and untick “Not asked yet”."
    ),
    "family": (
        "Relatives, one entry each. If you asked and there are none, leave the entries empty and "
        "untick “Not asked yet”."
    ),
}


def plain_hint(name: str, description: str | None) -> str:
    """A form hint in plain language: no case-file notation such as "[]" or "omitted"."""
    if name in PLAIN_HINTS:
        return PLAIN_HINTS[name]
    return _JARGON.sub("", description or "").strip()


def specs_for(model: type[BaseModel], *, only: tuple[str, ...] | None = None) -> list[Spec]:
    out = []
    for name, info in model.model_fields.items():
        if name == "schema_version" or (only is not None and name not in only):
            continue
        tp, _nullable = _unwrap(info.annotation)
        required = info.is_required()
        label = humanise(name)
        hint = plain_hint(name, info.description)
        choices = _choices_of(tp)
        origin = typing.get_origin(tp)
        if choices is not None:
            spec = Spec(name, "choice", label, hint, required, choices)
        elif tp is bool:
            spec = Spec(name, "bool", label, hint, required)
        elif tp is date and _partial(info):
            # YYYY-MM-DD, YYYY-MM or YYYY: a browser date picker cannot take a partial date.
            spec = Spec(name, "partial_date", label, hint, required)
        elif tp is date:
            spec = Spec(name, "date", label, hint, required)
        elif tp is int:
            spec = Spec(name, "int", label, hint, required)
        elif tp is float:
            spec = Spec(name, "float", label, hint, required)
        elif tp is str:
            long = name in LONG_TEXT or model.__name__ == "Narrative"
            spec = Spec(name, "longtext" if long else "text", label, hint, required)
        elif origin is list:
            (item,) = typing.get_args(tp)
            item, _ = _unwrap(item)
            item_choices = _choices_of(item)
            if item_choices is not None:
                spec = Spec(name, "multi", label, hint, required, item_choices)
            elif isinstance(item, type) and issubclass(item, BaseModel):
                spec = Spec(name, "rows", label, hint, required, model=item)
            elif item is int:
                spec = Spec(name, "ints", label, hint or "Separate with commas.", required)
            else:
                spec = Spec(name, "lines", label, hint or "One per line.", required)
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            spec = Spec(name, "group", label, hint, required, model=tp)
        else:
            spec = Spec(name, "text", label, hint, required)
        out.append(spec)
    return out


def _partial(info: Any) -> bool:
    return any(getattr(m, "func", None) is partial_dates.validate for m in info.metadata)


def _section_specs(section: Section) -> tuple[list[Spec], str]:
    """Specs of a section and the path prefix its inputs use."""
    if section.key == "request":
        return specs_for(CaseFacts, only=REQUEST_FIELDS), ""
    if section.key == "sources":
        return sources.specs(), ""
    info = CaseFacts.model_fields[section.key]
    if section.is_list:
        (item,) = typing.get_args(_unwrap(info.annotation)[0])
        return [
            Spec(section.key, "rows", section.title, plain_hint(section.key, info.description), model=item)
        ], ""
    model = _unwrap(info.annotation)[0]
    return specs_for(model), section.key + "."


def spec_for_path(path: str) -> tuple[Spec | None, str]:
    """The spec of the input a dotted path names, and its label as the form shows it."""
    section = section_for_path(path)
    if section is None:
        return None, path
    specs, prefix = _section_specs(section)
    rest = path[len(prefix) :].split(".") if path.startswith(prefix) else path.split(".")
    spec: Spec | None = None
    labels: list[str] = []
    for part in rest:
        if part.isdigit():
            continue
        spec = next((s for s in specs if s.name == part), None)
        if spec is None:
            return None, humanise(rest[-1])
        if spec.kind != "rows" or part == rest[-1]:  # an entry's field is named without its list
            labels.append(spec.label)
        specs = specs_for(spec.model) if spec.model is not None else []
    label = ": ".join([labels[0], *(x[:1].lower() + x[1:] for x in labels[1:])]) if labels else path
    return spec, label


def label_for_path(path: str) -> str:
    return spec_for_path(path)[1]


def kind_for_path(path: str) -> str:
    spec = spec_for_path(path)[0]
    return spec.kind if spec else "text"


# --- rendering -----------------------------------------------------------------------------


def html_id(path: str) -> str:
    return "f-" + path.replace(".", "-").replace("_", "-")


@dataclass
class Widget:
    """One input as the template sees it."""

    path: str
    kind: str
    label: str
    help: str = ""
    required: bool = False
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    rows: list[list[Widget]] = field(default_factory=list)  # rows kind: widgets per row
    filled: int = 0  # rows kind: how many of the rows are entries (the rest are blank)
    unknown: bool = False  # rows/lines: "not asked yet"
    # rows of typed items that may also be typed as one line ("lease, tax return 2019"): the line
    # is split into items on saving (presence proofs), so typing style cannot change a result.
    line: bool = False
    court: Any = None  # court kind: courts.CourtState
    office_error: str = ""  # court kind: the OPLA field location chosen is not one

    @property
    def id(self) -> str:
        return html_id(self.path)

    @property
    def error_id(self) -> str:
        return "e-" + self.id[2:]

    @property
    def help_id(self) -> str:
        return "h-" + self.id[2:]

    @property
    def radios(self) -> bool:
        """Yes/No and short choices as radio buttons: one click, every option in sight."""
        return self.kind == "bool" or (self.kind == "choice" and len(self.choices) <= RADIO_LIMIT)

    @property
    def presets(self) -> list[tuple[str, str, str]]:
        """A list's "Add a child" buttons: (field, value, label) of its first short required choice."""
        if self.kind != "rows" or not self.rows:
            return []
        for w in self.rows[-1]:
            if w.kind == "choice" and w.required and len(w.choices) <= PRESET_LIMIT:
                name = w.path.rsplit(".", 1)[-1]
                return [(name, v, label) for v, label in w.choices]
        return []


RADIO_LIMIT = 20  # more options than this are a drop-down
PRESET_LIMIT = 7


def with_errors(widgets: list[Widget]) -> list[Widget]:
    """Every input with an error, in the order of the form (for the summary at the top)."""
    out: list[Widget] = []
    for w in widgets:
        if w.error:
            out.append(w)
        if w.office_error:
            out.append(Widget(courts.OFFICE_PATH, "choice", "OPLA field location", error=w.office_error))
        for row in w.rows:
            out.extend(with_errors(row))
    return out


def _display(kind: str, value: Any) -> Any:
    if value is None:
        return [] if kind == "multi" else ""
    if kind == "bool":
        return "yes" if value is True else "no" if value is False else ""
    if kind == "lines":
        return "\n".join(str(v) for v in value)
    if kind == "ints":
        return ", ".join(str(v) for v in value)
    if kind == "multi":
        return [str(v) for v in value]
    return str(value)


def _widgets(
    specs: list[Spec],
    prefix: str,
    data: dict[str, Any],
    errors: dict[str, str],
    added: dict[str, dict[str, str]] | None = None,
) -> list[Widget]:
    """Widgets of ``specs`` filled from ``data``; ``added`` maps a list's path to a new entry to
    show at its end (the "Add a child" button: the entry is shown, not yet saved)."""
    added = added or {}
    out: list[Widget] = []
    for spec in specs:
        path = prefix + spec.name
        value = data.get(spec.name) if isinstance(data, dict) else None
        if spec.kind == "group":
            assert spec.model is not None
            for w in _widgets(specs_for(spec.model), path + ".", value or {}, errors, added):
                w.label = f"{spec.label}: {w.label[:1].lower()}{w.label[1:]}"
                w.required = False  # required only once any part of the group is filled in; the core says so
                out.append(w)
            continue
        if path == courts.OFFICE_PATH:
            continue  # shown, and chosen, with the court (the court picker)
        w = Widget(path, spec.kind, spec.label, spec.help, spec.required, choices=spec.choices)
        w.error = errors.get(path, "")
        if spec.kind == "date" and not w.help:
            w.help = "Month/day/year (03/15/2009) or 2009-03-15."
        if spec.kind == "partial_date" and not w.help:
            w.help = "Month/day/year (03/15/2009) or 2009-03-15; only the month (03/2009) or the year (2009) if that is all that is known."
        if path == courts.COURT_PATH:
            w.kind, w.label = "court", "Immigration court"
            w.help = "Type part of the court's name, its city or its EOIR code, then choose it."
            w.court = courts.describe(value if isinstance(value, str) else None, data.get("opla_office"))
            w.office_error = errors.get(courts.OFFICE_PATH, "")
        if spec.kind == "rows":
            assert spec.model is not None
            items = value if isinstance(value, list) else []
            w.unknown = value is None and path not in added
            w.filled = len(items)
            w.line = spec.model is PresenceProof
            row_specs = specs_for(spec.model)
            # An empty list shows one blank entry; a longer one grows by its "Add" buttons.
            shown = [*items, added[path]] if path in added else (items or [{}])
            for i, item in enumerate(shown):
                w.rows.append(
                    _widgets(row_specs, f"{path}.{i}.", item if isinstance(item, dict) else {}, errors)
                )
        else:
            w.value = (
                value
                if isinstance(value, str) and spec.kind in ("lines", "ints")
                else _display(spec.kind, value)
            )
            w.unknown = value is None
        out.append(w)
    return out


def current(facts: dict[str, Any]) -> dict[str, Any]:
    """Stored facts in the current schema's shape: a case saved under schema 1 is shown and
    edited as schema 2 (proofs typed, paroles listed...). Facts that do not validate (a form
    being corrected) are only migrated, so nothing typed is lost."""
    if facts.get("schema_version", 1) == SCHEMA_VERSION:
        return facts
    try:
        return CaseFacts.model_validate(facts).model_dump(mode="json", exclude_none=True)
    except ValidationError:
        migrated = migrate(facts)
        return migrated if isinstance(migrated, dict) else facts


def widgets(
    section: Section,
    facts: dict[str, Any],
    errors: dict[str, str] | None = None,
    added: dict[str, dict[str, str]] | None = None,
) -> list[Widget]:
    facts = current(facts)
    specs, prefix = _section_specs(section)
    if section.key == "request":
        data = facts
    elif section.key == "sources":
        data = sources.as_rows(facts)
        errors = sources.row_errors(facts, errors or {})
    elif section.is_list:
        data = {section.key: facts.get(section.key)}
    else:
        data = facts.get(section.key) or {}
    return _widgets(specs, prefix, data, errors or {}, added)


def added_entry(section: Section, value: str) -> dict[str, dict[str, str]]:
    """The entry an "Add" button asks for: ``path`` or ``path:field=value`` (a preset choice)."""
    path, _, preset = value.partition(":")
    spec, _ = spec_for_path(path)
    if spec is None or spec.kind != "rows" or section_for_path(path) != section:
        return {}
    name, _, choice = preset.partition("=")
    entry: dict[str, str] = {}
    if name and spec.model is not None:
        row_spec = next((s for s in specs_for(spec.model) if s.name == name), None)
        if row_spec is not None and choice in dict(row_spec.choices):
            entry[name] = choice
    return {path: entry}


def has_facts(section: Section, facts: dict[str, Any]) -> bool:
    """Whether anything is entered in the section (the progress list's tick)."""
    if section.key == "request":
        return any(facts.get(k) is not None for k in REQUEST_FIELDS)
    value = facts.get(section.key)
    if section.is_list:
        return value is not None
    return isinstance(value, dict) and any(v not in (None, [], {}) for v in value.values())


# --- parsing -------------------------------------------------------------------------------


def _parse_value(kind: str, post: QueryDict, path: str) -> Any:
    if kind == "multi":
        return [v for v in post.getlist(path) if v]
    raw = post.get(path, "")
    raw = raw.strip() if kind not in ("longtext",) else raw.strip("\n\r ")
    if kind == "bool":
        return {"yes": True, "no": False}.get(raw)
    if raw == "":
        return None
    if kind == "lines":
        items = [line.strip() for line in raw.splitlines() if line.strip()]
        return items or None
    if kind == "ints":
        items = [p for p in raw.replace(";", ",").replace(" ", ",").split(",") if p]
        return items or None
    if kind == "date":
        return plain.normalise_date(raw)
    if kind == "partial_date":  # also 03/2009 (month and year) or 2009 (the year)
        month_year = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", raw)
        return f"{month_year[2]}-{int(month_year[1]):02d}" if month_year else plain.normalise_date(raw)
    return raw  # pydantic parses dates and numbers and names the field if it cannot


def _parse(specs: list[Spec], prefix: str, post: QueryDict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        path = prefix + spec.name
        if spec.kind == "group":
            assert spec.model is not None
            sub = _parse(specs_for(spec.model), path + ".", post)
            out[spec.name] = sub if any(v not in (None, []) for v in sub.values()) else None
        elif spec.kind == "rows":
            assert spec.model is not None
            row_specs = specs_for(spec.model)
            indexes = sorted(
                {
                    int(key[len(path) + 1 :].split(".", 1)[0])
                    for key in post
                    if key.startswith(path + ".") and key[len(path) + 1 :].split(".", 1)[0].isdigit()
                }
            )
            rows = []
            for i in indexes:
                if post.get(f"{path}.{i}.__remove"):
                    continue
                row = _parse(row_specs, f"{path}.{i}.", post)
                if any(v not in (None, []) for v in row.values()):
                    rows.append(row)
            if spec.model is PresenceProof and post.get(f"{path}.__line", "").strip():
                rows += [item_from_text(piece) for piece in split_line(str(post[f"{path}.__line"]))]
            out[spec.name] = None if not rows and post.get(f"{path}.__unknown") else rows
        else:
            out[spec.name] = _parse_value(spec.kind, post, path)
    return out


def parse_section(section: Section, post: QueryDict) -> dict[str, Any]:
    """The submitted section as plain data, not yet validated."""
    specs, prefix = _section_specs(section)
    data = _parse(specs, prefix, post)
    if section.key == "request":
        return data
    if section.key == "sources":
        return sources.from_rows(data)
    if section.is_list:
        return {section.key: data[section.key]}
    return {section.key: _drop_none(data)}


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _strip_rows(value: Any) -> Any:
    """Drop None values inside rows, so stored JSON stays compact."""
    if isinstance(value, list):
        return [_strip_rows(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip_rows(v) for k, v in value.items() if v is not None}
    return value


def merge(facts: dict[str, Any], section: Section, submitted: dict[str, Any]) -> dict[str, Any]:
    merged = dict(current(facts))
    for key, value in submitted.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _strip_rows(value)
    return merged


def _loc_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def validate(merged: dict[str, Any]) -> tuple[CaseFacts | None, dict[str, str], str]:
    """(facts, errors by input path, one-line summary). The core's own parser decides; the
    errors are worded for the person at the form (``plain.field_error``), the summary for a
    reader of the audit log or a message (the core's own words, with the paths)."""
    try:
        facts = parse_facts(merged, where="facts")
    except CaseFileError as exc:
        summary = str(exc).removeprefix("facts: ")
    else:
        impossible = plain.impossible_dates(facts)
        if impossible:
            return None, impossible, "; ".join(f"{k}: {v}" for k, v in impossible.items())
        return facts, {}, ""
    errors: dict[str, str] = {}
    try:
        CaseFacts.model_validate(merged)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            # An error inside a multi-choice list ("categories.1") belongs to the list's input.
            while loc and isinstance(loc[-1], int) and len(loc) > 1 and not isinstance(loc[-2], int):
                loc = loc[:-1]
            path = _loc_path(loc)
            errors.setdefault(path, plain.field_error(dict(err), kind_for_path(path)) or describe_error(err))
    return None, errors, summary


@dataclass
class Change:
    path: str
    label: str
    before: str
    after: str


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out |= _flatten(v, f"{prefix}{k}.")
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = {}
        for i, v in enumerate(value):
            out |= _flatten(v, f"{prefix}{i}.")
        return out
    return {prefix[:-1]: value}


def _show(value: Any) -> str:
    if value is None:
        return "(unknown)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def _change_label(path: str, facts: dict[str, Any]) -> str:
    """ "Identity: date of birth", "Family, Sofía Ramírez: status": where a change is, in words."""
    section = section_for_path(path)
    label = label_for_path(path)
    if section is None:
        return humanise(path.rsplit(".", 1)[-1])
    parts = path.split(".")
    where = section.title
    for i, part in enumerate(parts):
        if part.isdigit():
            entry = plain.lookup(facts, parts[: i + 1])
            name = (entry.get("name") or entry.get("offence")) if isinstance(entry, dict) else None
            where = f"{label_for_path('.'.join(parts[:i]))}, {name or f'entry {int(part) + 1}'}"
    if label == section.title:
        return where
    return f"{where}: {label[:1].lower()}{label[1:]}"


def changes(before: dict[str, Any], after: dict[str, Any], section: Section | None = None) -> list[Change]:
    """What differs between two fact dicts (optionally within one section), field by field."""

    def pick(facts: dict[str, Any]) -> dict[str, Any]:
        if section is None:
            return facts
        if section.key == "request":
            return {k: facts.get(k) for k in REQUEST_FIELDS}
        if section.key == "sources":
            return {k: facts.get(k) for k in SOURCE_FIELDS}
        return {section.key: facts.get(section.key)}

    a, b = _flatten(pick(before)), _flatten(pick(after))
    out = []
    for path in sorted(set(a) | set(b)):
        if path == "schema_version":  # bookkeeping of the file format, not a fact anyone changed
            continue
        if a.get(path) != b.get(path):
            out.append(Change(path, _change_label(path, b or a), _show(a.get(path)), _show(b.get(path))))
    return out


def summary_rows(section: Section, facts: dict[str, Any]) -> list[tuple[str, str]]:
    """Label/value pairs of what is known in a section, for the read-only case page."""
    rows: list[tuple[str, str]] = []
    for w in widgets(section, facts):
        if w.kind == "rows":
            filled = w.rows[: w.filled]
            if w.unknown:
                rows.append((w.label, "(not asked yet)"))
            elif not filled:
                rows.append((w.label, "None"))
            for row in filled:
                parts = [_row_part(x) for x in row if x.value not in ("", [], None)]
                rows.append((w.label, "; ".join(p for p in parts if p)))
            continue
        if w.value in ("", [], None):
            continue
        rows.append((w.label, _row_part(w, with_label=False)))
    return rows


def _row_part(w: Widget, with_label: bool = True) -> str:
    value = w.value
    if w.kind == "bool":
        value = "Yes" if value == "yes" else "No"
    elif w.kind == "choice":
        value = dict(w.choices).get(value, value)
    elif w.kind == "multi":
        value = ", ".join(dict(w.choices).get(v, v) for v in value)
    elif w.kind == "lines":
        value = ", ".join(str(value).splitlines())
    return f"{w.label}: {value}" if with_label else str(value)
