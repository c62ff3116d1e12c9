"""Which federal circuit a case is in, and what that circuit has held on bond hearings.

The data is ``data/circuits.yaml``: the states of each circuit (28 U.S.C. §41) and the dated,
cited positions of the courts of appeals on bond for people who entered without inspection. The
circuit of a case comes from its immigration court, looked up in the court directory
(``offices``), so "Houston" and "HOU" both reach the Fifth Circuit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import DocumentError
from discretion.rules import Citation, Confidence, Source

CIRCUITS_FILE = Path(__file__).parent / "data" / "circuits.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CircuitData(_Strict):
    id: str
    name: str
    states: list[str] = Field(min_length=1)
    unverified_states: list[str] = Field(default_factory=list)
    note: str | None = None


class BondPosition(_Strict):
    circuit: str
    bond_hearing: bool
    known_from: date
    holding: str
    cite: list[Citation] = Field(min_length=1)
    confidence: Confidence


class CircuitsFile(_Strict):
    title: str
    last_verified: date
    sources: list[Source] = Field(min_length=1)
    circuits: list[CircuitData] = Field(min_length=1)
    bond_positions: list[BondPosition]


@dataclass(frozen=True, slots=True)
class CourtCircuit:
    """The circuit of one case's court: ``circuit`` is None when the court is not known."""

    court: str | None  # the directory's label of the court, or the text given
    circuit: CircuitData | None
    message: str  # why no circuit, when there is none; or how the court was found
    confidence: Confidence = Confidence.STATUTE
    moved: bool = False  # the court was found through a place whose cases it took


@dataclass(frozen=True)
class Circuits:
    meta: CircuitsFile

    def by_state(self, state: str) -> CircuitData | None:
        return next((c for c in self.meta.circuits if state.upper() in c.states), None)

    def position(self, circuit: CircuitData, on: date) -> BondPosition | None:
        """The circuit's bond position on record on ``on``; None while it is unsettled."""
        return next(
            (p for p in self.meta.bond_positions if p.circuit == circuit.id and p.known_from <= on), None
        )

    def source(self, source_id: str) -> Source:
        return next(s for s in self.meta.sources if s.id == source_id)

    def for_court(self, court: str | None) -> CourtCircuit:
        """The circuit of the immigration court named in a case file (text, city or EOIR code)."""
        from discretion.offices import find_court  # the directory is large: load it only when asked

        lookup = find_court(court)
        if lookup.court is None:
            states = {c.state for c in lookup.candidates}
            # A close spelling counts only when the text names the court's city ("Houston - S.
            # Gessner"), never on likeness alone ("Atlantis" is not Adelanto).
            named_city = all(_city_key(c.city) in _city_key(lookup.query) for c in lookup.candidates)
            if len(states) == 1 and (lookup.status == "ambiguous" or named_city):
                circuit = self.by_state(states.pop())
                if circuit is not None and lookup.status == "ambiguous":
                    return CourtCircuit(lookup.query, circuit, "")
                if circuit is not None:
                    # Not matched, but every close spelling is a court of one state: the circuit is
                    # that state's, marked partial, and the reason says the court was not matched.
                    return CourtCircuit(
                        f"{lookup.query!r} (not matched; {lookup.message.split('; ', 1)[-1]})",
                        circuit,
                        lookup.message,
                        Confidence.PARTIAL,
                    )
            return CourtCircuit(court, None, lookup.message)
        found = lookup.court
        circuit = self.by_state(found.state)
        if circuit is None:
            return CourtCircuit(found.label, None, f"no circuit is listed for the state {found.state}")
        unsure = Confidence.UNVERIFIED if found.state in circuit.unverified_states else Confidence.STATUTE
        if lookup.status == "moved":
            return CourtCircuit(found.label, circuit, lookup.message, Confidence.PARTIAL, moved=True)
        return CourtCircuit(found.label, circuit, "", unsure)


def _city_key(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def load_circuits(path: Path = CIRCUITS_FILE) -> Circuits:
    """Read and check a circuits file. Raises DocumentError naming the file, line and entry."""
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or ''}: {exc}".replace(":: ", ": ")) from None
    try:
        meta = CircuitsFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line = line_of(lines, loc)
        where = f"{path.name}:{line}" if line else path.name
        raise DocumentError(f"{where}: {'.'.join(map(str, loc))}: {err['msg']}") from None
    ids = {c.id for c in meta.circuits}
    sources = {s.id for s in meta.sources}
    seen: set[str] = set()
    for c in meta.circuits:
        for state in c.states:
            if state in seen:
                raise DocumentError(f"{path.name}: circuit {c.id}: state {state} is in two circuits")
            seen.add(state)
    for p in meta.bond_positions:
        if p.circuit not in ids:
            raise DocumentError(f"{path.name}: bond_positions: unknown circuit {p.circuit!r}")
        for cite in p.cite:
            if cite.source not in sources:
                raise DocumentError(f"{path.name}: circuit {p.circuit}: unknown source {cite.source!r}")
    return Circuits(meta)


@cache
def circuits() -> Circuits:
    """The shipped table, loaded once per process."""
    return load_circuits()
