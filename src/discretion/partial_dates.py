"""Dates known only to the year or the month ("2009", "2009-06"), carried as ranges.

People often know the year they came, not the day. A case file may write any historical date
as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. A partial date is a :class:`PartialDate`: a
``datetime.date`` (its first possible day, so code that only orders dates keeps working) that
also carries its last possible day. A rule that compares a date with a boundary must use
:func:`compare` (or :func:`bounds`): when the boundary falls inside the range the answer is
``"inside"``, which a rule reports as *review*, never as a verdict.

Why a ``date`` subclass rather than a new type: every rule, letter and check already reads
these fields as dates; a subclass lets the exact-date path stay unchanged while the range is
there for every comparison that needs it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import PlainSerializer, WithJsonSchema, WrapValidator
from pydantic_core import PydanticCustomError

Precision = Literal["year", "month", "day"]
Comparison = Literal["before", "same", "after", "inside"]

_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?\s*$")


class PartialDate(date):
    """A date known to the year or the month. Orders as its first day; ``latest`` is its last."""

    # Dates made by arithmetic or replace() on a PartialDate bypass __new__: they are exact days.
    precision: Precision = "day"

    def __new__(cls, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
        if isinstance(year, bytes):  # pickle's protocol: date.__reduce__ passes the packed state
            self = date.__new__(cls, year)
            self.precision = "day"
            return self
        precision: Precision = "year" if month is None else ("month" if day is None else "day")
        self = date.__new__(cls, year, month or 1, day or 1)
        self.precision = precision
        return self

    def __reduce__(self) -> Any:
        return (PartialDate, self._args())

    def _args(self) -> tuple[int, ...]:
        if self.precision == "year":
            return (self.year,)
        if self.precision == "month":
            return (self.year, self.month)
        return (self.year, self.month, self.day)

    @property
    def earliest(self) -> date:
        return date(self.year, self.month, self.day)

    @property
    def latest(self) -> date:
        if self.precision == "year":
            return date(self.year, 12, 31)
        if self.precision == "month":
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return self.earliest

    def isoformat(self) -> str:
        if self.precision == "year":
            return f"{self.year:04d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        return super().isoformat()

    def __str__(self) -> str:
        return self.isoformat()

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"


def parse_partial(text: str) -> PartialDate | None:
    """``"2009"`` or ``"2009-06"`` as a PartialDate; None when the text is not of that form."""
    match = _PARTIAL.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), match.group(2)
    if month is None:
        return PartialDate(year)
    if not 1 <= int(month) <= 12:
        return None
    return PartialDate(year, int(month))


def is_partial(value: date | None) -> bool:
    return isinstance(value, PartialDate) and value.precision != "day"


def bounds(value: date) -> tuple[date, date]:
    """The first and last day the date can be (the same day for an exact date)."""
    if isinstance(value, PartialDate):
        return value.earliest, value.latest
    return value, value


def compare(value: date, boundary: date) -> Comparison:
    """Where ``value`` falls against ``boundary``: before, same (day), after, or inside its range.

    ``"inside"`` means the date is partial and the boundary lies within it: the comparison
    cannot be decided, and a rule must say *review* with the range shown.
    """
    first, last = bounds(value)
    b_first, b_last = bounds(boundary)
    if last < b_first:
        return "before"
    if first > b_last:
        return "after"
    if first == last == b_first == b_last:
        return "same"
    return "inside"


def describe(value: date) -> str:
    """A date for a person to read: '2009-06-14', 'June 2009 (day unknown)', '2009 (month unknown)'."""
    if isinstance(value, PartialDate) and value.precision == "year":
        return f"{value.year} (month unknown)"
    if isinstance(value, PartialDate) and value.precision == "month":
        return f"{calendar.month_name[value.month]} {value.year} (day unknown)"
    return value.isoformat()


def validate(value: Any, handler: Any) -> date | None:
    if value is None or isinstance(value, PartialDate):
        return handler(value) if value is None else value
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return PartialDate(value)  # YAML reads `2009` as a number
    if isinstance(value, str):
        partial = parse_partial(value)
        if partial is not None:
            return partial
        if _PARTIAL.match(value):
            raise PydanticCustomError(
                "partial_date", "{input!r} is not a date: the month must be 01 to 12", {"input": value}
            )
    try:
        return handler(value)
    except Exception:
        raise PydanticCustomError(
            "partial_date",
            "must be a date written YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year "
            "is known, not {input!r}",
            {"input": value},
        ) from None


def _serialise(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$"
_DESCRIPTION = "YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known."
HINT = "YYYY-MM-DD; or YYYY-MM, or YYYY, when only the month or the year is known."

# A fact date: exact (YYYY-MM-DD) or partial (YYYY-MM, YYYY). The Annotated wraps the whole
# type (``date | None`` for the optional form) so that the field's annotation stays a plain
# ``date`` / ``date | None`` for every reader that walks the model's types.
FactDate = Annotated[
    date,
    WrapValidator(validate),
    PlainSerializer(_serialise, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": _PATTERN, "description": _DESCRIPTION}),
]
MaybeFactDate = Annotated[
    date | None,
    WrapValidator(validate),
    PlainSerializer(_serialise, return_type=str | None, when_used="json"),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": _PATTERN}, {"type": "null"}], "description": _DESCRIPTION}
    ),
]
