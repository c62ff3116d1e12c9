"""Questions built from the case schema: what kind of answer a fact takes, its choices and limits.

``question(path)`` walks ``CaseFacts`` to the field at a dotted path and returns a Question: the
kind of input (yes/no, date, number, text, one choice, lines, or entries of a sub-model), the
choices of an enumeration, the bounds pydantic declares (``ge``/``le``), and the plain words of
``intake.wording``. ``read_value``/``read_entry`` check a submitted page with a Django form built from the question
and give the value the schema takes, or a message in the person's language naming what to fix.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, Literal

import annotated_types
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from discretion.facts import CaseFacts
from discretion.partial_dates import PartialDate, parse_partial
from discretion.partial_dates import validate as validate_fact_date
from discretion.web.intake.wording import QUESTIONS, YES_NO, Wording

KINDS = ("bool", "date", "int", "text", "choice", "lines", "entries")


@dataclass(frozen=True)
class Question:
    path: str
    kind: str
    wording: Wording
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) in the active language
    minimum: int | None = None
    maximum: int | None = None
    required: bool = False  # inside an entry: the schema needs it
    items: tuple[Question, ...] = ()  # entries: the fields of one entry that are asked

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def input_id(self) -> str:
        return "q-" + self.path.replace(".", "-").replace("*", "n").replace("_", "-")

    @property
    def text(self) -> str:
        return str(self.wording.question)

    @property
    def hint(self) -> str:
        return str(self.wording.hint)


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def _values(tp: Any) -> list[str] | None:
    if isinstance(tp, type) and issubclass(tp, Enum):
        return [str(m.value) for m in tp]
    if typing.get_origin(tp) is Literal:
        return [str(v) for v in typing.get_args(tp)]
    return None


def _bounds(info: FieldInfo) -> tuple[int | None, int | None]:
    low = high = None
    for m in info.metadata:
        if isinstance(m, annotated_types.Ge):
            low = int(m.ge)  # type: ignore[call-overload]
        elif isinstance(m, annotated_types.Gt):
            low = int(m.gt) + 1  # type: ignore[call-overload]
        elif isinstance(m, annotated_types.Le):
            high = int(m.le)  # type: ignore[call-overload]
        elif isinstance(m, annotated_types.Lt):
            high = int(m.lt) - 1  # type: ignore[call-overload]
    return low, high


def schema_field(path: str) -> tuple[Any, FieldInfo] | None:
    """(type, FieldInfo) of the CaseFacts field at ``path`` (``*`` stands for a list index)."""
    model: type[BaseModel] = CaseFacts
    parts = [p for p in path.split(".") if p != "*"]
    tp: Any = None
    info: FieldInfo | None = None
    for i, part in enumerate(parts):
        info = model.model_fields.get(part)
        if info is None:
            return None
        tp = _unwrap(info.annotation)
        if i < len(parts) - 1:
            if typing.get_origin(tp) is list:
                tp = _unwrap(typing.get_args(tp)[0])
            if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
                return None
            model = tp
    assert info is not None
    return tp, info


def kind_of(tp: Any) -> tuple[str, list[str] | None, Any]:
    """(kind, enumeration values, entry model) of a schema type."""
    values = _values(tp)
    if values is not None:
        return "choice", values, None
    if tp is bool:
        return "bool", None, None
    if tp is date:
        return "date", None, None
    if tp is int:
        return "int", None, None
    if typing.get_origin(tp) is list:
        item = _unwrap(typing.get_args(tp)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "entries", None, item
        if item is str:
            return "lines", None, None
        return "unsupported", None, None
    if tp is str:
        return "text", None, None
    return "unsupported", None, None


def _label(wording: Wording, value: str) -> str:
    if value in wording.choices:
        return str(wording.choices[value])
    return value.replace("_", " ").capitalize()


@cache
def _structure(path: str) -> tuple[str, tuple[str, ...] | None, int | None, int | None, bool] | None:
    found = schema_field(path)
    if found is None:
        return None
    tp, info = found
    kind, values, _model = kind_of(tp)
    low, high = _bounds(info)
    return kind, tuple(values) if values else None, low, high, info.is_required()


def question(path: str) -> Question | None:
    """The question for a fact path, or None if the person is never asked it."""
    wording = QUESTIONS.get(path)
    shape = _structure(path)
    if wording is None or shape is None:
        return None
    kind, values, low, high, required = shape
    if kind == "unsupported":
        return None
    choices: tuple[tuple[str, str], ...] = ()
    if kind == "choice":
        choices = tuple((v, _label(wording, v)) for v in values or ())
    elif kind == "bool":
        choices = tuple((v, str(label)) for v, label in YES_NO.items())
    items: tuple[Question, ...] = ()
    if kind == "entries":
        items = tuple(q for f in wording.item_fields if (q := question(f"{path}.*.{f}")) is not None)
    return Question(path, kind, wording, choices, low, high, required, items)


# --- reading what the person submitted ------------------------------------------------------


class Invalid(ValueError):
    """The answer cannot be taken as it is; the message says what to fix, in the person's language."""


def _no_control_characters(value: str) -> None:
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise ValidationError(_("Remove the special characters from your answer."))


def _date_format() -> str:
    return pgettext("date typed by hand, strptime syntax", "%m/%d/%Y")


def _in_range(value: date) -> None:
    if not date(1900, 1, 1) <= value <= date(2100, 12, 31):
        raise ValidationError(_("Check the year of the date."))


class FactDateField(forms.DateField):
    """A date that may be only a month and year (03/2009) or a year (2009), kept as a range by
    the core (discretion.partial_dates): people often know when they came, not the day."""

    def to_python(self, value: Any) -> Any:
        text = str(value or "").strip()
        month_year = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text)
        if month_year and 1 <= int(month_year[1]) <= 12:
            return PartialDate(int(month_year[2]), int(month_year[1]))
        if re.fullmatch(r"\d{4}", text):
            return PartialDate(int(text))
        partial = parse_partial(text) if re.fullmatch(r"\d{4}-\d{1,2}", text) else None
        return partial if partial is not None else super().to_python(value)


def _partial(path: str) -> bool:
    found = schema_field(path)
    return found is not None and any(
        getattr(m, "func", None) is validate_fact_date for m in found[1].metadata
    )


def form_field(q: Question) -> forms.Field:
    """The Django form field that reads and checks one question's answer."""
    choose = {"invalid_choice": _("Choose one answer.")}
    if q.kind in ("bool", "choice"):
        return forms.ChoiceField(choices=q.choices, required=False, error_messages=choose)
    if q.kind == "date":
        example = date(2027, 3, 25).strftime(_date_format())
        field_class = FactDateField if _partial(q.path) else forms.DateField
        return field_class(
            required=False,
            input_formats=["%Y-%m-%d", _date_format()],
            validators=[_in_range],
            error_messages={"invalid": _("Write the date like this: %(example)s.") % {"example": example}},
        )
    if q.kind == "int":
        return forms.IntegerField(
            required=False,
            min_value=q.minimum,
            max_value=q.maximum,
            error_messages={
                "invalid": _("Write a whole number, like 3."),
                "min_value": _("Write a number of %(limit_value)s or more."),
                "max_value": _("Write a number of %(limit_value)s or less."),
            },
        )
    long = q.kind == "lines"
    return forms.CharField(
        required=False,
        max_length=6000 if long else 1000,
        validators=[_no_control_characters],
        error_messages={"max_length": _("Your answer is too long. Please make it shorter.")},
    )


def _value(q: Question, cleaned: Any) -> Any:
    """A cleaned form value as the value the schema takes (None: left empty)."""
    if cleaned in (None, ""):
        return None
    if q.kind == "bool":
        return cleaned == "yes"
    if q.kind == "date":
        return cleaned.isoformat()
    if q.kind == "lines":
        lines = [" ".join(line.split())[:200] for line in cleaned.splitlines() if line.strip()]
        return lines[:30] or None
    if q.kind == "text":
        return " ".join(cleaned.split())
    return cleaned


def _read(
    fields: dict[str, tuple[Question, forms.Field]], data: Any
) -> tuple[dict[str, Any], dict[str, str]]:
    form = forms.Form(data)
    form.fields = {name: f for name, (_q, f) in fields.items()}
    form.full_clean()
    errors = {name: str(e[0]) for name, e in form.errors.items()}
    values = {
        name: _value(q, form.cleaned_data.get(name)) for name, (q, _f) in fields.items() if name not in errors
    }
    return values, errors


def read_value(q: Question, raw: str) -> Any:
    """One submitted answer (a Django form of one field) as the schema's value; Invalid if not."""
    values, errors = _read({"answer": (q, form_field(q))}, {"answer": raw})
    if errors:
        raise Invalid(errors["answer"])
    return values["answer"]


def read_entry(q: Question, post: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """One entry of a list question (a Django form of its fields): (values by name, errors by input id)."""
    fields = {item.input_id: (item, form_field(item)) for item in q.items}
    values, errors = _read(fields, post)
    out: dict[str, Any] = {}
    for item in q.items:
        value = values.get(item.input_id)
        if item.input_id in errors:
            continue
        if value is None and item.required:
            errors[item.input_id] = _("Please answer this one.")
        elif value is not None:
            out[item.name] = value
    return out, errors


@dataclass
class Shown:
    """An answer as the person sees it on the review page."""

    question: str
    answer: str
    entries: list[str] = field(default_factory=list)


def show_value(q: Question, value: Any) -> str:
    if value is None:
        return ""
    if q.kind == "bool":
        return str(YES_NO["yes" if value else "no"])
    if q.kind == "choice":
        return dict(q.choices).get(str(value), str(value))
    if q.kind == "date":
        from discretion.web.client.pages import long_day

        if len(str(value)) < 10:  # a partial date: 2009-06 is shown 06/2009, 2009 as it is
            year, _, month = str(value).partition("-")
            return f"{month}/{year}" if month else year
        return long_day(date.fromisoformat(value), weekday=False)
    if q.kind == "lines":
        return ", ".join(value)
    return str(value)


def show_entry(q: Question, entry: dict[str, Any]) -> str:
    parts = []
    for item in q.items:
        if entry.get(item.name) is not None:
            parts.append(show_value(item, entry[item.name]))
    return "; ".join(parts)
