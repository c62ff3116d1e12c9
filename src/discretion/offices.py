"""Which OPLA field location gets a request: the court-to-office directory, as dated data.

ICE's rule is that the OPLA field location (OFL) for a case is the one in the same city and
state as the immigration court. ``data/offices.yaml`` holds the 25 field locations with their
sub-locations, and the immigration courts with the office and location that covers each, every
entry with its source and confidence. Nothing is guessed: an address the sources did not give
stays empty, and every address not confirmed against ICE's own current list carries the
warning "verify before sending".

Matching a court is forgiving about spelling but never picks between two courts: an EOIR code,
a court name, an alias or a city that names one court matches; a city with several courts
(``"Houston"``) matches only if all of them go to the same office; anything else returns
``None`` and :func:`find_court` explains why, with the candidates.

    >>> match = office_for_court("New York - Broadway")
    >>> match.name, match.address_lines
    ('OPLA New York', ('26 Federal Plaza, Room 1130', 'New York, NY 10278'))
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import DocumentError
from discretion.rules import Confidence, Source

OFFICES_FILE = Path(__file__).parent / "data" / "offices.yaml"
VERIFY = "verify before sending"
# Words that say nothing about which court is meant.
_NOISE = {"immigration", "court", "courts", "ic", "the", "eoir", "of", "hearing", "location", "and"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocationData(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    address: list[str] = Field(default_factory=list)
    mailing: list[str] = Field(default_factory=list)
    phone: str | None = None
    warnings: list[str] = Field(default_factory=list)


class OfficeData(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    area: str
    address: list[str] = Field(default_factory=list)
    mailing: list[str] = Field(default_factory=list)
    phone: str | None = None
    email: str | None = Field(None, description="A PD request address confirmed in ICE's own table.")
    unverified_email: str | None = None
    unverified_email_note: str | None = None
    address_confidence: Confidence = Confidence.PARTIAL
    channel_notes: list[str] = Field(default_factory=list)
    subject_line: str | None = "default"
    subject_line_note: str | None = None
    transmittal: Transmittal | None = Field(None, description="This office's own e-mail convention.")
    warnings: list[str] = Field(default_factory=list)
    locations: list[LocationData] = Field(default_factory=list)


class CourtData(_Strict):
    code: str = Field(pattern=r"^[A-Z]{3}$")
    other_codes: list[str] = Field(default_factory=list)
    name: str
    city: str
    state: str
    address: str | None = None
    office: str | None
    location: str | None = None
    routing: str = Field(pattern=r"^(confirmed|partial|unverified|unknown)$")
    routing_note: str | None = None
    aliases: list[str] = Field(default_factory=list)
    notes: str | None = None
    source: str
    time_zone: str = Field(description="IANA time zone of the court's hearings (e.g. America/Chicago).")
    time_zone_confidence: Confidence
    time_zone_note: str | None = None


class CourtChangeData(_Strict):
    """A dated change to EOIR's courts: a court delisted, or a place whose cases another court took."""

    kind: Literal["delisted", "administrative_control"]
    courts: list[str] = Field(default_factory=list, description="EOIR codes of courts in this directory.")
    places: list[str] = Field(default_factory=list, description="Hearing locations not in the directory.")
    to: str | None = Field(None, description="Code of the court that took the places' cases.")
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM: the day is not known.")
    text: str
    confidence: Confidence
    source: str

    @property
    def starts(self) -> date:
        year, month = map(int, self.month.split("-"))
        return date(year, month, 1)

    @property
    def certain_from(self) -> date:
        """The first day on which the change has surely happened: the first of the next month."""
        year, month = map(int, self.month.split("-"))
        return date(year + month // 12, month % 12 + 1, 1)

    def label(self) -> str:
        mark = f" {self.confidence.mark}" if self.confidence.is_unsure else ""
        return f"{self.text} (dated {self.month}){mark}"


class Transmittal(_Strict):
    """How the e-mail carrying a request is written: a subject template and the body's fields."""

    subject: str = Field(description="Template (discretion.prose); slots: a_number, document.")
    body: list[str] = Field(description="The identifying fields the body lists, in order.")
    confidence: Confidence
    source: str


class Defaults(_Strict):
    subject_line: str
    subject_line_confidence: Confidence
    subject_line_source: str
    channel_notes: list[str]
    transmittal: Transmittal


class DirectoryFile(_Strict):
    title: str
    last_verified: date
    verified_how: str
    sources: list[Source] = Field(min_length=1)
    defaults: Defaults
    offices: list[OfficeData] = Field(min_length=1)
    court_changes: list[CourtChangeData] = Field(default_factory=list)
    courts: list[CourtData] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Court:
    """One immigration court (or hearing location / adjudication centre) in the directory."""

    code: str
    name: str
    city: str
    state: str
    address: str | None
    office_id: str | None
    location_id: str | None
    routing: str
    routing_note: str | None
    other_codes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    notes: str | None = None
    source: str = ""
    time_zone: str = ""
    time_zone_confidence: Confidence = Confidence.PARTIAL
    time_zone_note: str | None = None
    changes: tuple[CourtChangeData, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code}, {self.city}, {self.state})"

    def active_on(self, on: date) -> bool | None:
        """False once the court was delisted, None inside the month of a change dated only by month."""
        for change in self.changes:
            if change.kind == "delisted" and self.code in change.courts:
                if on >= change.certain_from:
                    return False
                if on >= change.starts:
                    return None
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "other_codes": list(self.other_codes),
            "name": self.name,
            "city": self.city,
            "state": self.state,
            "address": self.address,
            "office": self.office_id,
            "location": self.location_id,
            "routing": self.routing,
            "routing_note": self.routing_note,
            "notes": self.notes,
            "time_zone": self.time_zone,
            "time_zone_confidence": self.time_zone_confidence.value,
            "time_zone_note": self.time_zone_note,
            "changes": [
                {
                    "kind": c.kind,
                    "month": c.month,
                    "text": c.text,
                    "confidence": c.confidence.value,
                    "source": c.source,
                }
                for c in self.changes
            ],
        }


@dataclass(frozen=True, slots=True)
class OfficeMatch:
    """The OPLA office a request for one court goes to, with everything a letter needs.

    ``court`` is None when the court text named several courts that all go to this office.
    ``verified`` is True only when the address (and routing) were confirmed against ICE's own
    current list; otherwise ``warnings`` says to verify before sending.
    """

    office_id: str
    name: str
    location: str | None
    addressee: tuple[str, ...]
    address_lines: tuple[str, ...]
    mailing_lines: tuple[str, ...]
    phone: str | None
    email: str | None
    unverified_email: str | None
    channel_notes: tuple[str, ...]
    subject_line: str | None
    subject_line_confidence: Confidence | None
    transmittal: Transmittal | None  # None: the office's convention is not known (ask the office)
    area: str
    court: Court | None
    routing: str
    last_verified: date
    source: str
    verified: bool
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "office": self.office_id,
            "name": self.name,
            "location": self.location,
            "addressee": list(self.addressee),
            "address_lines": list(self.address_lines),
            "mailing_lines": list(self.mailing_lines),
            "phone": self.phone,
            "email": self.email,
            "unverified_email": self.unverified_email,
            "channel_notes": list(self.channel_notes),
            "subject_line": self.subject_line,
            "subject_line_confidence": self.subject_line_confidence.value
            if self.subject_line_confidence
            else None,
            "transmittal": self.transmittal.model_dump(mode="json") if self.transmittal else None,
            "area": self.area,
            "court": self.court.to_dict() if self.court else None,
            "routing": self.routing,
            "last_verified": self.last_verified.isoformat(),
            "source": self.source,
            "verified": self.verified,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class CourtLookup:
    """What a court text matched: one court, or none with the candidates and the reason."""

    query: str
    court: Court | None
    candidates: tuple[Court, ...]
    message: str
    status: str = "matched"  # matched | moved (a place another court took) | ambiguous | unknown | empty


@dataclass(frozen=True)
class Directory:
    """The loaded offices.yaml: look up courts and the office that covers each."""

    meta: DirectoryFile
    courts: tuple[Court, ...]
    path: Path

    @property
    def last_verified(self) -> date:
        return self.meta.last_verified

    def office(self, office_id: str) -> OfficeData:
        return next(o for o in self.meta.offices if o.id == office_id)

    def find_court(self, text: str | None) -> CourtLookup:
        """Match ``text`` (EOIR code, court name, alias or city) to one court, safely."""
        query = (text or "").strip()
        if not query:
            return CourtLookup(query, None, (), "no immigration court given (proceedings.court)", "empty")
        code = query.upper()
        by_code = [c for c in self.courts if code == c.code or code in c.other_codes]
        if by_code:
            return CourtLookup(query, by_code[0], (), f"EOIR code {code}")
        key = _key(query)
        if not key:
            return CourtLookup(query, None, (), f"{query!r} does not name a court", "unknown")
        named = [c for c in self.courts if key == _key(c.name) or key in {_key(a) for a in c.aliases}]
        if len(named) == 1:
            return CourtLookup(query, named[0], (), "court name")
        places = [c for c in self.courts if key in (_key(c.city), _key(f"{c.city} {c.state}"))]
        found = named or places or [c for c in self.courts if set(key.split()) <= _tokens(c)]
        if len(found) == 1:
            return CourtLookup(query, found[0], (), "court name")
        if found:
            names = "; ".join(c.label for c in found)
            return CourtLookup(query, None, tuple(found), f"{query!r} could be any of: {names}", "ambiguous")
        moved = self._moved_place(key)
        if moved is not None:
            return moved
        close = difflib.get_close_matches(key, {_key(c.name): c for c in self.courts}, n=3, cutoff=0.6)
        suggestions = tuple(c for c in self.courts if _key(c.name) in close)
        hint = f"; did you mean {' or '.join(repr(c.name) for c in suggestions)}?" if suggestions else ""
        return CourtLookup(
            query, None, suggestions, f"no immigration court matches {query!r}{hint}", "unknown"
        )

    def _moved_place(self, key: str) -> CourtLookup | None:
        """A hearing location whose cases another court took (a dated change), matched by name."""
        for change in self.meta.court_changes:
            for place in change.places:
                if key == _key(place) and change.to:
                    court = next(c for c in self.courts if c.code == change.to)
                    return CourtLookup(place, court, (), f"{place}: {change.label()}", "moved")
        return None

    def office_for(self, court: Court) -> OfficeMatch | None:
        """The office covering ``court``, or None when the sources do not say which one."""
        if court.office_id is None:
            return None
        return self._match(court.office_id, court.location_id, court, court.routing, court.routing_note)

    def office_by_ref(self, ref: str, court_text: str | None = None) -> OfficeMatch | None:
        """The office a case names itself (``office`` or ``office/location``), None if unknown.

        The practitioner chose it over the directory's routing, so the match says so."""
        office_id, _, location_id = (ref or "").strip().partition("/")
        if not any(o.id == office_id for o in self.meta.offices):
            return None
        office = self.office(office_id)
        if location_id and location_id not in {loc.id for loc in office.locations}:
            return None
        lookup = self.find_court(court_text) if court_text else None
        court = lookup.court if lookup else None
        note = "chosen by the practitioner instead of the court directory's routing"
        return self._match(office_id, location_id or None, court, "unverified", note)

    def office_refs(self) -> list[tuple[str, str]]:
        """Every office and sub-location as (ref, name), for a choice list."""
        out = []
        for o in self.meta.offices:
            out.append((o.id, f"OPLA {o.name}"))
            out += [(f"{o.id}/{loc.id}", f"OPLA {o.name} ({loc.name})") for loc in o.locations]
        return out

    def office_for_court(self, text: str | None) -> OfficeMatch | None:
        lookup = self.find_court(text)
        if lookup.court is not None:
            return self.office_for(lookup.court)
        routes = {(c.office_id, c.location_id) for c in lookup.candidates}
        if lookup.status == "ambiguous" and len(routes) == 1:
            office_id, location_id = routes.pop()
            if office_id is None:
                return None
            routing = _weakest(c.routing for c in lookup.candidates)
            note = (
                f"{len(lookup.candidates)} courts match {lookup.query!r} "
                f"({', '.join(c.code for c in lookup.candidates)}); all are covered by this office"
            )
            return self._match(office_id, location_id, None, routing, note)
        return None

    def _match(
        self, office_id: str, location_id: str | None, court: Court | None, routing: str, note: str | None
    ) -> OfficeMatch:
        office = self.office(office_id)
        location = next((loc for loc in office.locations if loc.id == location_id), None)
        defaults = self.meta.defaults
        address = tuple(location.address if location else office.address)
        mailing = tuple(location.mailing if location else office.mailing)
        verified = (
            office.address_confidence is Confidence.CONFIRMED and routing == "confirmed" and bool(address)
        )
        warnings: list[str] = []
        if court is None and note:
            warnings.append(note)
        if court is not None:
            warnings += [c.label() for c in court.changes if c.kind == "delisted"]
        if not address:
            warnings.append(f"no street address on file for OPLA {office.name} - find it and {VERIFY}")
        elif not verified:
            warnings.append(f"address not verified - {VERIFY} (from an undated copy of ICE's OPLA list)")
        if routing != "confirmed":
            how = {"partial": "only partly confirmed", "unverified": "not confirmed"}.get(routing, routing)
            warnings.append(f"that this office covers the court is {how}: {note or 'see sources'}")
        if office.email is None:
            warnings.append(
                "no PD e-mail address on file - confirm the channel in ICE's 'OFL Email Addresses "
                "for Requests' table (ice.gov/about-ice/opla/MsL)"
            )
        if office.unverified_email and office.unverified_email_note:
            warnings.append(f"{office.unverified_email} is UNVERIFIED: {office.unverified_email_note}")
        warnings += office.warnings + (location.warnings if location else [])
        subject: str | None = defaults.subject_line
        subject_confidence: Confidence | None = defaults.subject_line_confidence
        if office.subject_line != "default":
            subject, subject_confidence = office.subject_line, None
        if office.subject_line_note:
            warnings.append(office.subject_line_note)
        place = f"{office.name} Field Location" + (f" ({location.name})" if location else "")
        return OfficeMatch(
            office_id=office.id,
            name=f"OPLA {office.name}",
            location=location.name if location else None,
            addressee=(
                "U.S. Immigration and Customs Enforcement",
                "Office of the Principal Legal Advisor",
                place,
            ),
            address_lines=address,
            mailing_lines=mailing,
            phone=location.phone if location else office.phone,
            email=office.email,
            unverified_email=office.unverified_email,
            channel_notes=tuple(office.channel_notes + defaults.channel_notes),
            subject_line=subject,
            subject_line_confidence=subject_confidence,
            transmittal=office.transmittal
            or (defaults.transmittal if office.subject_line == "default" else None),
            area=office.area,
            court=court,
            routing=routing,
            last_verified=self.meta.last_verified,
            source="; ".join(s.title for s in self.meta.sources if s.id in ("ice-opla-list", "ice-msl")),
            verified=verified,
            warnings=tuple(warnings),
        )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _key(text: str) -> str:
    return " ".join(t for t in re.findall(r"[a-z0-9]+", _fold(text)) if t not in _NOISE)


def _tokens(court: Court) -> set[str]:
    words = " ".join((court.name, court.city, court.state, court.code, *court.aliases, *court.other_codes))
    return set(_key(words).split())


def _weakest(routings: Any) -> str:
    order = ["unknown", "unverified", "partial", "confirmed"]
    return min(routings, key=order.index)


def load_directory(path: Path = OFFICES_FILE) -> Directory:
    """Read and check an offices file. Raises DocumentError naming the file, line and entry."""
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or ''}: {exc}".replace(":: ", ": ")) from None
    try:
        meta = DirectoryFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key also makes the real key "missing"; the typo is the useful report.
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(err["loc"])
        line = line_of(lines, loc)
        msg = "unexpected key" if err["type"] == "extra_forbidden" else err["msg"]
        where = f"{path.name}:{line}" if line else path.name
        raise DocumentError(f"{where}: {'.'.join(map(str, loc))}: {msg}") from None
    offices = {o.id: o for o in meta.offices}
    if len(offices) != len(meta.offices):
        raise DocumentError(f"{path.name}: offices: an office id is used twice")
    codes = {code for entry in meta.courts for code in (entry.code, *entry.other_codes)}
    changes_of: dict[str, list[CourtChangeData]] = {}
    for change in meta.court_changes:
        for code in (*change.courts, *([change.to] if change.to else [])):
            if code not in codes:
                raise DocumentError(f"{path.name}: court_changes: unknown court code {code!r}")
            changes_of.setdefault(code, []).append(change)
        if change.kind == "administrative_control" and not (change.places and change.to):
            raise DocumentError(f"{path.name}: court_changes: administrative_control needs places and to")
        if change.source not in {s.id for s in meta.sources}:
            raise DocumentError(f"{path.name}: court_changes: unknown source {change.source!r}")
    courts: list[Court] = []
    seen: set[str] = set()
    for entry in meta.courts:
        for code in (entry.code, *entry.other_codes):
            if code in seen:
                raise DocumentError(f"{path.name}: court {entry.code}: code {code} is used twice")
            seen.add(code)
        if entry.office is not None:
            office = offices.get(entry.office)
            if office is None:
                raise DocumentError(f"{path.name}: court {entry.code}: unknown office {entry.office!r}")
            if entry.location and entry.location not in {loc.id for loc in office.locations}:
                raise DocumentError(
                    f"{path.name}: court {entry.code}: office {entry.office!r} has no location {entry.location!r}"
                )
        courts.append(
            Court(
                code=entry.code,
                name=entry.name,
                city=entry.city,
                state=entry.state,
                address=entry.address,
                office_id=entry.office,
                location_id=entry.location,
                routing=entry.routing,
                routing_note=entry.routing_note,
                other_codes=tuple(entry.other_codes),
                aliases=tuple(entry.aliases),
                notes=entry.notes,
                source=entry.source,
                time_zone=entry.time_zone,
                time_zone_confidence=entry.time_zone_confidence,
                time_zone_note=entry.time_zone_note,
                changes=tuple(changes_of.get(entry.code, ())),
            )
        )
    return Directory(meta=meta, courts=tuple(courts), path=path)


@cache
def directory() -> Directory:
    """The shipped directory, loaded once per process."""
    return load_directory()


@lru_cache(maxsize=4096)
def find_court(court: str | None) -> CourtLookup:
    """Match a court as written in a case file; see :meth:`Directory.find_court`.

    Cached by text: risk screens ask it for every case of a docket, and a docket names few courts.
    """
    return directory().find_court(court)


def office_for_case(court: str | None, chosen: str | None = None) -> OfficeMatch | None:
    """The office for a case: the one it names (``proceedings.opla_office``) or its court's."""
    if chosen:
        match = directory().office_by_ref(chosen, court)
        if match is not None:
            return match
    return office_for_court(court) if court else None


def office_for_court(court: str | None) -> OfficeMatch | None:
    """The OPLA office for the court named in a case file, or None if unknown or ambiguous.

    Call :func:`find_court` for the reason and the candidates when this returns None.
    """
    return directory().office_for_court(court)
