"""How much does screening a docket cost compared with merely reading it?

    python benchmarks/screen_batch.py --cases 20000 --cases 100000 [--as-of 2026-11-28]

For each size it writes N synthetic cases (fixed seed, a realistic mix of dockets, about 0.5%
bad rows) to a CSV in a temporary folder, then times child processes on the same file, each
with wall time, CPU time (user + system), cases per second and peak RSS:

* **(a) bare parse**: ``csv.reader`` over the file opened as ``discretion`` opens it (UTF-8,
  ``newline=""``), iterating every row and doing nothing with it. Tokenising only.
* **(b) parse-only run**: ``discretion screen-batch CASES --parse-only --workers 1 --errors ERRORS``: the same
  run as (c), rows read, turned into validated CaseFacts and bad rows rejected alike, but no
  rule applied and no result written. "The time the same run takes only to parse the CSV."
* **(c) screen xN**: ``discretion screen-batch CASES -o RESULTS --errors ERRORS --workers N`` exactly
  as a user runs it, with the shipped policies (the one in force on ``--as-of``); by default in
  one process and with 2 workers.

Every figure is for the whole child process, interpreter start-up and imports included, as a
user sees it; the ``start-up`` lines (each command on a header-only file) show that fixed part,
and the per-case ratios subtract it (the parent's only: the workers' own start-up stays in). The parent's CPU and peak RSS come from ``os.wait4``. Workers are not the parent's
children (multiprocessing's forkserver starts them), so each reports its own ``getrusage`` to
``screen-batch`` (hidden ``--stats``); their CPU is added to the parent's and their peak RSS is
shown as max per worker and sum. On a shared machine wall time mostly measures the neighbours:
CPU time is the fairer figure.

The goal from the issue: screening costs at most 4x the bare parse, with peak RSS flat as N
grows (give two sizes to see it). Both ratios are printed: against (a) and against (b).
Generation time is not measured.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

COUNTRIES = [
    "Mexico",
    "Guatemala",
    "Honduras",
    "El Salvador",
    "Venezuela",
    "Haiti",
    "India",
    "China",
    "Ecuador",
]
MANNERS = ["without_inspection"] * 6 + ["admitted"] * 3 + ["paroled"] * 2
ACTIONS = ["dismissal", "administrative_closure", "continuance", "bond_stipulation", ""]
CATEGORIES_F = ["drugs_trafficking", "violent", "burglary", "theft", "fraud", "firearms", "dui"]
CATEGORIES_M = ["dui", "theft", "drugs_possession", "domestic_violence", "minor_traffic", "other"]
APPS = [
    "asylum:court",
    "cancellation_non_lpr:court",
    "u_visa:uscis",
    "i130:uscis",
    "t_visa:uscis",
    "sijs:uscis",
]

HEADER = [
    "case_id", "requested_action", "identity.a_number", "identity.date_of_birth", "identity.country_of_birth",
    "identity.married", "identity.needs_interpreter", "proceedings.in_proceedings", "proceedings.nta_served_on",
    "proceedings.next_hearing.date", "proceedings.detained", "proceedings.pending_applications",
    "entry.first_entry_on", "entry.last_entry_on", "entry.manner", "entry.apprehended_at_entry",
    "presence.continuous_since", "presence.evidence", "presence.absences",
    "immigration_history.final_order", "immigration_history.prior_removals", "immigration_history.missed_hearings",
    "immigration_history.ever_had_daca", "immigration_history.lpr_since",
    "criminal.felony_convictions", "criminal.misdemeanor_convictions", "criminal.infraction_convictions",
    "criminal.pending_charges", "criminal.felony_categories", "criminal.misdemeanor_categories",
    "criminal.last_conviction_on", "gang.alleged", "security.terrorism_or_espionage",
    "family.usc_children", "family.lpr_children", "family.other_children", "family.spouse",
    "family.usc_parents", "family.lpr_parents", "employment.employed", "employment.filed_taxes",
    "education.us_high_school_diploma_or_ged", "military.served", "health.serious_conditions",
    "caretaker.primary_caretaker", "victimisation.crime_victim", "victimisation.trafficking",
    "fear.fears_return", "fear.protected_ground", "community.ties",
]  # fmt: skip


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _maybe(rng: random.Random, value: str, known: float = 0.8) -> str:
    """Leave a fact unknown some of the time, as real intake does."""
    return value if rng.random() < known else ""


def _yes(rng: random.Random, p: float, known: float = 0.8) -> str:
    return _maybe(rng, "yes" if rng.random() < p else "no", known)


def synthetic_row(rng: random.Random, n: int, on: date) -> list[str]:
    born = _day(rng, date(1950, 1, 1), date(2008, 1, 1))
    entered = _day(rng, max(born + timedelta(days=365), date(1985, 1, 1)), on - timedelta(days=30))
    manner = rng.choice(MANNERS)
    served = _day(rng, entered + timedelta(days=1), on)
    hearing = on + timedelta(days=rng.randrange(10, 700))
    record = rng.random()
    felonies = misdemeanours = 0
    if record < 0.15:
        felonies = rng.choice([1, 1, 2])
    elif record < 0.45:
        misdemeanours = rng.choice([1, 1, 2, 3])
    criminal = ["", "", "", "", "", "", ""]
    if rng.random() < 0.9:
        criminal = [
            str(felonies),
            str(misdemeanours),
            str(rng.choice([0, 0, 1])),
            str(rng.choice([0, 0, 0, 1])),
            ";".join(rng.sample(CATEGORIES_F, 1)) if felonies else "",
            ";".join(rng.sample(CATEGORIES_M, rng.choice([1, 2]))) if misdemeanours else "",
            _day(rng, entered, on).isoformat() if felonies or misdemeanours else "",
        ]
    family = ["", "", "", "", "", ""]
    if rng.random() < 0.85:
        family = [
            str(rng.choice([0, 0, 1, 2, 3])),
            str(rng.choice([0, 0, 0, 1])),
            str(rng.choice([0, 1])),
            rng.choice(["none", "usc", "lpr", "undocumented", "unknown"]),
            str(rng.choice([0, 0, 0, 1])),
            str(rng.choice([0, 0, 1])),
        ]
    trip = _day(rng, entered, on - timedelta(days=20))
    absences = rng.choice(["none", "none", "", f"{trip}..{trip + timedelta(days=rng.randrange(3, 60))}"])
    row = [
        f"CASE-{n:07d}",
        rng.choice(ACTIONS),
        f"{rng.randrange(10**8, 10**9):09d}",
        _maybe(rng, born.isoformat(), 0.95),
        rng.choice(COUNTRIES),
        _yes(rng, 0.5),
        _yes(rng, 0.7),
        "yes",
        _maybe(rng, served.isoformat()),
        _maybe(rng, hearing.isoformat(), 0.9),
        _yes(rng, 0.1, 0.95),
        rng.choice(["none", "", rng.choice(APPS), f"{rng.choice(APPS)};{rng.choice(APPS)}"]),
        _maybe(rng, entered.isoformat()),
        _maybe(rng, entered.isoformat(), 0.5),
        _maybe(rng, manner),
        _yes(rng, 0.2, 0.6),
        _maybe(rng, entered.isoformat(), 0.5),
        rng.choice(["leases;tax returns", "school records", "none", ""]),
        absences,
        _yes(rng, 0.1),
        rng.choice(["none", "none", "", f"{_day(rng, date(1995, 1, 1), entered)}:expedited_removal"]),
        _maybe(rng, str(rng.choice([0, 0, 0, 1])), 0.7),
        _yes(rng, 0.1, 0.6),
        _maybe(rng, entered.isoformat(), 0.05) if manner == "admitted" else "",
        *criminal,
        _yes(rng, 0.05),
        _yes(rng, 0.001, 0.9),
        *family,
        _yes(rng, 0.7),
        _yes(rng, 0.6),
        _yes(rng, 0.4, 0.6),
        _yes(rng, 0.02, 0.6),
        _maybe(rng, str(rng.choice([0, 0, 0, 1])), 0.5),
        _yes(rng, 0.3, 0.5),
        _yes(rng, 0.1, 0.5),
        _yes(rng, 0.02, 0.5),
        _yes(rng, 0.5, 0.6),
        _yes(rng, 0.3, 0.4),
        _yes(rng, 0.6, 0.6),
    ]
    if rng.random() < 0.005:  # the mistakes a real docket has
        slot, bad = rng.choice(
            [(3, "1985-02-30"), (2, "12345"), (5, "maybe"), (14, "swam"), (24, "two"), (12, "03/04/2010")]
        )
        row[slot] = bad
    return row


def generate(path: Path, n: int, on: date, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for i in range(n):
            writer.writerow(synthetic_row(rng, i, on))


PARSE = """
import csv, sys
rows = 0
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    for _ in csv.reader(handle):
        rows += 1
print(rows)
"""
GOAL = 4.0


@dataclass
class Run:
    """One child process: wall and CPU seconds, peak RSS (MiB) of the parent and of its workers."""

    wall: float
    cpu: float
    rss: float
    workers_rss: list[float] = field(default_factory=list)
    summary: str = ""

    @property
    def rss_text(self) -> str:
        if not self.workers_rss:
            return f"{self.rss:.0f}"
        return f"{self.rss:.0f}+{len(self.workers_rss)}x{max(self.workers_rss):.0f}={self.rss + sum(self.workers_rss):.0f}"


def measure(command: list[str], *, ok: tuple[int, ...] = (0,)) -> Run:
    """Run ``command`` as a child and measure it (see the module docstring)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    # Read stderr before wait4, or a chatty child could block on a full pipe.
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        sys.exit(f"{' '.join(command[3:])} failed ({code}): {err}")
    run = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    for line in err.splitlines():
        if line.startswith("stats: "):
            stats = json.loads(line.removeprefix("stats: "))
            run.cpu += stats["workers_cpu_s"]
            run.workers_rss = [kib / 1024 for kib in stats["workers_peak_rss_kib"]]
        elif " rows read: " in line:
            run.summary = line.split(" -> ")[0].split("; rejected rows in")[0]
    # Exit status 1 also means "some rows rejected": make sure the run finished.
    if ("--parse-only" in command or "-o" in command) and not run.summary:
        sys.exit(f"{' '.join(command[3:])} did not finish: {err}")
    return run


def row(n: int, step: str, run: Run, note: str = "") -> None:
    rate = f"{n / run.wall:>9.0f}" if n else f"{'-':>9}"
    per = f"{run.cpu / n * 1e6:>8.1f}" if n else f"{'-':>8}"
    print(f"{n:>8} {step:<16} {run.wall:>8.2f} {run.cpu:>8.2f} {rate} {per} {run.rss_text:>14}  {note}")


def ratios(name: str, screened: Run, base: Run, base_name: str, fixed: float, base_fixed: float) -> None:
    """Whole-run ratios, and the per-case CPU ratio with each side's start-up CPU subtracted."""
    cpu, wall = screened.cpu / base.cpu, screened.wall / base.wall
    per_case = (screened.cpu - fixed) / max(base.cpu - base_fixed, 1e-9)
    verdict = "met" if per_case <= GOAL else "NOT met"
    print(
        f"{'':>8} {name} / {base_name}: {cpu:6.1f}x cpu, {wall:6.1f}x wall;"
        f" {per_case:6.1f}x cpu per case  -> {GOAL:.0f}x goal {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cases", type=int, action="append", help="rows to generate (repeat for several sizes)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        action="append",
        help="screen-batch --workers values to time (repeatable; default: 1 and 2)",
    )
    parser.add_argument("--as-of", default="2026-11-28", help="screening date (default 2026-11-28)")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--keep", type=Path, help="keep the generated CSV and results in this folder")
    args = parser.parse_args()
    on = date.fromisoformat(args.as_of)
    sizes = args.cases or [20_000]
    workers = args.workers or [1, 2]
    batch_cmd = [sys.executable, "-c", "from discretion.cli import main; main()", "screen-batch"]
    dated = ["--as-of", on.isoformat(), "--stats"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; as of {on}; seed {args.seed}")
    print(
        "(a) bare parse = csv.reader only; (b) parse-only = screen-batch --parse-only, the same run\n"
        "into validated CaseFacts without screening; screen xN = screen-batch --workers N.\n"
        "cpu s = user+system of the process and its workers; peak MiB = parent[+workers x max each = sum].\n"
        f"Goal: screening costs at most {GOAL:.0f}x the parse, judged on CPU per case (start-up\n"
        "subtracted); wall time depends on the neighbours."
    )
    print(
        f"{'cases':>8} {'step':<16} {'wall s':>8} {'cpu s':>8} {'cases/s':>9} {'cpu us/c':>8}"
        f" {'peak MiB':>14}  notes"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        empty = folder / "header-only.csv"
        generate(empty, 0, on, args.seed)
        bare_fixed = measure([sys.executable, "-c", PARSE, str(empty)])
        row(0, "(a) start-up", bare_fixed, "bare parse of a header-only file")
        fixed = measure([*batch_cmd, str(empty), "--parse-only", *dated])
        row(0, "(b)(c) start-up", fixed, "parse-only of a header-only file: imports, policies")
        for n in sizes:
            cases = folder / f"cases-{n}.csv"
            generate(cases, n, on, args.seed)
            size_mb = cases.stat().st_size / 2**20
            bare = measure([sys.executable, "-c", PARSE, str(cases)])
            row(n, "(a) bare parse", bare, f"csv.reader only, {size_mb:.1f} MiB file")
            errors = folder / f"errors-{n}-parse.csv"
            parsed = measure(
                [*batch_cmd, str(cases), "--parse-only", "--workers", "1", "--errors", str(errors), *dated],
                ok=(0, 1),
            )
            row(n, "(b) parse-only", parsed, parsed.summary)
            sys.stdout.flush()
            for count in workers:
                results, errors = folder / f"results-{n}-{count}.csv", folder / f"errors-{n}-{count}.csv"
                command = [*batch_cmd, str(cases), "-o", str(results), "--errors", str(errors)]
                screened = measure([*command, "--workers", str(count), *dated], ok=(0, 1))
                row(n, f"(c) screen x{count}", screened, screened.summary)
                # Only the parent's start-up is subtracted: the workers' own (their imports) stays in.
                ratios(f"screen x{count}", screened, bare, "(a) bare parse", fixed.cpu, bare_fixed.cpu)
                ratios(f"screen x{count}", screened, parsed, "(b) parse-only", fixed.cpu, fixed.cpu)
                sys.stdout.flush()


if __name__ == "__main__":
    main()
