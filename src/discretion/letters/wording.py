"""The letter's own wording as data: headings, the request and the closing, what each requested
action asks for (tied to the next hearing), and its dated vehicle.

``data/letter-en.yaml`` says, per requested action, the words of the ask and the procedural
vehicle in force on a date (8 C.F.R. §1239.2(c) for dismissal; for administrative closure the
authority changed in 2018, 2021, 2024 and 2026). A vehicle that is unsure or carries a caveat is
never cited in the filing copy; the review sheet names it, so a letter never states unsure law
as settled. Every template is checked when the file is loaded.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion import prose
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
    def check(self) -> str:
        """What the review sheet says about this vehicle: empty when the citation is settled."""
        if self.caveat:
            return self.caveat.strip()
        if self.confidence.is_unsure:
            return f"the citation {self.cite} is {self.confidence.value} in the domain digest: verify it"
        return ""

    @property
    def citable(self) -> bool:
        return bool(self.cite) and not self.check


class ActionWording(_Strict):
    title: str
    ask: str = Field(description="Template; slot `hearing` (kind, when) or none.")
    before_hearing: str | None = Field(None, description="Template tying the ask to the next hearing.")
    vehicles: list[Vehicle] = Field(default_factory=list)

    def vehicle_on(self, on: date) -> Vehicle | None:
        return next((v for v in self.vehicles if v.covers(on)), None)


class Application(_Strict):
    label: str
    form: str | None = None
    confirmed: bool = Field(False, description="The domain digest confirms the form number.")


class Headings(_Strict):
    procedural_history: str
    not_priority: str
    priority_met: str
    no_threat: str
    public_safety: str
    equities: str
    negative_factors: str
    humanitarian: str
    relief_posture: str
    conclusion: str


class Request(_Strict):
    represented: str
    pro_se: str
    conclusion: str
    thanks: str
    closing: str
    no_record: str
    record_lead: str
    record_ref: str
    no_prior_requests: str
    enclosures: str


class TransmittalWording(_Strict):
    greeting: str
    opening: str
    labels: dict[str, str]
    status: str
    request: str
    closing: str
    signoff: str


class Wording(_Strict):
    headings: Headings
    request: Request
    transmittal: TransmittalWording
    actions: dict[RequestedAction, ActionWording]
    applications: dict[str, Application]
    hearing_kinds: dict[str, str]
    prior_outcomes: dict[str, str]
    exposure_terms: list[str] = Field(
        default_factory=list,
        description="Words that, typed by a practitioner into the letter, would tell ICE of the client's exposure or counsel's advice.",
    )

    def templates(self) -> dict[str, str]:
        """Every template in the file by its path, to check them all when loading."""
        out = {f"request.{k}": v for k, v in self.request.model_dump().items()}
        out |= {f"transmittal.{k}": v for k, v in self.transmittal.model_dump().items() if isinstance(v, str)}
        for action, words in self.actions.items():
            out[f"actions.{action.value}.ask"] = words.ask
            if words.before_hearing:
                out[f"actions.{action.value}.before_hearing"] = words.before_hearing
        return out


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
    # "none: not in proceedings" never produces a request, so it has no wording.
    missing = [
        a.value
        for a in RequestedAction
        if a not in result.actions and a is not RequestedAction.NONE_NOT_IN_PROCEEDINGS
    ]
    if missing:
        raise DocumentError(f"{path.name}: actions: no wording for {', '.join(missing)}")
    for where, source in result.templates().items():
        try:
            prose.slots(source)
        except prose.ProseError as exc:
            raise DocumentError(f"{path.name}: {where}: {exc}") from None
    return result
