"""Backup and restore figures: archive size and time for the demo data and for 10,000 cases.

    .venv/bin/python benchmarks/backup_archive.py                 # demo data, then 10,000 cases
    .venv/bin/python benchmarks/backup_archive.py --cases 1000    # demo data plus 1,000

Each size gets a fresh data folder (SQLite, encryption on with a benchmark key), seeded with
`discretion manage seed_demo`, then `discretion backup` and `discretion restore` into a second
empty folder are timed. The machine may be shared: figures vary with what else runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KEYS = "bench1 " + "Q" * 43


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "discretion"), *args], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"discretion {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def measure(cases: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="discretion-backup-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DISCRETION_") and k != "DATABASE_URL"}
        env |= {
            "DISCRETION_ENCRYPTION_KEYS": KEYS,
            "DISCRETION_SECRET_KEY": "bench",
            "DISCRETION_POLICY_DIR": str(ROOT / "tests" / "web" / "policies"),
        }
        source, target, archive = Path(tmp) / "source", Path(tmp) / "target", Path(tmp) / "backup.dbk"
        for folder in (source, target):
            (folder / "static").mkdir(parents=True)
        run(["manage", "--data", str(source), "migrate", "--verbosity", "0"], env)
        seed = ["manage", "--data", str(source), "seed_demo", "--password", "bench-password-1"]
        run(seed + (["--cases", str(cases)] if cases else []), env)
        db = (source / "discretion.sqlite3").stat().st_size
        took = run(["backup", "-o", str(archive), "--data", str(source)], env)
        back = run(["restore", str(archive), "--data", str(target)], env)
        return {
            "cases": cases,
            "db_mb": db / 1e6,
            "archive_mb": archive.stat().st_size / 1e6,
            "backup_s": took,
            "restore_s": back,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, action="append", help="bulk cases besides the demo (repeatable)")
    args = parser.parse_args()
    sizes = [0, *(args.cases or [10_000])]
    print(f"{'data':<22}{'SQLite MB':>10}{'archive MB':>12}{'backup s':>10}{'restore s':>11}")
    for n in sizes:
        r = measure(n)
        label = "demo" if n == 0 else f"demo + {n:,} cases"
        print(
            f"{label:<22}{r['db_mb']:>10.1f}{r['archive_mb']:>12.1f}{r['backup_s']:>10.1f}{r['restore_s']:>11.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
