"""The exhibit list of a packet: ``exhibits.yaml`` in the exhibits folder, or the file names.

A manifest is an ordered YAML list; each entry names a file in the folder and says what it is::

    - file: 01-birth-certificate.pdf
      description: Birth certificate of Daniel López (U.S. citizen son)
      proves: [usc_child]
      language: es
      translation: 01-birth-certificate-translation.pdf
      date: 2015-03-02

Without a manifest every supported file in the folder is an exhibit, in natural order
(``2 x.pdf`` before ``10 y.pdf``), described by its name without the leading number.
Tabs are lettered A..Z, then AA, AB, ... in order. The manifest is read strictly: an unknown
key, a missing or repeated file or a bad value is one error naming the manifest line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import DocumentError
from discretion.exhibits import Exhibit

MANIFEST_NAMES = ("exhibits.yaml", "exhibits.yml")
KEYS = ("file", "description", "proves", "language", "translation", "date")
# Files a folder may hold without being exhibits (the manifest itself, OS litter).
_IGNORED = {*MANIFEST_NAMES, ".ds_store", "thumbs.db", "desktop.ini"}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# "01 - ", "1. ", "02_", "3) ": the ordering prefix people put before a description.
_LEADING_NUMBER = re.compile(r"^\s*\d{1,3}[a-z]?(?:\s*[-_.)]+\s*|\s+)")


def tab_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 27 -> AB, ... (spreadsheet-style, as binders are tabbed)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def natural_key(name: str) -> tuple[Any, ...]:
    """Sort key that orders embedded numbers by value: ``2 x`` before ``10 x``."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name))


def describe_file_name(path: Path) -> str:
    """``01 - Birth certificate Daniel.pdf`` -> ``Birth certificate Daniel``."""
    stem = path.stem
    stripped = _LEADING_NUMBER.sub("", stem, count=1).strip()
    text = stripped or stem
    text = re.sub(r"[_]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" -")
    return text[:1].upper() + text[1:] if text else stem


def load_exhibits(folder: Path) -> list[Exhibit]:
    """The exhibits of ``folder`` in filing order, from its manifest if it has one."""
    if not folder.is_dir():
        raise DocumentError(f"{folder}: exhibits folder not found")
    for name in MANIFEST_NAMES:
        if (folder / name).is_file():
            return read_manifest(folder / name)
    return exhibits_from_names(folder)


def exhibits_from_names(folder: Path) -> list[Exhibit]:
    # Unsupported files are kept, not skipped: preflight names them, so a .docx the
    # practitioner meant to file is reported rather than silently left out.
    files = sorted(
        (p for p in folder.iterdir() if p.is_file() and not _hidden(p)),
        key=lambda p: natural_key(p.name),
    )
    if not files:
        raise DocumentError(f"{folder}: no exhibit files found (and no exhibits.yaml)")
    return [
        Exhibit(tab=tab_letter(i), description=describe_file_name(p), file=p) for i, p in enumerate(files)
    ]


def _hidden(path: Path) -> bool:
    return path.name.startswith(".") or path.name.casefold() in _IGNORED


def read_manifest(path: Path) -> list[Exhibit]:
    """Parse a manifest strictly; every error is one line: ``file:line: entry N: field: problem``."""
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise DocumentError(f"{where}: {exc}") from None
    if isinstance(data, dict) and set(data) == {"exhibits"}:
        data = data["exhibits"]
        lines = {key[1:]: line for key, line in lines.items() if key and key[0] == "exhibits"}
    if not isinstance(data, list) or not data:
        raise DocumentError(
            f"{path}: a manifest is a non-empty list of exhibits (- file: ..., description: ...)"
        )

    def fail(loc: tuple[str | int, ...], message: str) -> DocumentError:
        line = line_of(lines, loc)
        entry = f"entry {loc[0] + 1}" if isinstance(loc[0], int) else ""
        field = f": {loc[1]}" if len(loc) > 1 else ""
        return DocumentError(f"{path}:{line or '?'}: {entry}{field}: {message}")

    exhibits: list[Exhibit] = []
    seen: dict[Path, str] = {}  # each file is filed once: as an exhibit or as a translation
    for index, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise fail((index,), "each exhibit is a mapping with at least file: and description:")
        for key in entry:
            if key not in KEYS:
                raise fail((index, key), f"unknown key (allowed: {', '.join(KEYS)})")
        file = _file(path.parent, entry, index, "file", fail, required=True)
        assert file is not None
        if file in seen:
            raise fail((index, "file"), f"{file.name} is already {seen[file]}")
        seen[file] = f"exhibit {index + 1}"
        translation = _file(path.parent, entry, index, "translation", fail, required=False)
        if translation is not None:
            if translation in seen:
                raise fail((index, "translation"), f"{translation.name} is already {seen[translation]}")
            seen[translation] = f"the translation of exhibit {index + 1}"
        description = entry.get("description")
        if description is None:
            description = describe_file_name(file)
        if not isinstance(description, str) or not description.strip():
            raise fail((index, "description"), "must be non-empty text")
        exhibits.append(
            Exhibit(
                tab=tab_letter(index),
                description=description.strip(),
                file=file,
                proves=_proves(entry.get("proves"), index, fail),
                language=_language(entry.get("language", "en"), index, fail),
                translation=translation,
                date=_date(entry.get("date"), index, fail),
            )
        )
    return exhibits


def _file(
    folder: Path, entry: dict[str, Any], index: int, key: str, fail: Any, *, required: bool
) -> Path | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise fail((index,), f"{key}: is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise fail((index, key), "must be a file name")
    candidate = (folder / value).resolve()
    if not candidate.is_relative_to(folder.resolve()):
        raise fail((index, key), f"{value} is outside the exhibits folder")
    if not candidate.is_file():
        raise fail((index, key), f"{value} not found in {folder}")
    return candidate


def _proves(value: Any, index: int, fail: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail((index, "proves"), "must be a list of checklist item ids")
    return tuple(v.strip() for v in value)


def _language(value: Any, index: int, fail: Any) -> str:
    if not isinstance(value, str) or not _LANGUAGE.match(value):
        raise fail((index, "language"), f"{value!r} is not an ISO 639 language code such as en, es, fr")
    return value.lower()


def _date(value: Any, index: int, fail: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)  # a bare year, e.g. a school record for 2019
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise fail((index, "date"), "must be a date (YYYY-MM-DD) or short text such as 2019-2021")
