"""Screen a whole docket CSV, one row at a time, into a flat results CSV.

Rows are read, screened and written one at a time, so memory stays flat however long the
docket. A bad row goes to the errors file with its row number, column and reason, and the run
goes on. Results and errors are written to temporary files renamed only at the end, so a failed
run leaves no partial results behind and an earlier results file intact. The row layout is
``discretion.docket``'s.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from discretion.docket import BY_NAME, COLUMNS, SKIPPED_SECTIONS, Reader, RowErrors
from discretion.errors import BatchError
from discretion.facts import CaseFacts
from discretion.policies import Policy
from discretion.screening import Screening, screen

RESULT_COLUMNS = (
    "row",
    "case_id",
    "policy",
    "as_of",
    "priorities_met",
    "priorities_unknown",
    "unfavourable_met",
    "favourable_met",
    "high_risks",
    "relief_to_review",
    "unknown_rules",
    "missing_facts_count",
    "problems_count",
    "summary",
    "missing_facts",
    "problems",
    "facts_digest",
)
ERROR_COLUMNS = ("row", "column", "reason")


def rule_columns(policy: Policy, on: date) -> list[str]:
    """One column per rule the policy (and the relief screens) will answer, as `kind:id`.

    A rule resting on a partial or unverified source carries its mark in the column name, so the
    doubt travels with every value in the column.
    """
    probe = screen(CaseFacts(), policy, on=on)
    return [
        f"{f.kind.value}:{f.id}" + (f" {f.confidence.mark}" if f.confidence.is_unsure else "")
        for f in (*probe.findings, *probe.risks, *probe.relief)
    ]


def result_row(row: int, facts: CaseFacts, result: Screening) -> list[object]:
    """The flat result of one screening: counts, summary, then one outcome per rule."""
    met, unknown = "met", "unknown"
    kinds: dict[str, list[str]] = {}
    for f in result.findings:
        kinds.setdefault(f.kind.value, []).append(f.outcome.value)
    everything = (*result.findings, *result.risks, *result.relief)
    missing = result.missing_facts
    return [
        row,
        facts.case_id or "",
        result.policy_id,
        result.on.isoformat(),
        kinds.get("priority", []).count(met),
        kinds.get("priority", []).count(unknown),
        kinds.get("aggravating", []).count(met),
        kinds.get("mitigating", []).count(met),
        sum(r.outcome.value == met and r.level == "high" for r in result.risks),
        sum(r.outcome.value != "not_met" for r in result.relief),
        sum(f.outcome.value == unknown for f in everything),
        len(missing),
        len(result.problems),
        result.summary,
        "; ".join(m["path"] for m in missing),
        "; ".join(f"{p.severity} {p.path}: {p.message}" for p in result.problems),
        result.facts_digest,
        *(f.outcome.value for f in everything),
    ]


@dataclass
class Summary:
    """What a run did. ``rejected`` rows went to the errors file (or ``sample`` when there is none)."""

    read: int = 0
    screened: int = 0
    rejected: int = 0
    sample: list[tuple[int, str, str]] = field(default_factory=list)

    def line(self) -> str:
        return f"{self.read} rows read: {self.screened} screened, {self.rejected} rejected"


SAMPLE_SIZE = 20
NOT_UTF8 = "is not UTF-8 text (from a spreadsheet, save as 'CSV UTF-8')"


def run(
    cases: Path,
    results: Path,
    *,
    policy: Policy,
    on: date,
    errors: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Screen every row of ``cases`` into ``results`` (and bad rows into ``errors``), streaming.

    ``progress`` is called now and then with the number of bytes of ``cases`` read so far.
    Raises BatchError, leaving no partial output, when the file as a whole cannot be read.
    """
    summary = Summary()
    outputs = [p for p in (results, errors) if p is not None]
    for path in outputs:
        if not path.parent.is_dir():
            raise BatchError(f"{path}: the folder {path.parent} does not exist")
    with ExitStack() as stack:
        source = _open_cases(cases, stack)
        temps = {path: _temp_for(path, stack) for path in outputs}
        out = csv.writer(temps[results][1], lineterminator="\n")
        err = csv.writer(temps[errors][1], lineterminator="\n") if errors else None
        try:
            _stream(cases, source, out, err, policy=policy, on=on, summary=summary, progress=progress)
        except BaseException:
            for tmp, handle in temps.values():
                handle.close()
                Path(tmp).unlink(missing_ok=True)
            raise
        for path, (tmp, handle) in temps.items():
            handle.close()
            os.replace(tmp, path)
    return summary


def _open_cases(cases: Path, stack: ExitStack) -> IO[str]:
    if cases.is_dir():
        raise BatchError(f"{cases}: is a directory, not a CSV file")
    try:
        return stack.enter_context(cases.open(encoding="utf-8-sig", newline=""))
    except FileNotFoundError:
        raise BatchError(f"{cases}: file not found") from None
    except OSError as exc:
        raise BatchError(f"{cases}: cannot be read: {exc.strerror}") from None


def _temp_for(path: Path, stack: ExitStack) -> tuple[str, IO[str]]:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
    stack.callback(lambda: Path(tmp).unlink(missing_ok=True))
    return tmp, handle


def _stream(
    cases: Path,
    source: IO[str],
    out: Any,
    err: Any,
    *,
    policy: Policy,
    on: date,
    summary: Summary,
    progress: Callable[[int], None] | None,
) -> None:
    rows = csv.reader(source, strict=True)
    try:
        header = tuple(h.strip() for h in next(rows))
    except StopIteration:
        raise BatchError(f"{cases}: the file is empty (the first row must name the columns)") from None
    except UnicodeDecodeError:
        raise BatchError(f"{cases}: {NOT_UTF8}") from None
    except csv.Error as exc:
        raise BatchError(f"{cases}:1: cannot read the header row: {exc}") from None
    _check_header(cases, header)
    reader = Reader(header)
    out.writerow((*RESULT_COLUMNS, *rule_columns(policy, on)))
    if err:
        err.writerow(ERROR_COLUMNS)
    number = 1
    buffer = getattr(source, "buffer", None)
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            break
        except UnicodeDecodeError:
            # Decoding runs a chunk ahead of the CSV parser, so the row is only approximate.
            raise BatchError(f"{cases}: near row {number + 1}: {NOT_UTF8}") from None
        except csv.Error as exc:
            raise BatchError(f"{cases}: row {number + 1}: cannot be read: {exc}") from None
        number += 1
        if progress and buffer is not None and number % 2048 == 0:
            progress(buffer.tell())
        if not any(cells):
            continue  # a blank line or an empty spreadsheet row is not a case
        summary.read += 1
        if len(cells) != len(header):
            _reject(summary, err, number, "(row)", f"has {len(cells)} cells; the header has {len(header)}")
            continue
        try:
            facts = reader.facts(cells)
        except RowErrors as exc:
            for e in exc.errors:
                _reject(summary, err, number, e.column, e.reason, count=e is exc.errors[0])
            continue
        out.writerow(result_row(number, facts, screen(facts, policy, on=on)))
        summary.screened += 1
    if progress and buffer is not None:
        progress(buffer.tell())


def _check_header(cases: Path, header: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for name in header:
        if name not in BY_NAME:
            hint = (
                " (narrative and representative are not docket columns)"
                if name.startswith(SKIPPED_SECTIONS)
                else ""
            )
            raise BatchError(f"{cases}:1: unknown column {name!r}{hint}; see docs/batch-csv.md")
        if name in seen:
            raise BatchError(f"{cases}:1: column {name!r} appears twice")
        seen.add(name)


def _reject(summary: Summary, err: Any, row: int, column: str, reason: str, *, count: bool = True) -> None:
    if count:
        summary.rejected += 1
    if err:
        err.writerow((row, column, reason))
    elif len(summary.sample) < SAMPLE_SIZE:
        summary.sample.append((row, column, reason))


def template() -> str:
    """The header row of an empty docket CSV, every column in the documented order."""
    return ",".join(c.name for c in COLUMNS) + "\n"
