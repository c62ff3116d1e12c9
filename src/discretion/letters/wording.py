"""The letter's own wording as data: what each requested action asks for, and its dated vehicle.

``data/letter-en.yaml`` says, per requested action, the words of the ask and the procedural
vehicle in force on a date (8 C.F.R. §1239.2(c) for dismissal; for administrative closure the
authority changed in 2018, 2021, 2024 and 2026). A vehicle that is unsure or carries a caveat is
printed with a "[verify ...]" mark, so a letter never states unsure law as settled.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import DocumentError
from discretion.facts import RequestedAction
from discretion.rules import Confidence

WORDING_FILE = Path(__file__).parent / "data" / "letter-en.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Vehicle(_Strict):
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="until", description="first day no longer the vehicle")
    cite: str | None
    confidence: Confidence
    caveat: str | None = None
    argument: str | None = Field(None, description="A sentence of law the letter may add after the ask.")

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)

    @property
    def mark(self) -> str:
        """The draft mark for this vehicle: empty when the citation is settled."""
        if self.caveat:
            return f"[verify before sending: {self.caveat.strip()}]"
        if self.confidence.is_unsure:
            return "[verify citation before sending]"
        return ""


class ActionWording(_Strict):
    title: str
    ask: str
    vehicles: list[Vehicle] = Field(default_factory=list)

    def vehicle_on(self, on: date) -> Vehicle | None:
        return next((v for v in self.vehicles if v.covers(on)), None)


class Wording(_Strict):
    actions: dict[RequestedAction, ActionWording]
    applications: dict[str, str]
    hearing_kinds: dict[str, str]
    prior_outcomes: dict[str, str]


@cache
def wording(path: Path = WORDING_FILE) -> Wording:
    """Load and check the wording file once; every requested action must have an entry."""
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or ''}: {exc}") from None
    try:
        result = Wording.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line = line_of(lines, loc)
        where = f"{path.name}:{line}" if line else path.name
        raise DocumentError(f"{where}: {'.'.join(str(p) for p in loc)}: {err['msg']}") from None
    missing = [a.value for a in RequestedAction if a not in result.actions]
    if missing:
        raise DocumentError(f"{path.name}: actions: no wording for {', '.join(missing)}")
    return result
