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
import os
import re
import stat
from pathlib import Path
from typing import Any

from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import DocumentError
from discretion.exhibits import Exhibit, ExhibitList, Unused
from discretion.hygiene import InputError, clean_data, cut

MANIFEST_NAMES = ("exhibits.yaml", "exhibits.yml")
KEYS = ("file", "description", "proves", "language", "translation", "date", "rotate")
# Files a folder may hold without being exhibits (the manifest itself, OS litter).
_IGNORED = {*MANIFEST_NAMES, ".ds_store", "thumbs.db", "desktop.ini"}
_SPECIAL = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}
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


def load_exhibits(folder: Path) -> ExhibitList:
    """The exhibits of ``folder`` in filing order, from its manifest if it has one.

    Either way only regular files inside the folder are filed; every other entry (a link out
    of the folder or to nothing, a pipe, a sub-folder, a hidden file, a file the manifest does
    not list) is kept in ``unused`` for preflight to name."""
    if not folder.is_dir():
        raise DocumentError(f"{folder}: exhibits folder not found")
    for name in MANIFEST_NAMES:
        if (folder / name).is_file():
            exhibits = read_manifest(folder / name)
            filed = {p for e in exhibits for p in (e.file, e.translation) if p is not None}
            files, unusable = _entries(folder)
            # The manifest decides what is filed, so what it leaves out is only information.
            unused = [
                Unused(entry.name, "note", f"is not listed in {name}, so it is not filed")
                for entry, target in files
                if target not in filed
            ]
            unused += [Unused(u.name, "note", f"{u.message} (not listed in {name})") for u in unusable]
            return ExhibitList(exhibits, tuple(unused))
    return exhibits_from_names(folder)


def exhibits_from_names(folder: Path) -> ExhibitList:
    # Unsupported files are kept, not skipped: preflight names them, so a .docx the
    # practitioner meant to file is reported rather than silently left out.
    files, unused = _entries(folder)
    if not files:
        why = "; ".join(f"{u.name} {u.message}" for u in unused[:5])
        raise DocumentError(
            f"{folder}: no exhibit files found (and no exhibits.yaml)"
            + (f"; not usable: {why}" if why else "")
        )
    return ExhibitList(
        [
            Exhibit(tab=tab_letter(i), description=describe_file_name(p), file=t)
            for i, (p, t) in enumerate(files)
        ],
        unused,
    )


def _entries(folder: Path) -> tuple[list[tuple[Path, Path]], tuple[Unused, ...]]:
    """The folder's files as (entry, real path inside the folder), and the entries not usable.

    The same rule as a manifest's: nothing outside the folder. A link is followed only when it
    ends at a regular file inside it, and the real file is what is filed (so the file checked
    is the file bound, even if the link is changed in between)."""
    root = folder.resolve()
    files: list[tuple[Path, Path]] = []
    unused: list[Unused] = []
    targets: dict[Path, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: natural_key(p.name)):
        name = entry.name
        if name.casefold() in _IGNORED or name.startswith("._"):
            continue  # the manifest itself, OS litter (macOS ._ and .DS_Store, Windows' Thumbs.db)
        if name.startswith("."):
            unused.append(Unused(name, "note", "is a hidden file, so it is not filed; rename it to file it"))
            continue
        problem = _unusable(entry, root)
        if problem is not None:
            unused.append(Unused(name, *problem))
            continue
        target = entry.resolve()
        if target in targets:
            unused.append(
                Unused(
                    name,
                    "warning",
                    f"is a link to {targets[target]}, which is already filed; not filed twice",
                )
            )
            continue
        targets[target] = target.name
        files.append((entry, target))
    return files, tuple(unused)


def _unusable(entry: Path, root: Path) -> tuple[str, str] | None:
    """(severity, message) when ``entry`` cannot be filed, else None."""
    if entry.is_symlink():
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python < 3.13)
            return (
                "error",
                f"is a link to {_short(os.readlink(entry))}, which does not exist (a broken link); "
                "copy the file itself into the folder",
            )
        if not target.is_relative_to(root):
            return (
                "error",
                "is a link to a file outside the exhibits folder, which is refused (it could be "
                "another client's document); copy the file into the folder if it belongs to this case",
            )
    try:
        mode = entry.stat().st_mode
    except OSError as exc:
        return "error", f"cannot be read ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return (
            "warning",
            "is a folder: the files in it are not filed; move them up into the exhibits folder, or list "
            f"them in exhibits.yaml as file: {entry.name}/NAME",
        )
    if not stat.S_ISREG(mode):
        kind = _SPECIAL.get(stat.S_IFMT(mode), "not a regular file")
        return "error", f"is {kind}, not a file, so it cannot be filed"
    return None


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_manifest(path: Path) -> list[Exhibit]:
    """Parse a manifest strictly; every error is one line: ``file:line: entry N: field: problem``."""
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise DocumentError(f"{where}: {exc}") from None
    try:
        data = clean_data(data)  # control characters, over-long text, nesting: as for case files
    except InputError as exc:
        line = line_of(lines, exc.path)
        raise DocumentError(f"{path}:{line or '?'}: {exc.field or '(top level)'}: {exc.reason}") from None
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
                turn=_turn(entry.get("rotate", 0), index, fail),
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
    try:
        return _inside(folder, value, index, key, fail)
    except OSError as exc:  # a name too long for the file system, a loop of links
        raise fail((index, key), f"{cut(value)} cannot be used as a file name ({exc.strerror})") from None


def _inside(folder: Path, value: str, index: int, key: str, fail: Any) -> Path:
    candidate = (folder / value).resolve()
    if not candidate.is_relative_to(folder.resolve()):
        raise fail((index, key), f"{value} is outside the exhibits folder")
    if not candidate.exists():
        raise fail((index, key), f"{value} not found in {folder}")
    if not candidate.is_file():
        what = "a folder" if candidate.is_dir() else "not a regular file (a pipe or a device)"
        raise fail((index, key), f"{value} is {what}, not a file that can be filed")
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


def _turn(value: Any, index: int, fail: Any) -> int:
    """``rotate:`` — degrees clockwise every page of the exhibit is turned (0, 90, 180 or 270)."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in (0, 90, 180, 270):
        raise fail((index, "rotate"), "must be 0, 90, 180 or 270 (degrees clockwise)")
    return value
