"""Protection programs that ended: TPS by country (``data/tps.yaml``) and categorical parole
programs ended early (``data/parole_programs.yaml``), each dated and cited.

A screen asks a table what it says about one country or program on one date: protection ended on
a date, a termination back in force after a court's order, or nothing in the table (then the
screen tells the practitioner to check USCIS; it never assumes).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import DocumentError
from discretion.rules import Citation, Confidence, Source

DATA = Path(__file__).parent / "data"
TPS_FILE = DATA / "tps.yaml"
PAROLE_FILE = DATA / "parole_programs.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TpsEvent(_Strict):
    since: date
    status: Literal["termination_vacated", "termination_in_effect"]
    text: str


class TpsCountry(_Strict):
    country: str
    aliases: list[str] = Field(default_factory=list)
    ends_on: date | None
    events: list[TpsEvent] = Field(default_factory=list)
    cite: list[Citation] = Field(min_length=1)
    confidence: Confidence


class TpsFile(_Strict):
    title: str
    last_verified: date
    sources: list[Source] = Field(min_length=1)
    countries: list[TpsCountry] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class TpsStatus:
    """What the table says about one country on one date.

    ``ended`` is True when protection has ended on the date, False when the table shows no
    termination in force, None when the table does not list the country.
    """

    country: str
    ended: bool | None
    text: str
    entry: TpsCountry | None = None

    @property
    def confidence(self) -> Confidence:
        return self.entry.confidence if self.entry else Confidence.UNVERIFIED


def _key(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold().strip()


@dataclass(frozen=True)
class TpsTable:
    meta: TpsFile

    def find(self, country: str) -> TpsCountry | None:
        key = _key(country)
        return next((c for c in self.meta.countries if key in {_key(c.country), *map(_key, c.aliases)}), None)

    def status(self, country: str, on: date) -> TpsStatus:
        entry = self.find(country)
        if entry is None:
            return TpsStatus(
                country,
                None,
                f"{country} is not in the tool's TPS table (last verified {self.meta.last_verified.isoformat()}): "
                "check the USCIS TPS page for the designation and its end date.",
            )
        if entry.ends_on is not None:
            if on >= entry.ends_on:
                return TpsStatus(
                    entry.country,
                    True,
                    f"TPS for {entry.country} was terminated and ended on {entry.ends_on.isoformat()}.",
                    entry,
                )
            return TpsStatus(
                entry.country,
                False,
                f"TPS for {entry.country} has not ended on {on.isoformat()}; the table records its termination "
                f"taking effect on {entry.ends_on.isoformat()} (when it was announced is not recorded).",
                entry,
            )
        past = [e for e in entry.events if e.since <= on]
        if not past:
            return TpsStatus(
                entry.country,
                None,
                f"The end date of TPS for {entry.country} is not in the tool's table: check the USCIS TPS page.",
                entry,
            )
        latest = past[-1]
        history = "; ".join(f"on {e.since.isoformat()} {e.text}" for e in past)
        ended = latest.status == "termination_in_effect"
        return TpsStatus(entry.country, ended, f"TPS for {entry.country}: {history}.", entry)


def _read[M: BaseModel](path: Path, model: type[M]) -> M:
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or ''}: {exc}".replace(":: ", ": ")) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line = line_of(lines, loc)
        where = f"{path.name}:{line}" if line else path.name
        raise DocumentError(f"{where}: {'.'.join(map(str, loc))}: {err['msg']}") from None


def _check_cites(path: Path, sources: list[Source], entries: list[tuple[str, list[Citation]]]) -> None:
    known = {s.id for s in sources}
    for name, cites in entries:
        for cite in cites:
            if cite.source not in known:
                raise DocumentError(f"{path.name}: {name}: unknown source {cite.source!r}")


def load_tps(path: Path = TPS_FILE) -> TpsTable:
    """Read and check a TPS table. Raises DocumentError naming the file, line and entry."""
    meta = _read(path, TpsFile)
    _check_cites(path, meta.sources, [(c.country, c.cite) for c in meta.countries])
    for entry in meta.countries:
        if entry.ends_on is None and not entry.events:
            raise DocumentError(f"{path.name}: {entry.country}: needs ends_on or events")
        if [e.since for e in entry.events] != sorted(e.since for e in entry.events):
            raise DocumentError(f"{path.name}: {entry.country}: events must be in date order")
    return TpsTable(meta)


@cache
def tps_table() -> TpsTable:
    """The shipped table, loaded once per process."""
    return load_tps()


# --- parole programs ---------------------------------------------------------------------


class ParoleProgram(_Strict):
    program: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    ended_on: date
    in_force_from: date | None = Field(None, description="When a court block of the termination lifted.")
    blocked_text: str | None = None
    in_force_text: str | None = None
    cite: list[Citation] = Field(min_length=1)
    confidence: Confidence


class ParoleFile(_Strict):
    title: str
    last_verified: date
    sources: list[Source] = Field(min_length=1)
    programs: list[ParoleProgram] = Field(min_length=1)


@dataclass(frozen=True)
class ParolePrograms:
    meta: ParoleFile

    def find(self, text: str | None) -> ParoleProgram | None:
        """The program a case file's free-text program name refers to, matched on whole names."""
        if not text:
            return None
        key = _key(text)
        for program in self.meta.programs:
            names = {_key(program.program), *map(_key, program.aliases)}
            if key in names or any(f" {name} " in f" {key} " for name in names):
                return program
        return None


def load_parole_programs(path: Path = PAROLE_FILE) -> ParolePrograms:
    meta = _read(path, ParoleFile)
    _check_cites(path, meta.sources, [(p.program, p.cite) for p in meta.programs])
    return ParolePrograms(meta)


@cache
def parole_programs() -> ParolePrograms:
    """The shipped table, loaded once per process."""
    return load_parole_programs()
