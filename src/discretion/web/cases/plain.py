"""The practitioner's words for what the core says in paths and codes.

Field errors ("Enter a real date: February 30 does not exist"), dates typed the American way,
and the facts a screening is missing as questions ("Has she ever been removed?" is the rule
data's business; here it is "Immigration history: final order of removal?" built from the
field's own label), each linking to the input that answers it. The paths and rule ids stay in
the snapshot, the details view and the exports.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

# 03/15/2009, 3/15/2009, 03-15-2009: month first, as on every U.S. form and notice.
_US_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def normalise_date(raw: str) -> str:
    """ISO text for a date typed YYYY-MM-DD or MM/DD/YYYY; anything else is returned as typed,
    so the error names exactly what the person wrote."""
    text = raw.strip()
    m = _US_DATE.match(text)
    if m:
        month, day, year = (int(g) for g in m.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    m = _ISO_DATE.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text


def date_problem(text: str) -> str:
    """Why a date text is not a date, in words ("" when it is one)."""
    m = _ISO_DATE.match(text or "")
    if not m:
        return f"Enter a date like 03/15/2009 (month, day, year) or 2009-03-15, not “{text}”."
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return f"There is no month {month}: enter the month as 1 to 12 (you wrote “{text}”)."
    if year < 1900:
        return f"{year} is not a plausible year: check the date (you wrote “{text}”)."
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return (
            f"{calendar.month_name[month]} {year} has {last} days, so {calendar.month_name[month]} {day} "
            "does not exist: check the day and the month."
        )
    try:
        date(year, month, day)
    except ValueError:
        return f"“{text}” is not a date."
    return ""


def impossible_dates(facts: Any) -> dict[str, str]:
    """Dates the core accepts but no person could mean: a birth in the future (by form path)."""
    from django.utils.timezone import localdate

    today = localdate()
    out = {}
    born = facts.identity.date_of_birth
    if isinstance(born, date) and born > today:
        out["identity.date_of_birth"] = "A date of birth cannot be in the future: check the year."
    for i, member in enumerate(facts.family or []):
        if isinstance(member.date_of_birth, date) and member.date_of_birth > today:
            out[f"family.{i}.date_of_birth"] = "A date of birth cannot be in the future: check the year."
    return out


def field_error(err: dict[str, Any], kind: str = "") -> str:
    """One pydantic error as a sentence for the person at the form (no paths, no codes)."""
    kind_ = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind_ == "missing":
        return "Fill this in: each entry needs it."
    if kind_ == "partial_date" and not _ISO_DATE.match(str(value or "")):
        # A fact date may be partial (discretion.partial_dates): say so.
        return (
            f"Enter a date like 03/15/2009 or 2009-03-15, or only the month (03/2009) or the year "
            f"(2009) when that is all that is known, not “{value}”."
        )
    if kind_.startswith("date") or kind_ == "partial_date" or kind == "date":
        return date_problem(str(value)) or "Enter a real date."
    if kind_ in ("int_parsing", "int_type", "int_from_float"):
        return f"Enter a whole number, like 3, not “{value}”."
    if kind_ == "greater_than_equal":
        return f"Enter {ctx.get('ge')} or more."
    if kind_ == "less_than_equal":
        return f"Enter {ctx.get('le')} or less: “{value}” is too many."
    if kind_ in ("enum", "literal_error"):
        return "Choose one of the options."
    if kind_ == "bool_parsing":
        return "Choose Yes, No or Unknown."
    if kind_ == "extra_forbidden":
        return "This is not a field of the case."
    msg = str(err.get("msg", ""))
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return (msg[:1].upper() + msg[1:]).rstrip(".") + "." if msg else "Check this value."


@dataclass(frozen=True)
class Question:
    """One missing fact, asked: the question, the section it is answered in, the input's id."""

    text: str
    section_key: str
    section_title: str
    input_id: str
    path: str  # the core's path, for the details view
    needed_by: tuple[str, ...]  # the rules' labels (not ids)


_INDEX = re.compile(r"\[(\d+)\]")


def dotted(path: str) -> str:
    """The core's 'family[0].status' as the form's 'family.0.status'."""
    return _INDEX.sub(r".\1", path)


def question_for(path: str, facts: dict[str, Any], needed_by: tuple[str, ...] = ()) -> Question | None:
    """The missing fact ``path`` as a question about this case, or None for a path no form shows."""
    from discretion.web.cases import sections

    form_path = dotted(path)
    section = sections.section_for_path(form_path)
    if section is None:
        return None
    parts = form_path.split(".")
    label = sections.label_for_path(form_path)
    where = section.title
    # An entry of a list is named by its own name ("Sofía Ramírez"), else by its number.
    for i, part in enumerate(parts):
        if part.isdigit():
            entry = lookup(facts, parts[: i + 1])
            name = (
                entry.get("name") or entry.get("offence") or entry.get("description")
                if isinstance(entry, dict)
                else None
            )
            list_label = sections.label_for_path(".".join(parts[:i]))
            where = f"{list_label}, {name or f'entry {int(part) + 1}'}"
    kind = sections.kind_for_path(form_path)
    words = _lower_first(label)
    if kind == "rows" or re.search(rf"\b{re.escape(words.lower())}\b", where.lower()):
        # "Family: not asked yet", "Community ties?": the label would only repeat the place.
        text = f"{where}: not asked yet" if kind == "rows" else f"{where}?"
        if kind not in ("rows", "bool"):
            text = f"{where}: not known yet"
    elif kind == "bool":
        text = f"{where}: {words}?"
    else:
        text = f"{where}: {words} — not known yet"
    target = form_path
    return Question(text, section.key, section.title, sections.html_id(target), path, needed_by)


def _lower_first(label: str) -> str:
    """ "Date of birth" -> "date of birth"; "U.S. college", "NTA filed on" stay as they are."""
    if len(label) > 1 and label[1].islower():
        return label[:1].lower() + label[1:]
    return label


def lookup(facts: dict[str, Any], parts: list[str]) -> Any:
    value: Any = facts
    for part in parts:
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def missing_questions(result: dict[str, Any] | None, facts: dict[str, Any]) -> list[Question]:
    """The screening's missing facts as questions, the rules that need each by their labels."""
    if not result:
        return []
    labels = {f["id"]: f["label"] for group in ("findings", "risks", "relief") for f in result.get(group, [])}
    out = []
    for m in result.get("missing_facts", []):
        needed = tuple(dict.fromkeys(labels.get(r, r) for r in m.get("needed_by", [])))
        q = question_for(m["path"], facts, needed)
        if q is not None:
            out.append(q)
    return out
