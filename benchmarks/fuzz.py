"""Benchmark: property-based fuzzing of case files, docket CSVs and manifests (issue 9).

    .venv/bin/python benchmarks/fuzz.py                      # 1,000 case files, 300 dockets, 500 manifests
    .venv/bin/python benchmarks/fuzz.py --examples 200       # the same number of each, quicker

Runs the properties of ``tests/core/fuzzing.py`` (the test suite runs them on fewer inputs):
each generated input is read through the real entry point and must be read or refused with
one readable line, within 10 s, leaving no stray file. Unlike the tests, a failure does not
stop the run: it is counted and its input shown. Prints, per kind, the inputs tried, how many
were refused with a message, the failures and the slowest input; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "core"))

import fuzzing  # noqa: E402
import packet_fixtures as fx  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402


def _run(name: str, strategy, check, examples: int) -> None:  # noqa: ANN001
    stats = fuzzing.STATS[name]

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[p for p in settings.default.phases if p.name != "shrink"],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value) -> None:  # noqa: ANN001
        try:
            check(value)
        except Exception as exc:  # counted and shown, and the run goes on
            stats.failures.append(f"{fuzzing._sample(value if isinstance(value, bytes) else value[0])}: "
                                  f"{''.join(traceback.format_exception_only(exc)).strip()[:300]}")  # fmt: skip

    started = time.perf_counter()
    run()
    print(f"{stats.line()}; {time.perf_counter() - started:.0f} s in all")
    for failure in stats.failures[:10]:
        print(f"  failure: {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, help="inputs of each kind (default 1,000 / 300 / 500)")
    parser.add_argument("--only", choices=["case", "csv", "manifest"], help="fuzz one kind of input only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch:
        base = Path(scratch)
        case_dir, csv_dir, exhibits = base / "case", base / "csv", base / "exhibits"
        for folder in (case_dir, csv_dir, exhibits):
            folder.mkdir()
        for name in ("lease", "acta", "acta-en"):
            fx.text_pdf(exhibits / f"{name}.pdf", 1, title=name.upper())
        kinds = {
            "case": ("case files", fuzzing.case_inputs(), lambda c: fuzzing.check_case(*c, case_dir), 1000),
            "csv": ("CSV rows", fuzzing.docket(), lambda d: fuzzing.check_docket(d, csv_dir), 300),
            "manifest": (
                "manifests",
                fuzzing.manifest_inputs(),
                lambda d: fuzzing.check_manifest(d, exhibits),
                500,
            ),
        }
        for key, (name, strategy, check, default) in kinds.items():
            if args.only in (None, key):
                _run(name, strategy, check, args.examples or default)


if __name__ == "__main__":
    main()
