"""Property-based fuzzing of the core's entry points (issue 9), shared by ``test_fuzz.py`` and
``benchmarks/fuzz.py``.

Hypothesis generates case files (the shipped example mutated byte by byte with the tokens
that broke the reader before, or with a value anywhere replaced by any value), docket CSVs
(any columns, any cells) and exhibit manifests. Each ``check_*`` runs one input through the
real entry point and asserts the contract of the guide: the input is read, or refused with
one readable line naming what is wrong (a DiscretionError) — never a traceback, never a
hang, never a partial output file or a stray temporary file. What was read is screened, and
its checklist built, without an error either.

``Stats`` counts the inputs tried, the failures, and the slowest input, which both callers
print.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from discretion import batch
from discretion.casefile import load_case
from discretion.docket import COLUMNS
from discretion.errors import DiscretionError
from discretion.evidence import build_checklist
from discretion.packets import load_exhibits, run_preflight
from discretion.policies import shipped
from discretion.screening import screen

ROOT = Path(__file__).parents[2]
BASE_CASE = (ROOT / "examples" / "maria-lopez.yaml").read_text(encoding="utf-8")
BASE_DATA = yaml.safe_load(BASE_CASE)
ON = dt.date(2026, 3, 1)
POLICY = shipped().select(ON)
MAX_SECONDS = 10.0  # an input taking longer is a hang
MAX_MESSAGE = 600  # characters of an error message

# What broke the readers before (issue 9), and other classics of hostile YAML, JSON and CSV.
TOKENS = [
    "\x00", "\x07", "\x0b", "\x0c", "\x1b[2J", "\x7f", "\u0085", "\u2028", "\ufeff", "\u202e", "\ud800",
    "&a ", "*a", "&a [*a, *a]", "!!int ", "!!float ", "!!binary ", "!!timestamp ", "!!python/object/apply:os.system ",
    "!!set ", "? [a, b]\n: 1\n", "<<: *a\n", "9" * 5000, "-3", "1e400", ".nan", ".inf", "0x1F", "0o17", "1_000",
    "9999-12-31", "0001-01-01", "2021-13-01", "2021-02-29", "[" * 300, "]" * 300, "{", "}", ": ", "- ", "\n  ",
    "\n", "\t", '"', "'", "\\", "\\ud800", "\\x00", "\\v", "\\e", "---\n", "...\n", "%YAML 1.1\n", "~", "null",
    "yes", "no", "=HYPERLINK(\"http://x\")", "@SUM(1)", "=cmd|' /C calc'!A0", "A" * 70_000, "é", "👪",
]  # fmt: skip
_TOKEN = st.one_of(st.sampled_from(TOKENS), st.text(max_size=30))


@dataclass
class Stats:
    """What one kind of input did over a run."""

    name: str
    tried: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)
    slowest: float = 0.0
    slowest_input: str = ""

    def record(self, seconds: float, sample: str, *, refused: bool) -> None:
        self.tried += 1
        self.refused += refused
        if seconds > self.slowest:
            self.slowest, self.slowest_input = seconds, sample

    def line(self) -> str:
        return (
            f"fuzz {self.name}: {self.tried} inputs, {self.refused} refused with a message, "
            f"{len(self.failures)} failures, slowest {self.slowest:.2f} s ({self.slowest_input})"
        )


STATS = {name: Stats(name) for name in ("case files", "CSV rows", "manifests")}


def _sample(data: bytes | str, limit: int = 70) -> str:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    text = repr(text[:limit]) + (f"… {len(text):,} chars" if len(text) > limit else "")
    return text


def _contract(message: str) -> None:
    assert "Traceback" not in message, message
    assert len(message) <= MAX_MESSAGE, f"message of {len(message)} characters: {message[:200]}…"


# --- case files ------------------------------------------------------------------------------


@st.composite
def mutated_text(draw: Any, base: str = BASE_CASE) -> str:
    """``base`` with one to five splices: a span replaced by a token (insertion when empty)."""
    text = base
    for _ in range(draw(st.integers(1, 5))):
        start = draw(st.integers(0, len(text)))
        length = draw(st.integers(0, 40))
        text = text[:start] + draw(_TOKEN) + text[start + length :]
    return text


_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.sampled_from(TOKENS),
    st.dates(),
)
_VALUE = st.recursive(
    _LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*prefix, index))
    return out


_BASE_PATHS = [p for p in _paths(BASE_DATA) if p]


@st.composite
def replaced_value(draw: Any) -> Any:
    """The example case with the value at one path replaced by any value (a key added too)."""
    data = json.loads(json.dumps(BASE_DATA, default=str))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_BASE_PATHS))
        target = data
        try:
            for part in path[:-1]:
                target = target[part]
            if draw(st.booleans()) and isinstance(target, dict):
                target[draw(st.text(max_size=12))] = draw(_VALUE)
            else:
                target[path[-1]] = draw(_VALUE)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement changed the shape
    return data


def case_inputs() -> st.SearchStrategy[tuple[bytes, str]]:
    """(file bytes, suffix): mutated YAML text, any bytes, or a replaced value as YAML or JSON."""
    as_yaml = replaced_value().map(lambda d: (_yaml(d), ".yaml"))
    as_json = replaced_value().map(
        lambda d: (json.dumps(d, default=str).encode("utf-8", "surrogatepass"), ".json")
    )
    text = mutated_text().map(lambda t: (t.encode("utf-8", "surrogatepass"), ".yaml"))
    json_text = mutated_text(json.dumps(BASE_DATA, default=str, indent=1)).map(
        lambda t: (t.encode("utf-8", "surrogatepass"), ".json")
    )
    raw = st.binary(max_size=400).map(lambda b: (BASE_CASE.encode()[:200] + b, ".yaml"))
    return st.one_of(text, text, json_text, as_yaml, as_json, raw)


def _yaml(data: Any) -> bytes:
    try:
        return yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")
    except yaml.YAMLError:
        return json.dumps(data, default=str).encode("utf-8", "surrogatepass")


def check_case(data: bytes, suffix: str, folder: Path) -> None:
    """Read (and screen) one case file; the contract holds or AssertionError says how not."""
    for old in folder.iterdir():
        old.unlink()
    path = folder / f"case{suffix}"
    path.write_bytes(data)
    out = folder / "screening.json"
    started = time.perf_counter()
    refused = False
    try:
        facts = load_case(path)
        result = screen(facts, POLICY, on=ON)
        build_checklist(facts, result, on=ON)
        text = json.dumps(result.to_dict(), ensure_ascii=False)
        text.encode("utf-8")  # what the CLI writes must be writable
    except DiscretionError as exc:
        refused = True
        _contract(str(exc))
    seconds = time.perf_counter() - started
    STATS["case files"].record(seconds, _sample(data), refused=refused)
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} s"
    assert not out.exists()
    assert sorted(p.name for p in folder.iterdir()) == [path.name], "a stray file was left"


# --- docket CSV ------------------------------------------------------------------------------

_NAMES = [c.name for c in COLUMNS]
_GOOD = {"bool": ["yes", "no", "1"], "int": ["0", "3", "12"], "date": ["2015-06-01", "2020-01-31"],
         "text": ["Ana López", "New York"], "words": ["es;en", "none"], "numbers": ["2019;2020"],
         "summary": ["0", "1", "none", "usc"],
         "fact_date": ["2015-06-01", "2009-06", "2009"]}  # fmt: skip
# Every column kind the docket layout has must have good values here, or the fuzzer stops.
assert {c.kind for c in COLUMNS} <= set(_GOOD), sorted({c.kind for c in COLUMNS} - set(_GOOD))
_KINDS = {c.name: c.kind for c in COLUMNS}


@st.composite
def docket(draw: Any) -> bytes:
    columns = draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=10, unique=True))
    header = ["case_id", *[c for c in columns if c != "case_id"]]
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        rows.append([draw(st.one_of(_TOKEN, st.sampled_from(_GOOD[_KINDS[c]]), st.just(""))) for c in header])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:  # now and then, text that is not well-formed CSV
        text = draw(mutated_text(text))
    return text.encode("utf-8", "surrogatepass")


def check_docket(data: bytes, folder: Path) -> None:
    for old in folder.iterdir():
        old.unlink()
    cases, results, errors = folder / "cases.csv", folder / "results.csv", folder / "errors.csv"
    cases.write_bytes(data)
    started = time.perf_counter()
    refused = False
    try:
        summary = batch.run(cases, results, policy=POLICY, on=ON, errors=errors)
    except DiscretionError as exc:
        refused = True
        _contract(str(exc))
        assert not results.exists() and not errors.exists(), "a failed batch left output"
    else:
        assert summary.screened + summary.rejected == summary.read
        with results.open(encoding="utf-8", newline="") as handle:
            written = list(csv.reader(handle))[1:]
        with errors.open(encoding="utf-8", newline="") as handle:
            failed = {row[0] for row in list(csv.reader(handle))[1:]}
        assert len(written) == summary.screened and len(failed) == summary.rejected
        for row in written:
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), f"formula cell {cell!r}"
    seconds = time.perf_counter() - started
    STATS["CSV rows"].record(seconds, _sample(data), refused=refused)
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} s"
    left = sorted(
        p.name for p in folder.iterdir() if p.name not in ("cases.csv", "results.csv", "errors.csv")
    )
    assert left == [], f"stray files {left}"


# --- manifests -------------------------------------------------------------------------------

BASE_MANIFEST = """\
- file: lease.pdf
  description: Lease for 41-12 Elm Street, 2019-2026
  proves: [residence]
  date: 2019-01-01
- file: acta.pdf
  description: Birth certificate of Daniel López (U.S. citizen son)
  language: es
  translation: acta-en.pdf
"""


def manifest_inputs() -> st.SearchStrategy[bytes]:
    return st.one_of(
        mutated_text(BASE_MANIFEST).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=300),
    )


def check_manifest(data: bytes, folder: Path) -> None:
    """``folder`` holds lease.pdf, acta.pdf and acta-en.pdf; the manifest is written beside them."""
    manifest = folder / "exhibits.yaml"
    manifest.write_bytes(data)
    started = time.perf_counter()
    refused = False
    try:
        run_preflight(load_exhibits(folder))
    except DiscretionError as exc:
        refused = True
        _contract(str(exc))
    seconds = time.perf_counter() - started
    STATS["manifests"].record(seconds, _sample(data), refused=refused)
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} s"
