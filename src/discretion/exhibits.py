"""Exhibits: the documents filed behind a letter. Shared by the checklist, letter and packet.

An exhibit has a tab (A, B, ... or 1, 2, ...), a description, the file that holds it, the
checklist items and rule ids it proves, and its language. The packet builder fills in page
counts and page ranges; the letter cites exhibits by tab.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Exhibit:
    tab: str
    description: str
    file: Path | None = None
    proves: tuple[str, ...] = ()  # checklist item ids and/or rule ids
    language: str = "en"  # ISO 639-1; anything but "en" needs a certified translation
    translation: Path | None = None  # the certified English translation, when filed separately
    date: str | None = None
    pages: int | None = None
    first_page: int | None = None  # in the assembled packet, 1-based
    # Quarter turns clockwise the practitioner asked for (0, 90, 180, 270), for a scan that came
    # out sideways or upside down; applied on top of the file's own /Rotate and EXIF tag.
    turn: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def needs_translation(self) -> bool:
        return self.language.lower() not in ("en", "eng", "english")


@dataclass(frozen=True)
class Unused:
    """An entry of an exhibits folder that is not filed, and why: preflight reports each one."""

    name: str
    severity: str  # "error" blocks the build (a link out of the folder, a pipe); else warning/note
    message: str


class ExhibitList(list[Exhibit]):
    """The exhibits of a folder, in filing order, with the folder's entries that are not used."""

    def __init__(self, exhibits: list[Exhibit], unused: tuple[Unused, ...] = ()) -> None:
        super().__init__(exhibits)
        self.unused = unused
