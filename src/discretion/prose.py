"""Legal prose from data: sentence templates with named slots, rendered in a sandbox.

Every sentence the product writes about a person — a finding's reason, a letter's factor
paragraph, a summary line — is a template kept in a data file beside the rule it words, and the
code only supplies values. A new ruling or a better phrasing is then a data change.

The templates are Jinja (the engine docxtpl already uses for the Word template), so there is no
home-made mini-language to learn or to get wrong: ``{{ name }}`` fills a slot, ``{% if employer
%} at {{ employer }}{% endif %}`` leaves a missing piece out, and the filters below do what legal
prose keeps needing — lists joined with "and", singular and plural, long dates, counted years.

Rendering is sandboxed and strict: a policy folder can be a firm's own (``DISCRETION_POLICY_DIR``)
so templates get no access to Python internals, and a slot the code did not supply is an error,
not an empty string (a typo in data must never silently drop a fact from a letter). Values are
only ever inserted, never evaluated: text a person typed cannot become template code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


class ProseError(ValueError):
    """A template that cannot be parsed or rendered; the message names the problem."""


def long_date(value: date | None) -> str:
    """``2026-12-03`` -> ``December 3, 2026`` (the form U.S. letters and courts use)."""
    if value is None:
        return ""
    # A no-break space keeps "May 20" on one line in every renderer.
    return f"{MONTHS[value.month - 1]}\u00a0{value.day}, {value.year}"


def join_and(items: Iterable[Any], conjunction: str = "and") -> str:
    """``[a]`` -> ``a``; ``[a, b]`` -> ``a and b``; ``[a, b, c]`` -> ``a, b, and c`` (serial comma)."""
    words = [str(i) for i in items if i not in (None, "")]
    if len(words) <= 1:
        return "".join(words)
    if len(words) == 2:
        return f"{words[0]} {conjunction} {words[1]}"
    return f"{', '.join(words[:-1])}, {conjunction} {words[-1]}"


def join_list(items: Iterable[Any], conjunction: str = "and") -> str:
    """Like :func:`join_and`, but items that hold commas themselves are set off by semicolons
    ("a spouse, Lan Nguyen; and two children, Minh and Anh"), so the list still reads as one."""
    words = [str(i) for i in items if i not in (None, "")]
    if not any("," in w for w in words) or len(words) <= 1:
        return join_and(words, conjunction)
    return f"{'; '.join(words[:-1])}; {conjunction} {words[-1]}"


def plural(count: int | Iterable[Any], singular: str, many: str | None = None) -> str:
    """The word for ``count`` things (a number or a collection): ``child``/``children``."""
    n = count if isinstance(count, int) else len(list(count))
    return singular if n == 1 else (many if many is not None else singular + "s")


def counted(count: int | Iterable[Any], singular: str, many: str | None = None, *, words: bool = True) -> str:
    """``2, "child", "children"`` -> ``two children``; numbers above ten stay digits."""
    n = count if isinstance(count, int) else len(list(count))
    number = _NUMBER_WORDS[n] if words and 0 <= n < len(_NUMBER_WORDS) else str(n)
    return f"{number} {plural(n, singular, many)}"


def years(count: int) -> str:
    """``1`` -> ``1 year``; ``12`` -> ``12 years`` (digits: a measured figure, not prose)."""
    return counted(count, "year", words=False)


# Capitalised words that stay capitalised mid-sentence although they look like common words:
# eponyms of conditions a case file names ("Down syndrome", "Lyme disease").
_KEEP_CAPITAL = frozenset(
    {
        "Down",
        "Lyme",
        "Graves",
        "Hodgkin",
        "Tourette",
        "Asperger",
        "Bell",
        "Guillain",
        "Addison",
        "Cushing",
        "Huntington",
    }
)


def lower_first(text: str) -> str:
    """Lower-case the first letter of a phrase used mid-sentence ("Volunteer at ..." ->
    "volunteer at ..."), unless it starts an acronym ("PTA member"), a possessive name
    ("Parkinson's disease"), a name of two capitalised words ("Sofía López") or an eponym."""
    text = str(text)
    words = text.split()
    if not words or not text[1:2].islower():
        return text
    first = words[0]
    if "'" in first or "’" in first or first.rstrip(",;:") in _KEEP_CAPITAL:
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only ("two people" -> "Two people"; the rest is kept)."""
    text = str(text)
    return text[:1].upper() + text[1:]


def lookup(key: Any, table: Mapping[str, Any]) -> Any:
    """``key`` looked up in ``table`` (a words table kept in the data); a missing key is an error."""
    try:
        return table[key]
    except KeyError:
        raise ProseError(f"template table has no entry {key!r}") from None


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,  # plain text; each renderer escapes for its own format (Typst, Word, HTML)
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        long_date=long_date,
        join_and=join_and,
        join_list=join_list,
        plural=plural,
        counted=counted,
        years=years,
        lower_first=lower_first,
        capitalize_first=capitalize_first,
        lookup=lookup,
    )
    return env


ENVIRONMENT = _environment()


@lru_cache(maxsize=4096)
def _compiled(source: str) -> Any:
    try:
        return ENVIRONMENT.from_string(source)
    except TemplateSyntaxError as exc:
        raise ProseError(f"template error: {exc.message} (line {exc.lineno})") from None


def slots(source: str) -> frozenset[str]:
    """The names a template reads, so a loader can check them against what the code supplies."""
    try:
        return frozenset(meta.find_undeclared_variables(ENVIRONMENT.parse(source)))
    except TemplateSyntaxError as exc:
        raise ProseError(f"template error: {exc.message} (line {exc.lineno})") from None


_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +([,.;:)])")


def tidy(text: str) -> str:
    """Collapse the spaces a left-out piece leaves behind, and a doubled full stop."""
    text = _SPACES.sub(" ", text.strip())
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    if text.endswith("..") and not text.endswith("..."):
        text = text.rstrip(".") + "."
    return text


def render(source: str, values: Mapping[str, Any]) -> str:
    """``source`` with its slots filled from ``values``; raises ProseError naming a bad slot."""
    try:
        return tidy(_compiled(source).render(values))
    except UndefinedError as exc:
        raise ProseError(f"template slot not supplied: {exc.message}") from None
    except SecurityError as exc:
        raise ProseError(f"template not allowed: {exc}") from None
