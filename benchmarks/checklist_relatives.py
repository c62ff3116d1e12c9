"""Benchmark: the evidence checklist for a case with thousands of relatives (issue 9).

    .venv/bin/python benchmarks/checklist_relatives.py                 # 500, 1,000, 2,000, 4,000
    .venv/bin/python benchmarks/checklist_relatives.py --sizes 4000

Maria López's case with N U.S.-citizen children added, screened under the policy in force on
2026-03-01, then ``build_checklist`` timed alone (best of 3). Each relative is one checklist
item, so the time should grow with N, not N². Before the fix 4,000 relatives took 46.4 s on
this 2-core machine (41 s when the issue was filed). Prints seconds per size and the growth
from the smallest to the largest size; asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import yaml

from discretion.casefile import parse_facts
from discretion.evidence import build_checklist
from discretion.policies import shipped
from discretion.screening import screen

ROOT = Path(__file__).resolve().parents[1]
ON = date(2026, 3, 1)


def case_with(relatives: int):  # noqa: ANN201
    data = yaml.safe_load((ROOT / "examples" / "maria-lopez.yaml").read_text(encoding="utf-8"))
    data["family"] = [
        {"name": f"Child {n}", "relationship": "child", "status": "usc", "age": 5 + n % 12, "in_us": True}
        for n in range(relatives)
    ]
    return parse_facts(data, where="benchmark")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    args = parser.parse_args()
    policy = shipped().select(ON)
    timings = []
    for size in args.sizes:
        facts = case_with(size)
        screening = screen(facts, policy, on=ON)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            checklist = build_checklist(facts, screening, on=ON)
            best = min(best, time.perf_counter() - started)
        timings.append((size, best))
        print(f"{size:>6,} relatives: {best:6.2f} s, {len(checklist.items):,} items")
    if len(timings) > 1:
        (n0, t0), (n1, t1) = timings[0], timings[-1]
        print(
            f"size x{n1 / n0:g} -> time x{t1 / t0:.1f} (linear would be x{n1 / n0:g}, quadratic x{(n1 / n0) ** 2:g})"
        )


if __name__ == "__main__":
    main()
