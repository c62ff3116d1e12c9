"""Input hygiene: what text and values are let in, checked once, where data enters the core.

Case files, docket CSV rows, exhibit manifests and the web's forms all pass through here, so a
control character, an absurd number or a ten-megabyte value is refused the same way wherever
it comes from, with the field named, before it can reach a letter, a database or a
spreadsheet:

- NUL and every other control character but tab and line break are refused (PostgreSQL cannot
  store NUL; Typst, Word and XML choke on the rest). A vertical tab or form feed, which is what
  Word's manual line and page breaks paste as, becomes a line break in multi-line text and is
  refused in one-line fields; Windows line ends become plain ones.
- Lone surrogates (broken UTF-16 from a copy and paste) are refused: they cannot be written as
  UTF-8, so they would fail only later, on saving.
- Text is capped: ``MAX_LINE`` characters for a one-line field, ``MAX_TEXT`` for prose.
- Whole numbers are capped at ``MAX_NUMBER`` in size and dates kept within ``YEARS``: a
  5,000-digit number or the year 9999 is a typo, and date arithmetic overflows near the year
  9999. Field-specific ranges (years worked, tax years) are in the schema (``facts.py``).
- Structure is capped: ``MAX_DEPTH`` levels of nesting, ``MAX_ITEMS`` values in all, keys
  must be text.

``clean_text`` is the one function for a single value (the web forms call it); ``clean_data``
walks parsed YAML/JSON. ``cut`` shortens a bad value for an error message, and
``spreadsheet_safe`` is the output side: CSV cells a spreadsheet would run as a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from typing import Any

from discretion.errors import DiscretionError

MAX_LINE = 500  # characters in a one-line field (a name, a court, a reference)
MAX_TEXT = 20_000  # characters in a paragraph of prose (a narrative, a note)
MAX_NUMBER = 10**9  # any whole number, before the schema's own ranges
YEARS = (1800, 2200)  # any date
MAX_DEPTH = 24  # levels of nesting in a case file or manifest (a case file needs 4)
MAX_ITEMS = 50_000  # values in one file
ERROR_VALUE_CHARS = 60  # of a bad value quoted in an error message

# Text fields that hold prose, by their key: line breaks are theirs (and a vertical tab is one).
MULTILINE_KEYS = frozenset(
    {
        "introduction",
        "procedural_history",
        "equities",
        "negative_factors",
        "humanitarian",
        "relief_posture",
        "conclusion",
        "text",
        "notes",
        "note",
        "reason",
        "harm_caused",
        "rehabilitation",
        "address",
        "description",
        "dependant_condition",
        "body",
        "message",
        "comment",
    }
)
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n\n", "\x85": "\n"}
_NAMES = {
    "\x00": "a NUL character",
    "\x0b": "a vertical tab (a manual line break pasted from Word)",
    "\x0c": "a form feed (a page break pasted from Word)",
    "\x1b": "an escape character",
    "\x7f": "a delete character",
}


class InputError(DiscretionError, ValueError):
    """A value refused at the boundary. ``field`` names it; ``reason`` says what is wrong."""

    def __init__(self, field: str, reason: str, path: tuple[str | int, ...] = ()):
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason
        self.path = path  # the key path within a file, when known (for its line number)


def cut(value: object, limit: int = ERROR_VALUE_CHARS) -> str:
    """``repr(value)``, shortened for an error message: a 9 MB value is not echoed whole."""
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + f"… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= limit + 2 else text[:limit] + f"… ({len(text):,} characters)"


def text_problem(value: str, *, multiline: bool = False, max_length: int | None = None) -> str | None:
    """Why ``value`` cannot be let in (after ``clean_text``'s conversions), or None."""
    limit = max_length if max_length is not None else (MAX_TEXT if multiline else MAX_LINE)
    if len(value) > limit:
        return f"is {len(value):,} characters long; the limit is {limit:,}"
    if value.isprintable():  # the common case, at C speed (a docket has millions of cells)
        return None
    for position, char in enumerate(value, 1):
        if char in "\t\n":
            continue
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return f"contains a broken character (a lone surrogate, U+{code:04X}) at position {position}"
        category = unicodedata.category(char)
        if category == "Cc":
            name = _NAMES.get(char, "a control character")
            fix = " (use a line break in prose, a space in a one-line field)" if char in "\x0b\x0c" else ""
            return f"contains {name} (U+{code:04X}) at position {position}, which is not allowed{fix}"
        if category == "Cn" and (code & 0xFFFE) == 0xFFFE:
            return f"contains a non-character (U+{code:04X}) at position {position}"
    return None


def clean_text(value: str, *, field: str, multiline: bool = False, max_length: int | None = None) -> str:
    """``value`` made safe to store and print, or InputError naming ``field``.

    Windows and old-Mac line ends become ``\\n``; in multi-line text a vertical tab, form
    feed or Unicode line separator becomes a line break too. Anything else unsafe is refused,
    never silently dropped: a practitioner must see that the text was not what they thought."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        for char, replacement in _LINE_BREAKS.items():
            text = text.replace(char, replacement)
    problem = text_problem(text, multiline=multiline, max_length=max_length)
    if problem:
        raise InputError(field, problem)
    return text


def clean_number(value: int, *, field: str) -> int:
    if abs(value) > MAX_NUMBER:
        digits = int(value.bit_length() * 0.30103) + 1  # str() of a huge int is itself refused
        raise InputError(
            field, f"a number of about {digits:,} digits is out of range (at most {MAX_NUMBER:,})"
        )
    return value


def clean_date(value: dt.date, *, field: str) -> dt.date:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise InputError(field, f"{value.isoformat()} is out of range (years {YEARS[0]}–{YEARS[1]})")
    return value


def clean_data(data: Any, *, path: tuple[str | int, ...] = ()) -> Any:
    """Parsed YAML or JSON checked and cleaned as above; raises InputError naming the path.

    Returns a new structure (text converted); shared sub-structures (YAML aliases) are
    checked once per reference, so ``MAX_ITEMS`` also bounds what an alias can multiply."""
    count = [0]

    def checked(value: Any, where: tuple[str | int, ...], key: str | None) -> Any:
        try:
            return walk(value, where, key)
        except InputError as exc:
            if not exc.path:
                exc.path = where
            raise

    def walk(value: Any, where: tuple[str | int, ...], key: str | None) -> Any:
        count[0] += 1
        if count[0] > MAX_ITEMS:
            raise InputError(dotted(where), f"the file holds more than {MAX_ITEMS:,} values")
        if len(where) > MAX_DEPTH:
            raise InputError(dotted(where), f"is nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, str):
            return clean_text(value, field=dotted(where), multiline=key in MULTILINE_KEYS)
        if isinstance(value, float):
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                raise InputError(dotted(where), f"{value!r} is out of range")
            return value
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return clean_number(value, field=dotted(where))
        if isinstance(value, dt.date):
            return clean_date(value, field=dotted(where))
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if not isinstance(k, str):
                    raise InputError(dotted(where), f"the key {cut(k)} must be text")
                name = clean_text(k, field=dotted((*where, "(key)")), max_length=200)
                out[name] = checked(v, (*where, name), name)
            return out
        if isinstance(value, list):
            return [checked(v, (*where, n), key) for n, v in enumerate(value)]
        return value

    return checked(data, path, None)


def dotted(path: tuple[str | int, ...]) -> str:
    """``("family", 0, "name")`` -> ``family[0].name``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets
# (OWASP "CSV injection"): ``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``, ``@SUM(...)``, ``+1+1``.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(cell: object) -> object:
    """``cell`` for a CSV a person may open in a spreadsheet: text that would run as a formula
    gets a leading apostrophe (shown by spreadsheets as text, the apostrophe hidden). Numbers
    are left alone, so a negative count stays a number; text that merely looks numeric too."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        if cell.startswith("-") and _is_number(cell):
            return cell
        return "'" + cell
    return cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
