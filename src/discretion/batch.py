"""Screen a whole docket CSV, one row at a time, into a flat results CSV.

Rows are read, screened and written one at a time, so memory stays flat however long the
docket. A bad row goes to the errors file with its row number, column and reason, and the run
goes on. Results and errors are written to temporary files renamed only at the end, so a failed
run leaves no partial results behind and an earlier results file intact. The row layout is
``discretion.docket``'s.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

try:
    import resource
except ImportError:  # Windows: no worker usage figures
    resource = None  # type: ignore[assignment]

from discretion import scratch
from discretion.docket import BY_NAME, COLUMNS, SKIPPED_SECTIONS, Reader, RowErrors
from discretion.errors import BatchError
from discretion.facts import CaseFacts
from discretion.hygiene import cut, spreadsheet_safe
from discretion.policies import Policy
from discretion.predicates import Outcome as Decision
from discretion.screening import (
    Outcomes,
    Plan,
    Screening,
    facts_digest,
    marked,
    screen,
    screen_outcomes,
    summary_text,
)

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


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where each kind of rule sits in a Plan's verdicts, worked out once per plan."""

    priority: tuple[int, ...]
    aggravating: tuple[int, ...]
    mitigating: tuple[int, ...]
    high_risks: tuple[int, ...]
    relief: tuple[int, ...]
    labels: tuple[str, ...]  # priorities' labels carry their confidence mark, as in the summary
    unsure: frozenset[int]  # rules resting on partly confirmed or unverified sources
    priority_set: frozenset[int]


_LAYOUTS: dict[int, tuple[Plan, _Layout]] = {}


def _layout(p: Plan) -> _Layout:
    hit = _LAYOUTS.get(id(p))
    if hit is not None and hit[0] is p:
        return hit[1]
    found = p.rules[: p.findings]
    risks = range(p.findings, p.findings + p.risks)
    built = _Layout(
        priority=tuple(i for i, r in enumerate(found) if r.kind.value == "priority"),
        aggravating=tuple(i for i, r in enumerate(found) if r.kind.value == "aggravating"),
        mitigating=tuple(i for i, r in enumerate(found) if r.kind.value == "mitigating"),
        high_risks=tuple(i for i in risks if p.rules[i].level == "high"),
        relief=tuple(range(p.findings + p.risks, len(p.rules))),
        labels=tuple(marked(r.label, r.confidence) for r in p.rules),
        unsure=frozenset(i for i, r in enumerate(p.rules) if r.confidence.is_unsure),
        priority_set=frozenset(i for i, r in enumerate(found) if r.kind.value == "priority"),
    )
    _LAYOUTS.clear()  # one policy per run
    _LAYOUTS[id(p)] = (p, built)
    return built


_MET, _UNKNOWN, _NOT_MET, _REVIEW = Decision.MET, Decision.UNKNOWN, Decision.NOT_MET, Decision.REVIEW
_VALUES = {o: o.value for o in Decision}  # plain str: cheaper to pickle than the enum


def outcome_row(row: int, facts: CaseFacts, result: Outcomes, digest: str) -> list[object]:
    """`result_row` of the fast path: the same cells from the Verdicts alone (tested equal)."""
    lay = _layout(result.plan)
    outcomes = [v.outcome for v in result.verdicts]
    priorities = [outcomes[i] for i in lay.priority]
    priorities_met = [lay.labels[i] for i in lay.priority if outcomes[i] is _MET]
    priorities_unknown = priorities.count(_UNKNOWN)
    unfavourable = sum(outcomes[i] is _MET for i in lay.aggravating)
    favourable = sum(outcomes[i] is _MET for i in lay.mitigating)
    high = sum(outcomes[i] is _MET for i in lay.high_risks)
    relief = [outcomes[i] for i in lay.relief]
    relief_met, relief_unknown = relief.count(_MET), relief.count(_UNKNOWN)
    unsure = lay.unsure
    factors = (*lay.aggravating, *lay.mitigating)
    findings = len(outcomes) - len(lay.relief) - result.plan.risks
    missing = sorted({path for v in result.verdicts for path in v.missing})
    problems = result.problems
    return [
        row,
        facts.case_id or "",
        result.plan.policy.id,
        result.on.isoformat(),
        len(priorities_met),
        priorities_unknown,
        unfavourable,
        favourable,
        high,
        len(relief) - relief.count(_NOT_MET),
        outcomes.count(_UNKNOWN),
        len(missing),
        len(problems),
        summary_text(
            any_priorities=bool(lay.priority),
            priorities_met=priorities_met,
            priorities_unknown=priorities_unknown,
            favourable=favourable,
            unfavourable=unfavourable,
            high_risks=high,
            relief_met=relief_met,
            relief_unknown=relief_unknown,
            missing=len(missing),
            errors=any(p.severity == "error" for p in problems),
            factors_review=sum(outcomes[i] is _REVIEW for i in range(findings) if i not in lay.priority_set),
            relief_review=relief.count(_REVIEW),
            unsure_factors=sum(outcomes[i] is _MET and i in unsure for i in factors),
            unsure_risks=sum(outcomes[i] is _MET and i in unsure for i in lay.high_risks),
            unsure_relief=sum(outcomes[i] is _MET and i in unsure for i in lay.relief),
            scope=result.plan.policy.meta.enforcement_scope,
        ),
        "; ".join(missing),
        "; ".join(f"{p.severity} {p.path}: {p.message}" for p in problems),
        digest,
        *[_VALUES[o] for o in outcomes],
    ]


@dataclass
class Summary:
    """What a run did. ``rejected`` rows went to the errors file (or ``sample`` when there is none)."""

    read: int = 0
    screened: int = 0
    rejected: int = 0
    sample: list[tuple[int, str, str]] = field(default_factory=list)
    parse_only: bool = False
    # With workers: each worker's own CPU seconds and peak RSS (KiB), as it last reported them.
    worker_usage: dict[int, tuple[float, int]] = field(default_factory=dict)

    def line(self) -> str:
        done = "parsed (not screened)" if self.parse_only else "screened"
        return f"{self.read} rows read: {self.screened} {done}, {self.rejected} rejected"


SAMPLE_SIZE = 20
NOT_UTF8 = "is not UTF-8 text (from a spreadsheet, save as 'CSV UTF-8')"


def run(
    cases: Path,
    results: Path | None,
    *,
    policy: Policy,
    on: date,
    errors: Path | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
    parse_only: bool = False,
) -> Summary:
    """Screen every row of ``cases`` into ``results`` (and bad rows into ``errors``), streaming.

    ``progress`` is called now and then with the number of bytes of ``cases`` read so far.
    ``workers`` > 1 screens in that many processes; the output is the same, in the same order.
    ``parse_only`` does the same run, rows read and turned into CaseFacts and bad rows rejected
    alike, but screens nothing and writes no results (``results`` must then be None): what the
    run costs before any rule is applied.
    Raises BatchError, leaving no partial output, when the file as a whole cannot be read.
    """
    if (results is None) != parse_only:
        raise BatchError("a results file is needed to screen, and none when only parsing")
    summary = Summary(parse_only=parse_only)
    outputs = [p for p in (results, errors) if p is not None]
    for path in outputs:
        if not path.parent.is_dir():
            raise BatchError(f"{path}: the folder {path.parent} does not exist")
    with ExitStack() as stack:
        source = _open_cases(cases, stack)
        temps = {path: _temp_for(path, stack) for path in outputs}
        out = _csv_writer(temps[results][1]) if results is not None else None
        err = _csv_writer(temps[errors][1]) if errors else None
        try:
            _stream(
                cases,
                source,
                out,
                err,
                policy=policy,
                on=on,
                summary=summary,
                progress=progress,
                workers=workers,
                parse_only=parse_only,
                results_file=temps[results][1] if results is not None else None,
            )
        except BaseException:
            for tmp, handle in temps.values():
                handle.close()
                Path(tmp).unlink(missing_ok=True)
            raise
        for path, (tmp, handle) in temps.items():
            handle.flush()
            os.replace(tmp, path)  # renamed while still locked, then closed (which unlocks)
            handle.close()
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
    scratch.sweep_beside(path)  # what a killed run left
    fd, tmp = stack.enter_context(scratch.staged(path))  # locked, removed on every way out
    handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
    stack.callback(handle.close)
    return str(tmp), handle


Outcome = tuple[int, list[object] | None, list[tuple[str, str]]]  # row, result cells, errors
CHUNK = 512  # rows per unit of work: large enough to amortise a worker round trip
_STATE: tuple[Reader, Policy, date, bool] | None = None  # per worker process


def _start_worker(reader: Reader, policy: Policy, on: date, parse_only: bool = False) -> None:
    global _STATE
    _STATE = (reader, policy, on, parse_only)


def _start_pool_worker(reader: Reader, policy: Policy, on: date, parse_only: bool, owner: int) -> None:
    scratch.die_with_parent(owner)  # no orphan screening on after the run was killed
    _start_worker(reader, policy, on, parse_only)


def _screen_chunk(chunk: list[tuple[int, list[str] | str]]) -> list[Outcome]:
    """Screen raw rows; runs in the main process or in a worker.

    A row that cannot be read or screened, for whatever reason, goes to the errors file with
    its number, and the rows after it are screened as usual: one bad row never costs the batch.
    """
    assert _STATE is not None
    reader, policy, on, parse_only = _STATE
    width = len(reader.header)
    done: list[Outcome] = []
    for number, cells in chunk:
        if isinstance(cells, str):  # the CSV reader could not read this row
            done.append((number, None, [("(row)", cells)]))
            continue
        if len(cells) != width:
            done.append((number, None, [("(row)", f"has {len(cells)} cells; the header has {width}")]))
            continue
        try:
            facts = reader.facts(cells)
        except RowErrors as exc:
            done.append((number, None, [(e.column, e.reason) for e in exc.errors]))
            continue
        except Exception as exc:  # a defect, not bad input: still this row's problem only
            done.append((number, None, [("(row)", f"cannot be read ({_unexpected(exc)})")]))
            continue
        if parse_only:
            done.append((number, [], []))  # read, not screened: no result cells
            continue
        try:
            result = screen_outcomes(facts, policy, on=on)
            cells_out = outcome_row(number, facts, result, facts_digest(facts))
        except Exception as exc:  # e.g. date arithmetic out of range on an extreme row
            done.append((number, None, [("(row)", f"cannot be screened ({_unexpected(exc)})")]))
            continue
        done.append((number, cells_out, []))
    return done


def _unexpected(exc: Exception) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text[:200] + '…' if len(text) > 200 else text}"


Usage = tuple[int, float, int]  # pid, CPU seconds so far, peak RSS in KiB


class _SafeWriter:
    """A csv writer whose text cells cannot run as spreadsheet formulas (``=HYPERLINK(...)``
    in a case id would otherwise be live in Excel): see ``hygiene.spreadsheet_safe``."""

    def __init__(self, handle: IO[str]) -> None:
        self._writer = csv.writer(handle, lineterminator="\n")

    def writerow(self, cells: Any) -> None:
        self._writer.writerow([spreadsheet_safe(c) for c in cells])


def _csv_writer(handle: IO[str]) -> Any:
    """The results dialect, the same in the parent and in the workers."""
    return _SafeWriter(handle)


def _screen_chunk_in_worker(chunk: list[tuple[int, list[str] | str]]) -> tuple[str, list[Outcome], Usage]:
    """`_screen_chunk` with the result rows already written as CSV text, plus the worker's
    resource usage so far (the parent cannot see it).

    One string per chunk pickles far faster than some fifty cells per row, and the parent, which
    also reads the file, is left with less to do. Outcomes keep an empty list for a result row.
    """
    done = _screen_chunk(chunk)
    text = io.StringIO()
    writer = _csv_writer(text)
    slim: list[Outcome] = []
    for number, cells, problems in done:
        if cells:
            writer.writerow(cells)
        slim.append((number, None if cells is None else [], problems))
    if resource is None:
        return text.getvalue(), slim, (os.getpid(), 0.0, 0)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return text.getvalue(), slim, (os.getpid(), usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def _chunks(
    cases: Path, rows: Iterator[list[str]], summary: Summary, progress: Callable[[], None] | None
) -> Iterator[list[tuple[int, list[str] | str]]]:
    """Non-blank rows with their spreadsheet row numbers, CHUNK at a time (a row the CSV reader
    cannot read comes as the reason, a string)."""
    number = 1
    chunk: list[tuple[int, list[str] | str]] = []
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            break
        except UnicodeDecodeError:
            # Decoding runs a chunk ahead of the CSV parser, so the row is only approximate.
            raise BatchError(f"{cases}: near row {number + 1}: {NOT_UTF8}") from None
        except csv.Error as exc:
            if "field larger than field limit" not in str(exc):
                # An unclosed quote swallows the rest of the file: no row after it can be trusted.
                raise BatchError(f"{cases}: row {number + 1}: cannot be read: {exc}") from None
            # A cell over the size limit: this row is reported, the next is read as usual.
            number += 1
            summary.read += 1
            chunk.append((number, f"has a cell over {csv.field_size_limit():,} characters; not read"))
            continue
        number += 1
        if not any(cells):
            continue  # a blank line or an empty spreadsheet row is not a case
        summary.read += 1
        chunk.append((number, cells))
        if len(chunk) == CHUNK:
            if progress:
                progress()
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
    workers: int,
    parse_only: bool = False,
    results_file: IO[str] | None = None,
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
    if out is not None:
        out.writerow((*RESULT_COLUMNS, *rule_columns(policy, on)))
    if err:
        err.writerow(ERROR_COLUMNS)
    buffer = getattr(source, "buffer", None)
    tell = (lambda: progress(buffer.tell())) if progress and buffer is not None else None

    def write(outcomes: list[Outcome]) -> None:
        for number, cells, problems in outcomes:
            if cells is not None:
                if cells and out is not None:  # no cells when only parsing, or written by a worker
                    out.writerow(cells)
                summary.screened += 1
            for index, (column, reason) in enumerate(problems):
                _reject(summary, err, number, column, reason, count=index == 0)

    chunks = _chunks(cases, rows, summary, tell)
    if workers <= 1:
        _start_worker(reader, policy, on, parse_only)
        for chunk in chunks:
            write(_screen_chunk(chunk))
    else:
        _parallel(
            chunks, write, workers, (reader, policy, on, parse_only), summary.worker_usage, results_file
        )
    if tell:
        tell()


def _parallel(
    chunks: Iterator[list[tuple[int, list[str] | str]]],
    write: Callable[[list[Outcome]], None],
    workers: int,
    state: tuple[Reader, Policy, date, bool],
    usage: dict[int, tuple[float, int]],
    results_file: IO[str] | None,
) -> None:
    """Screen chunks in worker processes, writing results in file order.

    Pool.imap would read ahead without limit; at most two chunks per worker are in flight here,
    so memory stays flat when reading outruns screening.
    """
    # Not fork: a caller with threads (a web server, a test runner) could deadlock its children.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    with context.Pool(workers, initializer=_start_pool_worker, initargs=(*state, os.getpid())) as pool:
        pending: deque[Any] = deque()

        def collect() -> None:
            text, done, (pid, cpu, rss) = pending.popleft().get()
            usage[pid] = (cpu, rss)
            if text and results_file is not None:
                results_file.write(text)
            write(done)

        for chunk in chunks:
            pending.append(pool.apply_async(_screen_chunk_in_worker, (chunk,)))
            if len(pending) >= 2 * workers:
                collect()
        while pending:
            collect()


def _check_header(cases: Path, header: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for name in header:
        if name not in BY_NAME:
            hint = (
                " (narrative and representative are not docket columns)"
                if name.startswith(SKIPPED_SECTIONS)
                else ""
            )
            raise BatchError(f"{cases}:1: unknown column {cut(name)}{hint}; see docs/batch-csv.md")
        if name in seen:
            raise BatchError(f"{cases}:1: column {cut(name)} appears twice")
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
